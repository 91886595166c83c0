"""Names whose scope a graph would change, refused where the class binds them.

The reader writes ``self.scale`` as what ``__init__`` assigned to it (``scale``); where
``call()`` has bound a ``scale`` of its own by then (``for scale, dense in zip(...)``, an
earlier ``scale = 3.0``), the written name would read call()'s value instead, a different
model with exit 0.  Likewise a comprehension's variable is its own, while the ``for`` graph
code writes for it leaves its last value to the code after it."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import FunctionScope

from ...ir.bindings import read_after_loop
from ...ir.control import Loop
from ...ir.graph import Graph
from ...ir.source_text import Loc
from ..builder import refuse
from ..source import SourceFile


def bound_before(src: SourceFile, at: cst.CSTNode) -> frozenset[str]:
    """The names the method around ``at`` binds that may hold a value of its own when ``at``
    runs: its parameters, what its earlier lines bind, and what a loop around ``at`` binds.
    Nothing in ``__init__``, whose names are the values' own."""
    scope = src.scope(at)
    while scope is not None and not isinstance(scope, FunctionScope):
        scope = scope.parent if scope.parent is not scope else None
    if scope is None:
        return frozenset()  # a node a parser made (a default's value), of no method's lines
    line = src.loc(at).line
    loops = []
    node = src.parent(at)
    while node is not None and not isinstance(node, cst.FunctionDef):
        if isinstance(node, (cst.For, cst.While)):
            loops.append((src.loc(node).line, src.end_line(node)))
        node = src.parent(node)
    if node is None or node.name.value == "__init__":
        return frozenset()
    found = set()
    for assignment in scope.assignments:
        bound = getattr(assignment, "node", None)
        if bound is None:
            continue
        where = src.loc(bound).line
        if where < line or any(start <= where <= end for start, end in loops):
            found.add(assignment.name)
    return frozenset(found)


def check_comprehension_names(graph: Graph, scoped: list[tuple[Loc, Loc]]) -> None:
    """Refuses a loop read from a comprehension's list (``[Dense(units) for units in sizes]``)
    whose variable the model's code reads after it (``Dense(units)`` of ``__init__``'s
    ``units``): graph code writes the comprehension as a ``for``, after which the name is the
    last pass's value, not the one the class read."""
    made_at = dict(scoped)
    for node in graph.walk():
        if isinstance(node, Loop) and node.loc in made_at and (names := read_after_loop(graph, node)):
            name = sorted(names)[0]
            raise refuse(
                made_at[node.loc],
                f"`{name}`, this comprehension's variable, is a name the model's code reads after it too:"
                f" graph code makes the layers in a `for` loop, after which `{name}` would be the last pass's",
                f"give the comprehension's variable a name of its own (`for {name}_ in ...`)",
            )
