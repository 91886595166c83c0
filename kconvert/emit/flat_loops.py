"""Nested loops whose passes call() runs one after the other, as one flat list of layers.

``for stack in range(2): for block in range(2): x = Block(...)(x)`` makes four
blocks that call() calls in order: an expert keeps them in one list, filled by
the same nested loops in ``__init__`` (``self.blocks.append(Block(...))``) and
called by one ``for block in self.blocks: x = block(x)``.  That holds when the
outer loop's call()-side body is the inner loop alone, carrying the same tensor
straight through, and neither loop's call()-side code reads its variable
(parse/init_lists.py reads such a flat list back as the nested loops).
"""

from __future__ import annotations

from ..ir.control import Loop
from ..ir.graph import Graph
from ..ir.nodes import Stmt
from .subclass.helpers import loops_over_iterable


def flat_inner(loop: Loop, graph: Graph) -> Loop | None:
    """The loop inside ``loop`` that call() runs for all of their passes at once, or None."""
    steps = [node for node in loop.body if not isinstance(node, Stmt)]
    if len(steps) != 1 or not isinstance(steps[0], Loop):
        return None
    inner = steps[0]
    if loop.items or inner.items or not loop.target or not inner.target:
        return None
    if len(loop.carried) != 1 or len(inner.carried) != 1:
        return None
    outer, own = loop.carried[0], inner.carried[0]
    if own.init != outer.param or outer.result != own.out or own.name != outer.name:
        return None
    if loops_over_iterable(loop, graph) or loops_over_iterable(inner, graph):
        return None
    # A loop inside the inner one keeps its lists of lists: only the innermost pair is flat.
    if any(isinstance(node, Loop) for node in inner.body):
        return None
    return inner
