"""Calls of helper blocks as calls of layers: what a style that writes blocks as ``Layer`` classes sees.

A block instance is a layer (Keras' ``Layer`` inside a ``Model``): each call of
a block that an emitter writes as a class becomes a ``Call`` of a layer made as
``ClassName(<the call's other arguments>)``, so loops, names and attributes
treat it as any other layer (``self.blocks = [ResidualBlock(f) for f in ...]``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Mapping

from .control import Cond, Loop
from .graph import Graph, walk
from .nodes import Call, Define, Helper, LayerDef, Node, Op
from .source_text import Arg, Code, ref


def blocks_as_layers(graph: Graph, classes: Mapping[str, str]) -> Graph:
    """``graph`` with each call of a block in ``classes`` (block name → class name) a layer call."""
    layers: list[LayerDef] = []
    numbered: Counter = Counter()
    # Each call once, though nested loops each walk it.
    calls = {
        id(inner): inner.helper.block
        for node in walk(graph.body)
        if isinstance(node, Loop)
        for inner in walk(node.body)
        if isinstance(inner, Op) and inner.helper is not None
    }
    in_loops = Counter(calls.values())

    def body_of(body: tuple[Node, ...], in_loop: bool = False) -> tuple[Node, ...]:
        out = []
        for node in body:
            helper = node.helper if isinstance(node, Op) else None
            if helper is not None and helper.block in classes:
                name = classes[helper.block]
                # A list of block instances is named after the function: ``self.residual_blocks``;
                # lists of one function's several calls are numbered alike, as layers of one type are.
                # A method's leading ``_`` (``self._conv_block``) says private to its class: no
                # attribute of the model's (the layer names of its body drop it too).
                stem = helper.block.lstrip("_") or helper.block
                plural = None
                if in_loop and in_loops[helper.block] == 1:
                    plural = f"{stem}s"
                elif in_loop:
                    numbered[helper.block] += 1
                    plural = f"{stem}_{numbered[helper.block]}_layers"
                layer = LayerDef(f"b{len(layers) + 1}", name, Code(name), helper.args, "inline", node.loc, plural)
                layers.append(layer)
                args = tuple(Arg(_given(helper, value)) for value in helper.inputs)
                node = Call(node.out, layer.id, args, node.loc, node.name, node.more)
            elif isinstance(node, Cond):
                node = replace(node, body=body_of(node.body, in_loop), orelse=body_of(node.orelse, in_loop))
            elif isinstance(node, Loop):
                node = replace(node, body=body_of(node.body, True))
            out.append(node)
        return tuple(out)

    body = body_of(graph.body)
    # The layers of the helper bodies written out at each call are now the blocks' own.
    used = {node.layer for node in _written_out(body) if isinstance(node, (Call, Define))}
    kept = tuple(layer for layer in graph.layers if layer.id in used)
    return replace(graph, body=body, layers=kept + tuple(layers))


def _given(helper: Helper, value: str) -> Code:
    """The block's input ``value`` as the call gives it: the tensor, or the expression the
    call passes (``down_block(pair[0], 64)``), which the written-out body binds first."""
    bound = next((node for node in helper.body if isinstance(node, Op) and node.out == value and not node.helper), None)
    return bound.expr if bound is not None else ref(value)


def _written_out(body: tuple[Node, ...]):
    for node in walk(body):
        yield node
        if isinstance(node, Op) and node.helper is not None:
            yield from _written_out(node.helper.body)
