"""Idioms of real model code found by session 19's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh19"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

C, FS = Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

# A Kaggle tabular model: a helper encodes each column of the input on its own, looping over
# the input's static width, and the builder concatenates the encodings.
PER_COLUMN_ENCODER = """\
import keras
from keras import layers


def encode_columns(inputs, size):
    encoded = []
    for col in range(inputs.shape[1]):
        column = keras.ops.expand_dims(inputs[:, col], -1)
        encoded.append(layers.Dense(size)(column))
    return encoded


def build(size):
    inputs = keras.Input(shape=(4,))
    columns = encode_columns(inputs, size)
    outputs = layers.Dense(3)(layers.Concatenate()(columns))
    return keras.Model(inputs=inputs, outputs=outputs)


model = build(8)
"""


def test_a_helper_looping_over_its_input_width_converts_to_functional_subclass() -> None:
    # Before: CRASH (IndexError in every direction): the helper's loop draws only from tensors, so
    # it has no iterable of its own, and the empty iterable was parsed to put the call's arguments in.
    expected = PER_COLUMN_ENCODER.replace(
        """\
def build(size):
    inputs = keras.Input(shape=(4,))
    columns = encode_columns(inputs, size)
    outputs = layers.Dense(3)(layers.Concatenate()(columns))
    return keras.Model(inputs=inputs, outputs=outputs)
""",
        """\
@keras.saving.register_keras_serializable(package="m")
class Build(keras.Model):
    def __init__(self, size, **kwargs):
        inputs = keras.Input(shape=(4,))
        columns = encode_columns(inputs, size)
        x = layers.Concatenate()(columns)
        outputs = layers.Dense(3)(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.size = size

    def get_config(self):
        return {**super().get_config(), "size": self.size}


def build(size):
    return Build(size=size)
""",
    )
    assert convert(PER_COLUMN_ENCODER, FS) == expected


def test_a_helper_looping_over_its_input_width_is_refused_for_a_subclass_at_the_loop() -> None:
    (line,) = refusal(PER_COLUMN_ENCODER, C)
    assert line.startswith("m.py:7:5: error: the loop makes layers once per tensor of a list")


# A sleep-apnea classifier's builder sets two hyper-parameters at once (`ENCODER_COUNT =
# DECODER_COUNT = 1`) before the layers that read them.
CHAINED_LOCALS = """\
import keras
from keras import layers


def build(input_shape):
    inputs = keras.Input(shape=input_shape)
    WIDTH = DEPTH = 8
    x = layers.Dense(WIDTH)(inputs)
    x = layers.Dense(DEPTH)(x)
    return keras.Model(inputs=inputs, outputs=x)


model = build((4,))
"""

CHAINED_LOCALS_SUBCLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Build(keras.Model):
    def __init__(self, input_shape, **kwargs):
        super().__init__(**kwargs)
        self._input_shape = input_shape
        WIDTH = DEPTH = 8
        self.dense1 = layers.Dense(WIDTH)
        self.dense2 = layers.Dense(DEPTH)

    def call(self, inputs, training=None):
        x = self.dense1(inputs)
        return self.dense2(x)

    def get_config(self):
        return {**super().get_config(), "input_shape": self._input_shape}


def build(input_shape):
    model = Build(input_shape=input_shape)
    model(keras.Input(shape=input_shape))
    return model


model = build((4,))
"""


def test_a_chained_assignment_of_builder_locals_goes_to_init() -> None:
    # Before: caught: the subclass's reader refused its own `WIDTH = DEPTH = 8` in __init__
    # (an assignment of more than one target was taken for one of several attributes).
    assert convert(CHAINED_LOCALS, C) == CHAINED_LOCALS_SUBCLASS


def test_a_chained_assignment_in_init_reads_back_as_a_local() -> None:
    functional = convert(CHAINED_LOCALS_SUBCLASS, Style.FUNCTIONAL)
    assert "    inputs = keras.Input(shape=input_shape)\n    WIDTH = DEPTH = 8\n    x = layers.Dense(WIDTH)(inputs)\n" in functional
