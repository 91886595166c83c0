"""A graph's structure with every name and spelling taken out.

Two graphs with equal ``structure`` build the same model: the same layers made
with the same arguments, called on the same tensors in the same order.  Round
trip tests compare this, since a conversion may rename tensors, move
``input_shape=`` into ``keras.Input`` or requote strings.
"""

from __future__ import annotations

import functools

import black

from .code import render
from .graph import SHAPE_HINTS, Arg, Call, Code, Cond, Graph, Input, Loop, Node, Op, produced


def structure(graph: Graph, expand_helpers: bool = False) -> tuple:
    """The graph without names; ``expand_helpers`` writes helper calls out as their layers."""
    # Tensors are numbered in the order they are first read, so a value that
    # one style names and another does not (a helper's result) changes nothing.
    aliases: dict[str, str] = {}
    numbers: dict[str, int] = {}
    layers: dict[str, int] = {}

    def number(value: str) -> str:
        while value in aliases:
            value = aliases[value]
        return f"T{numbers.setdefault(value, len(numbers))}"

    def code(value: Code) -> str:
        text = value.text
        for placeholder_name, ref in value.refs:
            text = _replace_name(text, placeholder_name, number(ref))
        return _normal(text)

    def args(items: tuple[Arg, ...]) -> tuple:
        return tuple((arg.keyword, arg.star, code(arg.value)) for arg in items)

    def walk(body: tuple[Node, ...]) -> tuple:
        out = []
        for node in body:
            if isinstance(node, Input):
                out.append(("input", args(node.args), node.out))
            elif isinstance(node, Call):
                layer = graph.layer(node.layer)
                key = layers.setdefault(layer.id, len(layers))
                kept = tuple(arg for arg in layer.args if arg.keyword not in SHAPE_HINTS)
                made = (layer.type_name, _normal(layer.factory.text) if layer.factory else None, args(kept))
                out.append(("call", key, made, args(node.args), len(node.more)))
            elif isinstance(node, Op) and expand_helpers and node.helper is not None and node.helper.body:
                out.extend(walk(node.helper.body))
                aliases.update(zip(produced(node), node.helper.results))
            elif isinstance(node, Op):
                out.append(("op", code(node.expr), len(node.more)))
            elif isinstance(node, (Loop, Cond)):
                for carried in node.carried:
                    aliases[carried.param] = carried.init
                inner = walk(node.body)
                for carried in node.carried:
                    aliases[carried.out] = carried.result
                if isinstance(node, Loop):
                    out.append(("loop", node.target, code(node.iterable), inner))
                else:
                    out.append(("if", code(node.test), inner))
        return tuple(out)

    body = _number_inputs(walk(graph.body), number)
    return body, code(graph.inputs), code(graph.outputs), code(_name(graph)) if graph.name else None


def _number_inputs(body: tuple, number) -> tuple:
    """Each Input with the number of its tensor, known once the whole graph has read it."""
    out = []
    for entry in body:
        if entry[0] == "input":
            entry = (entry[0], entry[1], number(entry[2]))
        elif entry[0] in ("loop", "if"):
            entry = (*entry[:-1], _number_inputs(entry[-1], number))
        out.append(entry)
    return tuple(out)


def _name(graph: Graph) -> Code:
    """The model's name; a builder parameter (``name="mlp"``) by its default, which a subclass keeps."""
    for param in graph.params:
        if param.name == graph.name.text and param.default is not None:
            return param.default
    return graph.name


def _replace_name(text: str, old: str, new: str) -> str:
    return render(Code(text, ((old, "_"),)), {"_": new})


@functools.lru_cache(maxsize=4096)
def _normal(text: str) -> str:
    """The expression as black would print it, so quoting and spacing do not count.

    Remembered by text: black costs about a millisecond a call, and the same
    arguments (``64``, ``activation="relu"``) come back in every layer.
    """
    try:
        return black.format_str(f"({text})", mode=black.Mode(line_length=10_000, magic_trailing_comma=False)).strip()
    except black.InvalidInput:
        return text
