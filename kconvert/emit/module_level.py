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
from ..ir.nodes import Op, Stmt
from ..ir.reads import identifiers_of, statement_binds_anywhere
from ..parse.names_in import reads
from .context import EmitContext, EmitRefusal


def without_definitions(graph: Graph, ctx: EmitContext) -> tuple[Graph, list[str]]:
    """``graph`` without the definitions that stay at module level, and their code."""
    if ctx.scope is not None:
        return graph, []
    staying = [node for node in graph.body if isinstance(node, Stmt) and _stays(graph, node)]
    if not staying:
        return graph, []
    body = tuple(node for node in graph.body if node not in staying)
    return replace(graph, body=body), [node.code.strip() for node in staying]


def refuse_local_definitions(graph: Graph, ctx: EmitContext) -> None:
    """Refuse a builder's model whose tensor code calls a ``def`` made among its lines: the
    definition goes into ``__init__`` with the model's other statements, where ``call()`` cannot
    reach it (kconvert reads a helper block of layers only where the module defines it)."""
    if ctx.scope is None:
        return
    called = set().union(*(identifiers_of(node.expr.text) for node in graph.walk() if isinstance(node, Op)))
    for node in graph.walk():
        if not isinstance(node, Stmt):
            continue
        statement = cst.parse_statement(node.code)
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value in called:
            name = statement.name.value
            raise EmitRefusal(
                node.loc,
                f"`{name}` is defined inside `{ctx.scope}` among the model's lines, and the model calls it"
                " on tensors; a subclass's call() cannot reach a definition made in __init__",
                f"define `{name}` at module level, where kconvert reads it as a block of layers,"
                " or convert to functional-subclass",
            )


def _stays(graph: Graph, node: Stmt) -> bool:
    statement = cst.parse_statement(node.code)
    if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return False
    bound = {param.name for param in graph.params}
    for other in graph.walk():
        if isinstance(other, Stmt) and other is not node:
            bound |= statement_binds_anywhere(other.code)
    return not (reads(statement) & bound)
