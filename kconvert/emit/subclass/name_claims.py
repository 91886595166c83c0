"""Which layer keeps a tensor name that several layers' outputs took in turn.

``layer_1 = Dropout(0.1)(x)`` then ``layer_1 = Dense(500)(layer_1)``: the name is the
source's for the pair, and an attribute can be only one layer's.  It goes to the layer it
names (``conv1`` to the ``Conv2D`` of ``conv1 = BatchNormalization()(conv1)``), else to the
one layer of the pair with weights (``output_layer`` is the ``Dense``, not the ``Dropout``
before it); the others are named after their type, as a layer the source did not name is.
"""

from __future__ import annotations

from ...ir.graph import Graph
from ...ir.weightless import WEIGHTLESS_LAYERS


def settle_claims(graph: Graph, preferred_of: dict[str, str | None], noun) -> dict[str, str | None]:
    """``preferred_of`` with each name that layers of different types claim left to one of them;
    ``noun`` gives a layer type's attribute noun (``conv`` for ``Conv2D``)."""
    claimants: dict[str, list] = {}
    for layer in graph.layers:
        name = preferred_of[layer.id]
        if name is not None and name != layer.name:
            claimants.setdefault(name, []).append(layer)
    settled = dict(preferred_of)
    for name, layers in claimants.items():
        if len(layers) < 2 or len({layer.type_name for layer in layers}) < len(layers):
            # One claimant, or several of one type: those are numbered under the name.
            continue
        named = [layer for layer in layers if noun(layer.type_name) in name]
        weighted = [layer for layer in layers if layer.type_name not in WEIGHTLESS_LAYERS]
        keeper = (named or (weighted if len(weighted) == 1 else layers))[0]
        for layer in layers:
            if layer is not keeper:
                settled[layer.id] = None
    return settled
