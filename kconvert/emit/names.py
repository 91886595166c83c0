"""Naming tensors in emitted code without ever clobbering one still in use.

Values keep the name the source gave them where it had one; generated names are
idiomatic (``inputs``, ``x``, ``outputs``).  A name is taken only when no live
value holds it and the rest of the file does not read it (``reserved``); else a
numbered variant (``x_1``) is used.  Loops share one name for the tensor they
carry, as the ``for`` statement needs.
"""

from __future__ import annotations

import keyword

from ..ir.graph import Call, Carrier, Graph, Input, Node, Op, consumed, produced, walk


class Namer:
    def __init__(self, graph: Graph, reserved: frozenset[str]) -> None:
        self.graph = graph
        self.reserved = set(reserved)
        self.names: dict[str, str] = {}
        self.bound: dict[str, str] = {}
        self.last_use, self.positions = _liveness(graph)
        self.position = 0

    def __getitem__(self, value: str) -> str:
        return self.names[value]

    def bind(self, value: str, preferred: str, fixed: bool = False) -> str:
        """Gives ``value`` a name at the current position and returns it."""
        name = preferred if fixed else self._free(preferred)
        self.names[value] = name
        self.bound[name] = value
        return name

    def advance(self, node: Node) -> None:
        self.position = self.positions.get(id(node), self.position)

    def _free(self, preferred: str) -> str:
        candidate = preferred
        counter = 0
        while not self._available(candidate):
            counter += 1
            candidate = f"{preferred}_{counter}"
        return candidate

    def _available(self, name: str) -> bool:
        if keyword.iskeyword(name) or not name.isidentifier():
            return False
        holder = self.bound.get(name)
        if holder is not None:
            return self.last_use.get(holder, -1) <= self.position
        return name not in self.reserved


def default_name(graph: Graph, node: Node) -> str:
    """The idiomatic name for a node's output when the source gave none."""
    if isinstance(node, Input):
        count = len(graph.inputs_in_order())
        return "inputs" if count == 1 else "input_1"
    if isinstance(node, (Call, Op)) and node is graph.body[-1] and node.out in graph.outputs.values:
        return "outputs"
    return "x"


def _liveness(graph: Graph) -> tuple[dict[str, int], dict[int, int]]:
    """The program position of each value's last use, and of each node.

    A value made before a loop (or ``if``) and read inside it lives until its end.
    """
    last: dict[str, int] = {}
    positions: dict[int, int] = {}
    counter = 0

    def visit(body: tuple[Node, ...]) -> None:
        nonlocal counter
        for node in body:
            if isinstance(node, Op) and node.helper is not None:
                # A subclass writes the helper's body out just before the helper's result is named.
                visit(node.helper.body)
            counter += 1
            positions[id(node)] = counter
            if isinstance(node, Carrier):
                start = counter
                visit(node.body)
                end = counter
                last[node.init] = max(last.get(node.init, 0), start)
                local = {node.param} | {value for inner in walk(node.body) for value in produced(inner)}
                for inner in walk(node.body):
                    for value in consumed(inner):
                        if value not in local:
                            last[value] = max(last.get(value, 0), end)
                continue
            for value in consumed(node):
                last[value] = max(last.get(value, 0), counter)

    visit(graph.body)
    end = counter + 1
    for value in graph.outputs.values + graph.inputs.values:
        last[value] = end
    return last, positions

