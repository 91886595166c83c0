"""Layer and helper calls the source wrote inside the expression that reads them.

``x = layers.Flatten()(layers.Embedding(100, 8)(inputs))``, ``Dense(2)(block(block(x, 8), 16))``:
the parser lifts the inner call out as a node of its own (``Call.nested``, ``Op.nested``).  The graph styles write it back where
the source had it, rather than as a line of its own with a made-up name, when its
tensor has that one reader and nothing else comes between the two: the run of nested
calls just before a node that reads them (``Concatenate()([Dense(1)(a), Dense(2)(b)])``).
"""

from __future__ import annotations

from ..ir.dataflow import consumed
from ..ir.graph import Graph
from ..ir.nodes import Call, Node, Op


def nested_calls(graph: Graph, body: tuple[Node, ...]) -> frozenset[int]:
    """The ``id``s of the calls (and helper calls) of ``body`` written inside the expression of their reader."""
    readers: dict[str, list[Node]] = {}
    for node in graph.walk():
        for value in consumed(node):
            readers.setdefault(value, []).append(node)
    returned = set(graph.outputs.values)

    def inside(node: Node, group: set[int]) -> bool:
        if not isinstance(node, (Call, Op)) or not node.nested or node.more or node.out in returned:
            return False
        if isinstance(node, Op) and node.changes is not None:
            return False
        read = readers.get(node.out, [])
        return len(read) == 1 and id(read[0]) in group

    found: set[int] = set()
    for index, node in enumerate(body):
        # A statement that changes a list in place is written as it reads, without expressions put in.
        if not isinstance(node, (Call, Op)) or isinstance(node, Op) and node.changes is not None:
            continue
        group = {id(node)}
        before = index - 1
        while before >= 0 and inside(body[before], group):
            group.add(id(body[before]))
            before -= 1
        found |= group - {id(node)}
    return frozenset(found)
