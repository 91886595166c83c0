"""A module-level model whose lines bind again a variable the file bound before them, or that a
subclass keeps outside its class (parse/module_rebinding.py).  Found converting Keras' VAE
example's decoder alone (its loop counts `filters` down from what the encoder left) and, with it,
two silent wrong conversions to a subclass, whose layers all saw a variable's last value."""

from __future__ import annotations

import textwrap

import pytest

from converting import C, F, convert, refusal
from kconvert.types import Style
from kconvert.verify import Verdict, Worker, verify_sources

FS = Style.FUNCTIONAL_SUBCLASS

DECODER = """\
import keras
from keras import layers

filters = 32
latent = keras.Input(shape=(4, 4, 8))
y = latent
for i in range(2):
{loop}
decoder = keras.Model(latent, y)
"""

COUNTS_DOWN = '    y = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(y)\n    filters //= 2'


@pytest.mark.parametrize("target", [C, FS])
def test_a_count_the_model_changes_from_the_files_value_is_refused_for_a_class(target) -> None:
    message = refusal(DECODER.format(loop=COUNTS_DOWN), target)[0]
    assert message.startswith("m.py:9:5: error: `filters //= 2` binds `filters` again, which the file bound")
    assert f"in a {target} model those lines run in a method, where `filters` would be a name of its own" in message
    assert message.endswith("(hint: give `filters` its value among the model's lines (`filters = ...` before its"
                            " first use), or keep this model functional)")


def test_the_graph_styles_keep_the_lines_where_they_run() -> None:
    source = DECODER.format(loop=COUNTS_DOWN)
    assert convert(source, F) == source


@pytest.mark.parametrize(
    "loop",
    [
        # Bound among the model's lines before any read: the class binds it first too.
        '    filters = 16\n    y = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(y)',
        # Only read: the class reads the module's variable.
        '    y = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(y)',
    ],
)
def test_a_variable_the_lines_bind_first_or_only_read_converts(loop) -> None:
    source = DECODER.format(loop=loop)
    assert "class Decoder(keras.Model):" in convert(source, C)
    assert "class Decoder(keras.Model):" in convert(source, FS)


def test_a_binding_in_a_branch_that_may_not_run_does_not_count_as_made() -> None:
    loop = '    if i:\n        filters = 16\n    y = layers.Conv2DTranspose(filters, 3, strides=2, padding="same")(y)'
    assert "binds `filters` again" in refusal(DECODER.format(loop=loop), C)[0]


GROWN = """\
import keras
from keras import layers

model = keras.Sequential()
units = 8
model.add(layers.Dense(units, input_shape=(4,)))
{between}
model.add(layers.Dense(units))
model.compile(loss="mse")
print(units)
"""


@pytest.mark.parametrize(("between", "line"), [("units = 16", 7), ("units += 8", 7)])
def test_a_name_read_after_the_model_and_bound_again_among_its_lines_is_refused_for_a_subclass(between, line) -> None:
    # A subclass keeps `units = ...` outside the class, which is made after both lines ran: both
    # Dense layers would get the last value (the conversion used to exit 0 with that model).
    message = refusal(GROWN.format(between=between), C)[0]
    assert message.startswith(f"m.py:{line}:1: error: `{between}` binds `units` again among the model's lines,")
    assert "whose layers would all see the last `units` (hint: give each value its own name" in message


def test_a_name_bound_once_and_read_after_the_model_stays_outside_the_class() -> None:
    out = convert(GROWN.format(between=""), C)
    assert out.startswith("import keras\nfrom keras import layers\n\nunits = 8\n")
    assert "        self.dense1 = layers.Dense(units)\n        self.dense2 = layers.Dense(units)\n" in out


@pytest.mark.tensorflow
def test_a_kept_name_bound_once_is_proven() -> None:
    source = textwrap.dedent(GROWN.format(between=""))
    with Worker() as worker:
        report = verify_sources(source, convert(source, C), worker=worker)
    assert report.verdict is Verdict.EQUIVALENT, report.render()


def test_an_input_whose_shape_reads_the_datas_name_is_the_emitters_to_name() -> None:
    # keras-io's weather forecasting: `inputs, targets = batch` then
    # `inputs = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))`: the graph styles
    # name the Input `inputs_1` in a class, a subclass builds on that shape at module level.
    source = """\
import numpy as np
import keras

inputs = np.zeros((4, 12, 3))
inputs = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))
lstm_out = keras.layers.LSTM(8)(inputs)
outputs = keras.layers.Dense(1)(lstm_out)
model = keras.Model(inputs=inputs, outputs=outputs)
"""
    assert "model(keras.Input(shape=(inputs.shape[1], inputs.shape[2])))" in convert(source, C)
    assert "inputs_1 = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))" in convert(source, FS)
