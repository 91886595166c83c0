"""Where a saved model's graph passes through a single tensor: the cut points between its blocks.

The body of a lifted Functional graph is in topological order.  Between two
nodes the graph is *cut* when exactly one tensor made before that point is read
after it (the model's outputs count as read at the end): everything before
hands on that one tensor and nothing else.  The nodes between two cuts are a
``Segment``: one tensor in, one tensor out, whatever branches inside (a
residual block is one segment, since its shortcut keeps a second tensor alive).
One sweep over the body finds every cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.graph import Graph
from ...ir.dataflow import consumed, produced


@dataclass(frozen=True)
class Segment:
    """The nodes ``body[start:end]``, reading only ``entry`` from before and leaving only ``exit``."""

    start: int
    end: int
    entry: str
    exit: str


def segments(graph: Graph) -> list[Segment]:
    """The segments between consecutive cuts of ``graph.body``, in order."""
    body = graph.body
    made: dict[str, int] = {}
    last: dict[str, int] = {}
    for position, node in enumerate(body):
        for value in consumed(node):
            last[value] = position
        for value in produced(node):
            made[value] = position
    for value in graph.outputs.values:
        last[value] = len(body)
    # Each value is live across the boundaries after its maker up to its last reader.
    starting: dict[int, list[str]] = {}
    ending: dict[int, list[str]] = {}
    for value, position in made.items():
        if last.get(value, position) > position:
            starting.setdefault(position, []).append(value)
            ending.setdefault(last[value], []).append(value)
    live: set[str] = set()
    cuts: list[tuple[int, str]] = []  # (boundary before body[boundary], the one live value)
    for position in range(len(body)):
        live.difference_update(ending.get(position, ()))
        live.update(starting.get(position, ()))
        if len(live) == 1:
            cuts.append((position + 1, next(iter(live))))
    found = []
    for (start, entry), (end, exit_) in zip(cuts, cuts[1:]):
        if made.get(exit_, -1) >= start:
            found.append(Segment(start, end, entry, exit_))
    return found
