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
