"""What the chain walk's refusals say: the hint for a graph that is not one chain, why a
helper call cannot be listed, and the name the source gave each tensor, to name it by."""

from __future__ import annotations

from ...ir.control import Cond, Loop
from ...ir.graph import Graph, walk
from ...ir.nodes import Call, Input, Node, Op

CHAIN_HINT = "keep this model in the Functional API, or convert it to a subclass"


def helper_refusal(name: str, why: str) -> tuple[str, str]:
    return (
        f"`{name}(...)` is a function that {why}; a Sequential model lists layer objects, not code that makes them",
        "keep the Functional API, or convert it to a subclass",
    )


def source_names(graph: Graph) -> dict[str, str]:
    """The variable name the source gave each tensor, for refusals."""
    return _names_in(graph.body)


def _names_in(body: tuple[Node, ...]) -> dict[str, str]:
    names = {}
    for node in walk(body):
        if isinstance(node, (Input, Call, Op)) and node.name:
            names[node.out] = node.name
        elif isinstance(node, (Loop, Cond)):
            for carried in node.carried:
                if carried.name:
                    names.update({carried.param: carried.name, carried.result: carried.name, carried.out: carried.name})
        if isinstance(node, Op) and node.helper is not None:
            names.update(_names_in(node.helper.body))
            # A call of a helper that the source does not name reads as the call (``conv_bn(...)``).
            names.setdefault(node.out, f"{node.helper.name}(...)")
    return names
