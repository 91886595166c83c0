"""A layer class of the file whose ``build()`` keeps a tensor it computes (verify38's find,
keras.io's ViViT: ``self.positions = tf.range(...)``).

Built inside the scratch graph a subclass's first call traces ``call()`` in, the layer kept a
tensor of that graph, and the converted model failed at its first call ("out of scope"); the
model class now builds its layers before any trace, in a ``build()`` of its own, as it does for a
``Normalization``. A tensor a layer makes while it is called, or a layer it makes in ``build()``,
needs nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converting import C, convert

POSITIONS = """\
import tensorflow as tf
import keras
from keras import layers


class AddPositions(layers.Layer):
    def build(self, input_shape):
        self.embedding = layers.Embedding(input_dim=input_shape[1], output_dim=input_shape[2])
        self.positions = {made}

    def call(self, tokens):
        return tokens + self.embedding(self.positions)


def build_model():
    inputs = keras.Input(shape=(6, 4))
    x = AddPositions()(inputs)
    x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(inputs, layers.Dense(2)(x))


model = build_model()
"""
BUILD = "    def build(self, input_shape):\n"
TRACED = "        self.call(keras.Input(batch_shape=input_shape))\n"


@pytest.mark.parametrize("made", ["tf.range(input_shape[1])", "keras.ops.arange(input_shape[1])"])
def test_a_model_calling_a_layer_that_keeps_a_built_tensor_builds_before_any_trace(made: str) -> None:
    out = convert(POSITIONS.format(made=made), C)
    model = out.split("class MyModel(keras.Model):\n")[1]
    assert BUILD in model and TRACED in model
    # Said of the layer that needs it: the model has no Normalization.
    assert "        layer makes while it is built stay usable.\"\"\"\n" in model


GIVEN = POSITIONS.replace("def build_model():", "def build_model(adder):").replace(
    "x = AddPositions()(inputs)", "x = adder(inputs)"
).replace("model = build_model()", "model = build_model(AddPositions())")


def test_a_layer_the_builder_is_given_may_be_such_a_layer_when_the_file_has_one() -> None:
    # ViViT hands `positional_encoder=PositionalEncoder(...)` to its builder.
    out = convert(GIVEN.format(made="tf.range(input_shape[1])"), C)
    assert TRACED in out.split("class MyModel(keras.Model):\n")[1]
    assert TRACED not in convert(GIVEN.format(made="list(range(input_shape[1]))"), C)


def test_a_layer_that_makes_only_layers_or_numbers_in_build_needs_no_build_of_the_model() -> None:
    out = convert(POSITIONS.format(made="list(range(input_shape[1]))"), C)
    assert TRACED not in out


@pytest.mark.tensorflow
@pytest.mark.parametrize("written", [POSITIONS, GIVEN], ids=["made", "given"])
def test_the_model_verifies_against_the_functional_original(tmp_path: Path, written: str) -> None:
    import kconvert

    source = written.format(made="tf.range(input_shape[1])")
    (tmp_path / "original.py").write_text(source)
    (tmp_path / "converted.py").write_text(convert(source, C))
    report = kconvert.verify(tmp_path / "original.py", tmp_path / "converted.py")
    assert report.verdict == kconvert.Verdict.EQUIVALENT, report.render()
