"""What a Keras expert reviewing real conversions would not merge, checked on small models.

Each case was found reading the diffs of real files converted by kconvert (issue 10); the models
here are written for the test.
"""

from __future__ import annotations

import pytest

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Style

CONFIGURED = '''import tensorflow as tf


class Generator(tf.keras.Model):
    def __init__(self, args):
        super().__init__()
        self.z_dim = args.z_dim
        self.hidden_dim = args.hidden_dim
        self.units = args.units * 2
        self.widths = args.widths
        self.rnn = tf.keras.layers.GRU(self.hidden_dim, return_sequences=True)
        self.linear = tf.keras.layers.Dense(self.units + self.widths[0])

    def call(self, z):
        return self.linear(self.rnn(z))


model = Generator(args)
model(tf.keras.Input(shape=(24, 6)))
'''


@pytest.mark.parametrize("style", [Style.FUNCTIONAL, Style.SEQUENTIAL])
def test_a_constructor_value_read_through_self_is_written_bare_where_it_binds_tighter(style: Style) -> None:
    # ``self.hidden_dim`` became ``(args.hidden_dim)``: parentheses no one would write.
    result = convert_source(CONFIGURED, style, Options(), "m.py")
    assert isinstance(result, Converted), result
    assert "GRU(args.hidden_dim, return_sequences=True)" in result.source
    # An operator expression keeps its meaning: ``args.units * 2 + args.widths[0]`` reads the same
    # only by precedence, so it stays in parentheses.
    assert "Dense((args.units * 2) + args.widths[0])" in result.source


TWO_UNNAMED = '''import keras
from keras import layers

inputs = keras.Input(shape=(8,))
outputs = layers.Dense(1)(inputs)
model = keras.Model(inputs, outputs)

inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
for units in [8, 16]:
    x = layers.Dense(units)(x)
    x = layers.Dropout(0.1)(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
'''


def test_the_loop_block_of_a_second_model_nothing_names_is_a_plain_block() -> None:
    # ``MyModel1Block`` and ``self.my_model1_blocks`` said no more than ``Block``, and read as a typo.
    result = convert_source(TWO_UNNAMED, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), result
    assert "class MyModel1(keras.Model):" in result.source
    assert "class Block(layers.Layer):" in result.source
    assert "self.blocks = [Block(units) for units in [8, 16]]" in result.source
    assert "MyModel1Block" not in result.source
