"""Idioms of session 29's fresh real-world files (benchmarks/realworld, ``session = "fresh29"``)."""

from __future__ import annotations

from converting import C, convert

CHANNELS_FIRST = """\
from keras.models import Sequential
from keras.layers import Conv2D, BatchNormalization, Flatten, Dense
from keras import backend as K


def build(width, height, depth, classes):
    model = Sequential()
    input_shape = (height, width, depth)
    chan_dim = -1
    if K.image_data_format() == "channels_first":
        input_shape = (depth, height, width)
        chan_dim = 1
    model.add(Conv2D(8, (3, 3), padding="same", input_shape=input_shape))
    model.add(BatchNormalization(axis=chan_dim))
    model.add(Flatten())
    model.add(Dense(classes))
    return model
"""


def test_an_input_shape_chosen_by_the_backends_channel_order_is_computed_again_before_the_build_line() -> None:
    # `K.image_data_format()` reads a Keras setting: the same value in __init__ and in the
    # builder, so the `if` that picks the shape (and the axis the layers read) is written in both.
    converted = convert(CHANNELS_FIRST, C)
    choice = '    if K.image_data_format() == "channels_first":\n        input_shape = (depth, height, width)\n'
    init, builder = converted.split("def build(")
    assert choice in builder and "        self.bn = BatchNormalization(axis=chan_dim)\n" in init
    assert "    model(Input(shape=input_shape))\n    return model\n" in builder
    assert convert(converted, C) == converted


ENGINE = """\
from keras.engine.topology import Input
from keras.engine.training import Model
from keras.layers.core import Dense

x = Input(shape=(10,))
h = Dense(8)(x)
model = Model(inputs=x, outputs=[Dense(1)(h), Dense(1)(h)])
"""


def test_keras_2_0s_engine_model_is_a_model_and_its_imports_are_the_ones_the_new_code_reads() -> None:
    # `keras.engine.training.Model` was Keras 2.0's Model: the file was "no Keras model found".
    converted = convert(ENGINE, C)
    assert converted.startswith(
        "from keras.engine.topology import Input\nfrom keras.engine.training import Model\n"
        "from keras.layers.core import Dense\nfrom keras import saving\n"
    )
    assert "class MyModel(Model):\n" in converted and "model(Input(shape=(10,)))\n" in converted
    assert convert(converted, C) == converted
