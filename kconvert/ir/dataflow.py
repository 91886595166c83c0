"""Which tensors each node of a graph makes and reads, and what an ``if``'s ``else`` and a
graph's in-place lists carry: the questions every pass over the IR asks of a node."""

from __future__ import annotations

from .control import Cond, Loop
from .graph import Graph
from .nodes import Call, Carrier, Input, Node, Op, Stmt
from .source_text import ValueId


def has_else(node: Cond) -> bool:
    """Whether the ``if`` has an ``else``: with nodes of its own, or one that only rebinds a carried
    name to a tensor made before (``else: shortcut = inputs``), which makes no node."""
    return bool(node.orelse) or any(carried.other is not None for carried in node.carried)


def produced(node: Node) -> tuple[ValueId, ...]:
    """The tensors a node makes visible to the nodes after it."""
    if isinstance(node, (Call, Op)):
        return (node.out, *(value for value, _ in node.more))
    if isinstance(node, Input):
        return (node.out,)
    if isinstance(node, Carrier):
        return tuple(carried.out for carried in node.carried)
    return ()


def consumed(node: Node) -> tuple[ValueId, ...]:
    """The tensors a node reads from the nodes before it."""
    if isinstance(node, Call):
        return tuple(value for arg in node.args for value in arg.value.values)
    if isinstance(node, Op):
        return node.expr.values
    if isinstance(node, Cond):
        return (*node.test.values, *(carried.init for carried in node.carried if carried.init is not None))
    if isinstance(node, Stmt):
        return tuple(value for _, value in node.refs)
    if isinstance(node, Loop):
        drawn = tuple(value for item in node.items for value in item.source.values)
        return (*node.iterable.values, *drawn, *(carried.init for carried in node.carried))
    if isinstance(node, Carrier):
        return tuple(carried.init for carried in node.carried)
    return ()


def list_names(graph: Graph) -> frozenset[str]:
    """The variables holding lists of tensors (``skips``) that a statement of the graph changes in place."""
    return frozenset(node.name for node in graph.walk() if isinstance(node, Op) and node.changes is not None)
