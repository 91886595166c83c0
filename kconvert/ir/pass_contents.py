"""What a loop pass's nodes make and read: its layers, how many layer objects one pass makes,
the tensors it makes and every value a node touches (its helpers' bodies included)."""

from __future__ import annotations

from .control import Cond
from .dataflow import consumed, produced
from .graph import walk
from .nodes import Call, Define, Node, Op


def pass_layers(body: tuple[Node, ...]) -> list[str]:
    """The layers a pass's nodes make, its helpers' included."""
    found: dict[str, None] = {}
    for node in walk(body):
        if isinstance(node, (Call, Define)):
            found[node.layer] = None
        elif isinstance(node, Op) and node.helper is not None:
            found.update(dict.fromkeys(item.layer for item in helper_nodes(node) if isinstance(item, (Call, Define))))
    return list(found)


def per_pass(body: tuple[Node, ...], seen: set[str]) -> int:
    """How many layer objects one pass makes at most: a helper block's call is one, and an
    ``if`` makes those of the branch it takes."""
    count = 0
    for node in body:
        if isinstance(node, (Call, Define)) and node.layer not in seen:
            seen.add(node.layer)
            count += 1
        elif isinstance(node, Op) and node.helper is not None:
            count += 1
        elif isinstance(node, Cond):
            count += max(per_pass(node.body, seen), per_pass(node.orelse, seen))
    return count


def helper_nodes(node: Op):
    for item in walk(node.helper.body):
        yield item
        if isinstance(item, Op) and item.helper is not None:
            yield from helper_nodes(item)


def made_inside(body: tuple[Node, ...]) -> set[str]:
    """The tensors a pass makes, those its ``if`` statements carry included."""
    values: set[str] = set()
    for node in walk(body):
        values.update(produced(node))
        for carried in getattr(node, "carried", ()):
            values.update(value for value in (carried.param, carried.result, carried.other) if value)
    return values


def values_of(node: Node) -> list[str]:
    values = list(produced(node)) + list(consumed(node))
    for carried in getattr(node, "carried", ()):
        values += [value for value in (carried.param, carried.result, carried.other) if value]
    if isinstance(node, Op) and node.helper is not None:
        values += [value for item in helper_nodes(node) for value in values_of(item)]
    return values
