"""A block whose layers are sized by a later input's shape takes that input first.

``attention_gate(g, x)`` that makes ``Conv2D(x.shape[-1], 1)`` is a Layer class
whose ``build(input_shape)`` makes that layer; Keras (2 and 3 alike) hands a
one-argument ``build()`` the shape of the first tensor argument only, so the
class takes ``x`` first: ``call(self, x, g)``, called as ``AttentionGate()(x, g)``.
The block's inputs and every call of it are reordered together, so the graph is
the same: only the order its tensors are passed in changes.
"""

from __future__ import annotations

from dataclasses import replace

from ...ir.control import Cond
from ...ir.graph import Graph
from ...ir.nodes import Carrier, Node, Op
from ...ir.source_text import Code, placeholder
from ...parse.shape_tests import shape_values


def shape_input_first(graph: Graph) -> Graph:
    """``graph`` with each block whose layers read the shape of one input, not its first, taking
    that input first."""
    orders: dict[str, tuple[int, ...]] = {}
    blocks = []
    for block in graph.blocks:
        order = _order(block.graph)
        if order is not None:
            orders[block.name] = order
            inputs = block.graph.inputs_in_order()
            values = [inputs[index].out for index in order]
            block = replace(block, graph=replace(block.graph, inputs=_tuple(values)))
        blocks.append(block)
    if not orders:
        return graph

    def body_of(body: tuple[Node, ...]) -> tuple[Node, ...]:
        return tuple(map(node_of, body))

    def node_of(node: Node) -> Node:
        if isinstance(node, Op) and node.helper is not None:
            helper = replace(node.helper, body=body_of(node.helper.body))
            order = orders.get(helper.block)
            if order is not None and len(helper.inputs) == len(order):
                helper = replace(helper, inputs=tuple(helper.inputs[index] for index in order))
            return replace(node, helper=helper)
        if isinstance(node, Cond):
            return replace(node, body=body_of(node.body), orelse=body_of(node.orelse))
        if isinstance(node, Carrier):
            return replace(node, body=body_of(node.body))
        return node

    blocks = [replace(block, graph=replace(block.graph, body=body_of(block.graph.body))) for block in blocks]
    return replace(graph, body=body_of(graph.body), blocks=tuple(blocks))


def _order(graph: Graph) -> tuple[int, ...] | None:
    """The new order of the block's inputs (indexes into the old), or None to keep it."""
    inputs = graph.inputs_in_order()
    if len(inputs) < 2:
        return None
    read = _shapes_read(graph, {node.out for node in inputs})
    if len(read) != 1:
        return None
    first = next(index for index, node in enumerate(inputs) if node.out in read)
    if first == 0:
        return None
    return (first, *(index for index in range(len(inputs)) if index != first))


def _shapes_read(graph: Graph, inputs: set[str]) -> set[str]:
    """The inputs whose shapes the block's layers are made from, directly or through a value
    computed from shapes alone (``width = x.shape[-1]``)."""
    static = shape_values(graph.body)
    exprs = {node.out: node.expr for node in graph.walk() if isinstance(node, Op) and node.out in static}
    todo = [value for layer in graph.layers for arg in layer.args for value in arg.value.values]
    seen: set[str] = set()
    while todo:
        value = todo.pop()
        if value not in seen:
            seen.add(value)
            todo += list(exprs[value].values) if value in exprs else []
    return seen & inputs


def _tuple(values: list[str]) -> Code:
    names = [placeholder(value) for value in values]
    return Code(f"({', '.join(names)})", tuple(zip(names, values)))
