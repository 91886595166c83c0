"""A Sequential that starts with an ``Embedding`` and gives no input shape takes token
sequences of any length.

Keras builds such a model on its first batch, whatever length the data was padded to; as a
graph it starts from ``keras.Input(shape=(None,), dtype="int32")``, as the Keras examples
write a text model ("Bidirectional LSTM on IMDB").  That holds while no layer after the
embedding needs the length: a ``Flatten`` before a ``Dense``, a ``Reshape`` or a ``PReLU``
(weights per position) does, so only layers known to take any length are accepted; with
any other the model keeps no shape, and the graph styles refuse it with the hint to pass
``--input-shape``.
"""

from __future__ import annotations

from dataclasses import replace

from ...ir.control import Cond, Loop
from ...ir.graph import walk
from ...ir.nodes import Call, Define, Input, LayerDef, Node, Stmt
from ...ir.source_text import Arg, Code

# Layers whose weights and output do not depend on the length of the sequence.
ANY_LENGTH = frozenset(
    {
        "Embedding",
        "LSTM",
        "GRU",
        "SimpleRNN",
        "Bidirectional",
        "Conv1D",
        "SeparableConv1D",
        "MaxPooling1D",
        "MaxPool1D",
        "AveragePooling1D",
        "AvgPool1D",
        "GlobalMaxPooling1D",
        "GlobalMaxPool1D",
        "GlobalAveragePooling1D",
        "GlobalAvgPool1D",
        "Dense",
        "Dropout",
        "SpatialDropout1D",
        "GaussianNoise",
        "GaussianDropout",
        "Activation",
        "ReLU",
        "LeakyReLU",
        "ELU",
        "Softmax",
        "BatchNormalization",
        "LayerNormalization",
        "Masking",
    }
)

SEQUENCE_INPUT = (Arg(Code("(None,)"), "shape"), Arg(Code('"int32"'), "dtype"))


def with_any_length(body: list[Node], layers: list[LayerDef]) -> list[Node]:
    """``body`` with its shapeless input taking sequences of any length, when it can."""
    inputs = [node for node in body if isinstance(node, Input)]
    if len(inputs) != 1 or inputs[0].args:
        return body
    by_id = {layer.id: layer for layer in layers}
    calls = [node for node in walk(tuple(body)) if isinstance(node, Call)]
    if not calls or by_id[calls[0].layer].type_name != "Embedding":
        return body
    for node in walk(tuple(body)):
        # A statement that reads a tensor (``model.output_shape`` among the adds) would see
        # the length as None where the model built on data saw a number.
        if isinstance(node, Stmt) and node.refs or not isinstance(node, (Input, Call, Define, Stmt, Loop, Cond)):
            return body
    if any(layer.type_name not in ANY_LENGTH for layer in layers):
        return body
    return [replace(node, args=SEQUENCE_INPUT) if node is inputs[0] else node for node in body]


def guessed(node: Input) -> bool:
    """Whether the input is this module's guess, not one the source wrote: a model used as a
    layer of another takes its input from that model, so it keeps none of its own."""
    return node.factory is None and node.args == SEQUENCE_INPUT
