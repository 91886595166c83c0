"""Layers a graph class keeps as attributes, because code outside its graph reads them.

A subclass's layers are attributes, and the rest of the file may read them
(``autoencoder.encoder(x)``, a ``train_step`` that calls ``self.decoder``).  The class whose
``__init__`` builds a graph keeps them the way keras-hub's backbones do: made first as
``self.encoder = ...`` and called as ``self.encoder(x)`` in the graph code, which its reader
reads back as the same layer.  A layer called inside a loop or a branch, more than once, or
made from a tensor stays where it is made: the attribute would hold the last one made.
"""

from __future__ import annotations

from dataclasses import replace

from ..ir.graph import Graph
from ..ir.nodes import Call, Define, Node


def kept_attributes(graph: Graph, names: frozenset[str]) -> frozenset[str]:
    """Of the layer attributes ``names``, those the graph class can keep: layers of the graph
    called once, at the top of its body, and made from no tensor."""
    top = [node.layer for node in graph.body if isinstance(node, Call)]
    everywhere = [node.layer for node in graph.walk() if isinstance(node, Call)]
    return frozenset(
        layer.name
        for layer in graph.layers
        if layer.name in names
        and layer.binding in ("inline", "named")
        and not layer.reads_tensors
        and layer.function is None
        and top.count(layer.id) == 1
        and everywhere.count(layer.id) == 1
    )


def as_attributes(graph: Graph, names: frozenset[str]) -> Graph:
    """``graph`` with each layer of ``kept_attributes`` made as ``self.<name> = ...`` just before
    its call, which calls the attribute."""
    kept = kept_attributes(graph, names)
    if not kept:
        return graph
    chosen = {layer.id for layer in graph.layers if layer.name in kept}
    layers = tuple(
        replace(layer, name=f"self.{layer.name}", binding="named") if layer.id in chosen else layer
        for layer in graph.layers
    )
    body: list[Node] = []
    defined = {node.layer for node in graph.body if isinstance(node, Define)}
    for node in graph.body:
        if isinstance(node, Call) and node.layer in chosen:
            if node.layer not in defined:
                body.append(Define(node.layer, graph.layer(node.layer).loc))
            # A subclass's reader names a call's output after the attribute (``body = self.body(x)``),
            # which the graph class's reader would take for the attribute itself.
            if node.name == graph.layer(node.layer).name:
                node = replace(node, name=None)
        body.append(node)
    return replace(graph, layers=layers, body=tuple(body))
