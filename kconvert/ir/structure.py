"""A graph's structure with every name and spelling taken out.

Two graphs with equal ``structure`` build the same model: the same layers made
with the same arguments, called on the same tensors in the same order.  Round
trip tests compare this, since a conversion may rename tensors, move
``input_shape=`` into ``keras.Input`` or requote strings.
"""

from __future__ import annotations

import black

from .code import render
from .graph import Arg, Call, Code, Cond, Graph, Input, Loop, Node, Op, produced


def structure(graph: Graph) -> tuple:
    values: dict[str, int] = {}
    layers: dict[str, int] = {}

    def code(value: Code) -> str:
        text = value.text
        for placeholder_name, ref in value.refs:
            text = _replace_name(text, placeholder_name, f"T{values[ref]}")
        return _normal(text)

    def args(items: tuple[Arg, ...]) -> tuple:
        return tuple((arg.keyword, arg.star, code(arg.value)) for arg in items)

    def walk(body: tuple[Node, ...]) -> tuple:
        out = []
        for node in body:
            if isinstance(node, Input):
                values[node.out] = len(values)
                out.append(("input", args(node.args)))
            elif isinstance(node, Call):
                layer = graph.layer(node.layer)
                key = layers.setdefault(layer.id, len(layers))
                made = (layer.type_name, _normal(layer.factory.text) if layer.factory else None, args(layer.args))
                entry = ("call", key, made, args(node.args), len(node.more))
                for value in produced(node):
                    values[value] = len(values)
                out.append(entry)
            elif isinstance(node, Op):
                entry = ("op", code(node.expr), len(node.more))
                for value in produced(node):
                    values[value] = len(values)
                out.append(entry)
            elif isinstance(node, (Loop, Cond)):
                for carried in node.carried:
                    values[carried.param] = values[carried.init]
                inner = walk(node.body)
                for carried in node.carried:
                    values[carried.out] = values[carried.result]
                if isinstance(node, Loop):
                    out.append(("loop", node.target, code(node.iterable), inner))
                else:
                    out.append(("if", code(node.test), inner))
        return tuple(out)

    body = walk(graph.body)
    return body, code(graph.inputs), code(graph.outputs), code(graph.name) if graph.name else None


def _replace_name(text: str, old: str, new: str) -> str:
    return render(Code(text, ((old, "_"),)), {"_": new})


def _normal(text: str) -> str:
    """The expression as black would print it, so quoting and spacing do not count."""
    try:
        return black.format_str(f"({text})", mode=black.Mode(line_length=10_000)).strip()
    except black.InvalidInput:
        return text
