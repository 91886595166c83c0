"""Names a ``call()`` binds before a line reads ``self.<attr>``.

The reader writes ``self.scale`` as what ``__init__`` assigned to it (``scale``); where
``call()`` has bound a ``scale`` of its own by then (``for scale, dense in zip(...)``, an
earlier ``scale = 3.0``), the written name would read call()'s value instead, a different
model with exit 0.  Such a read is refused at its line."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import FunctionScope

from ..source import SourceFile


def bound_before(src: SourceFile, at: cst.CSTNode) -> frozenset[str]:
    """The names the function around ``at`` binds that may hold a value of its own when ``at``
    runs: its parameters, what its earlier lines bind, and what a loop around ``at`` binds."""
    scope = src.scope(at)
    while scope is not None and not isinstance(scope, FunctionScope):
        scope = scope.parent if scope.parent is not scope else None
    if scope is None:
        return frozenset()
    line = src.loc(at).line
    loops = []
    node = src.parent(at)
    while node is not None and not isinstance(node, cst.FunctionDef):
        if isinstance(node, (cst.For, cst.While)):
            loops.append((src.loc(node).line, src.end_line(node)))
        node = src.parent(node)
    found = set()
    for assignment in scope.assignments:
        bound = getattr(assignment, "node", None)
        if bound is None:
            continue
        where = src.loc(bound).line
        if where < line or any(start <= where <= end for start, end in loops):
            found.add(assignment.name)
    return frozenset(found)
