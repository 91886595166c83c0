"""Definitions among a module-level model's lines that stay at module level when the model
becomes a class: a ``def`` or ``class`` statement that reads nothing the model's own code binds
(a helper block defined between two layer lines).

Written into ``__init__`` such a statement would be a local of the method: the helper nested in
the constructor, where nothing else in the file can call it, and its own names (``x``,
``residual``) taken from the class's code.  Kept above the class, it is defined before the model
is made, as it was.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..ir.graph import Graph
from ..ir.nodes import Stmt
from ..ir.reads import statement_binds_anywhere
from ..parse.names_in import reads
from .context import EmitContext


def without_definitions(graph: Graph, ctx: EmitContext) -> tuple[Graph, list[str]]:
    """``graph`` without the definitions that stay at module level, and their code."""
    if ctx.scope is not None:
        return graph, []
    staying = [node for node in graph.body if isinstance(node, Stmt) and _stays(graph, node)]
    if not staying:
        return graph, []
    body = tuple(node for node in graph.body if node not in staying)
    return replace(graph, body=body), [node.code.strip() for node in staying]


def _stays(graph: Graph, node: Stmt) -> bool:
    statement = cst.parse_statement(node.code)
    if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return False
    bound = {param.name for param in graph.params}
    for other in graph.walk():
        if isinstance(other, Stmt) and other is not node:
            bound |= statement_binds_anywhere(other.code)
    return not (reads(statement) & bound)
