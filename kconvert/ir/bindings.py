"""The names one node of a graph binds: a statement's targets, and a loop's variables, which a
name bound once by a statement may share (``scale = 2.0`` then ``for scale in sizes:``)."""

from __future__ import annotations

from .control import Loop
from .nodes import Node, Stmt
from .reads import identifiers_of, statement_binds_anywhere


def node_binds(node: Node, in_place: bool = True) -> set[str]:
    """The names ``node`` itself binds (not those of the nodes in its body); ``in_place`` as
    ``statement_binds_anywhere`` means it."""
    if isinstance(node, Stmt):
        return statement_binds_anywhere(node.code, in_place)
    if isinstance(node, Loop) and node.target:
        return identifiers_of(f"({node.target})")
    return set()
