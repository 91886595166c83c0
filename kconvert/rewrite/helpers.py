"""Removing the helper functions a conversion made unused (those whose code the new form holds).

A helper block written as a ``Layer`` class no longer needs its function once
nothing in the file calls it; a function another model, another helper or any
later code still reads stays.  A helper only an unused helper called goes too.
Reads are found by scope, so a local variable of the same name (the loop
variable ``residual_block`` over ``self.residual_blocks``) is no read of it.
A comment of a removed function that its Layer class did not take stays where
the function was, as the splicer keeps those of the code it replaces.
"""

from __future__ import annotations

from collections import Counter

import libcst as cst
from libcst.metadata import MetadataWrapper

from ..ir.graph import Graph
from ..ir.graph import walk as walk_ir
from ..ir.nodes import Node, Op
from ..parse.metadata import scopes as module_scopes
from ..parse.walk import walk
from ..types import Style
from .splice import comment_key, comments_in


def without_unused_helpers(module: cst.Module, helpers: set[str], source: Counter[str]) -> cst.Module:
    """``module`` without the module-level functions of ``helpers`` that nothing reads any more;
    ``source`` counts the comments of the file converted, none of which may go missing."""
    while True:
        defined = {
            statement.name.value
            for statement in module.body
            if isinstance(statement, cst.FunctionDef) and statement.name.value in helpers
        }
        if not defined:
            return module
        unused = _unread(module, defined)
        if not unused:
            return module
        module = _removed(module, unused, source)


def _removed(module: cst.Module, names: set[str], source: Counter[str]) -> cst.Module:
    """``module`` without the functions ``names``; their comments found nowhere else go above
    the statement after them."""
    gone = [
        statement
        for statement in module.body
        if isinstance(statement, cst.FunctionDef) and statement.name.value in names
    ]
    ids = {id(statement) for statement in gone}
    kept = [statement for statement in module.body if id(statement) not in ids]
    source = Counter(comment_key(text) for text in source.elements())
    missing = Counter(map(comment_key, comments_in(gone))) & (source - Counter(map(comment_key, comments_in(kept))))
    body: list[cst.BaseStatement] = []
    orphans: list[cst.EmptyLine] = []
    for statement in module.body:
        if id(statement) in ids:
            for text in comments_in([statement]):
                if missing[comment_key(text)] > 0:
                    missing[comment_key(text)] -= 1
                    orphans.append(cst.EmptyLine(comment=cst.Comment(text)))
            continue
        if orphans:
            statement = statement.with_changes(leading_lines=(*statement.leading_lines, *orphans))
            orphans = []
        body.append(statement)
    return module.with_changes(body=body, footer=(*module.footer, *orphans))


def _unread(module: cst.Module, names: set[str]) -> set[str]:
    """The module-level functions of ``names`` that no code outside their own body reads."""
    scopes = module_scopes(MetadataWrapper(module, unsafe_skip_copy=True))
    unread = set()
    for statement in module.body:
        if not (isinstance(statement, cst.FunctionDef) and statement.name.value in names):
            continue
        scope = scopes[statement]
        inside = _node_ids(statement.body)
        accesses = [
            access
            for assignment in scope.assignments[statement.name.value]
            for access in assignment.references
        ]
        if all(id(access.node) in inside for access in accesses):
            unread.add(statement.name.value)
    return unread


def _node_ids(node: cst.CSTNode) -> set[int]:
    """The ids of ``node`` and of every node under it."""
    seen = _Seen()
    walk(node, seen)
    return seen.ids


class _Seen(cst.CSTVisitor):
    def __init__(self) -> None:
        self.ids: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.ids.add(id(node))
        return True


def helpers_written(graph: Graph, target: Style) -> set[str]:
    """The helper functions whose code the model's new form holds instead of calling them."""
    if target is Style.SUBCLASS:
        return {block.name for block in graph.blocks}
    return _helper_names(graph.body)


def _helper_names(body: tuple[Node, ...]) -> set[str]:
    """The helpers ``body`` calls, and those their bodies call."""
    names = set()
    for node in walk_ir(body):
        if isinstance(node, Op) and node.helper is not None:
            names |= {node.helper.name} | _helper_names(node.helper.body)
    return names
