"""The parameters that hold what the model's code calls to make a layer: ``dropout=AlphaDropout``.

A builder given a layer class (``dropout(rate)(x)``, the Keras examples' ``create_network``) makes
its layers with it; a class keeps the parameter for ``get_config``, where a class is no value: Keras
asks each value of a config for a config of its own, and a class has none (``get_config()`` of no
object), so the model did not save.  emit/serializable.py saves the class's registered name instead.
"""

from __future__ import annotations

from .block_params import instance_params
from .graph import Graph
from .model_parts import Block


def layer_makers(graph: Graph, blocks: tuple[Block, ...] = ()) -> frozenset[str]:
    """The parameters of ``graph`` its layers are made by calling, itself, in a block it hands
    them to (``Block(units, dropout)`` of a block calling ``dropout(rate)``), or in a function of
    the file that makes a layer (``make_stage(block, 64)`` of one calling ``block(filters)``)."""
    params = {param.name for param in graph.params if not param.star}
    by_name = {block.name: block for block in (*blocks, *graph.blocks)}
    found: set[str] = set()
    for layer in graph.layers:
        if layer.factory is None:
            continue
        if layer.factory.text in params:
            found.add(layer.factory.text)
        # Handed to a function of the file that makes layers by calling it (``make_stage(block, 64)``).
        found.update(name for name in layer.calls_given if name in params)
        block = by_name.get(layer.factory.text)
        if block is not None:
            inner = layer_makers(block.graph, tuple(by_name.values()))
            found.update(
                value.text for name, value in instance_params(block, layer).items() if name in inner and value.text in params
            )
    return frozenset(found)
