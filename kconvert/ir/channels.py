"""The channels (last dimension) of a block's tensors, as its layers' arguments say them.

``x = Conv2D(filters, 3)(x)`` has ``filters`` channels whatever its input had, and a
``BatchNormalization`` or an ``Activation`` after it keeps them.  A test a helper asks of a
tensor its layers made (``if residual.shape[-1] != x.shape[-1]:``) is then a test on its
parameters and its input's shape, which a block class can ask in ``build(input_shape)``
before any tensor exists.  Only layers whose last dimension is one of their arguments, or
that keep their input's shape, are read, in the channels-last format they default to; any
other tensor's channels are unknown (None), and the block is left to ``call()``.
"""

from __future__ import annotations

from .control import Cond
from .graph import Graph, walk
from .nodes import Call
from .reads import identifiers_of

# Layers whose output has as many channels as their first argument says (``filters=``, ``units=``).
MAKES = {
    **dict.fromkeys(
        ("Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D"),
        "filters",
    ),
    "Dense": "units",
}
# Layers whose output has their input's shape, whatever their arguments.
KEEPS = frozenset(
    {
        "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax",
        "BatchNormalization", "LayerNormalization", "GroupNormalization", "Rescaling",
        "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
    }
)
# Layers that keep the channels but for ``data_format="channels_first"``.
POOLS = frozenset(
    f"{kind}{rank}D" for kind in ("MaxPooling", "AveragePooling", "ZeroPadding", "UpSampling", "Cropping") for rank in (1, 2, 3)
)


def known_channels(graph: Graph, entering: frozenset[str], params: set[str]) -> dict[str, str]:
    """``{value: expression}`` of the tensors of ``graph``'s top-level body whose channels its
    parameters alone say (``filters``), or its input's (``input_shape[-1]``, for the values
    of ``entering``); a tensor an ``if`` carries in has the channels it had."""
    channels = dict.fromkeys(entering, "input_shape[-1]")
    for node in graph.body:
        if isinstance(node, Call) and not node.more:
            said = _channels(graph, node, channels, params)
            if said is not None:
                channels[node.out] = said
    for node in walk(graph.body):
        if isinstance(node, Cond):
            channels.update({item.param: channels[item.init] for item in node.carried if item.init in channels})
    return {value: text for value, text in channels.items() if value not in entering}


def _channels(graph: Graph, call: Call, channels: dict[str, str], params: set[str]) -> str | None:
    tensors = [arg for arg in call.args if arg.value.refs]
    if len(tensors) != 1 or tensors[0].keyword or tensors[0].star or len(tensors[0].value.refs) != 1:
        return None
    name, value = tensors[0].value.refs[0]
    if tensors[0].value.text != name or value not in channels:
        return None
    layer = graph.layer(call.layer)
    if layer.factory is None or layer.reads_tensors:
        return None
    if layer.type_name in KEEPS or (layer.type_name in POOLS and not any(arg.keyword == "data_format" for arg in layer.args)):
        return channels[value]
    if layer.type_name not in MAKES or any(arg.keyword == "data_format" or arg.star for arg in layer.args):
        return None
    given = [arg for arg in layer.args if arg.keyword == MAKES[layer.type_name]] or layer.args[:1]
    if not given or given[0].keyword not in (None, MAKES[layer.type_name]) or not identifiers_of(given[0].value.text) <= params:
        return None
    return given[0].value.text
