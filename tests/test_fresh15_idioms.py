"""Idioms of real model code found by session 15's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh15"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A Keras 2 MobileNet builder: a layer's name breaks its line after `%`, which only the brackets
# of the call around it allow.
NAME_BROKEN_INSIDE_A_CALL = """\
import keras
from keras import layers


def block(x, filters, block_id):
    x = layers.Dense(filters, name="dense%d" %
                     block_id)(x)
    return layers.BatchNormalization(name="bn%d_" %
                                     block_id + "norm")(x)


def build():
    inputs = keras.Input(shape=(8,))
    x = block(inputs, 16, 1)
    x = block(x, 8, 2)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)
"""


def test_an_argument_broken_across_lines_keeps_its_brackets() -> None:
    # Before: "internal error ... ParserSyntaxError" in every direction (the argument's text,
    # read again on its own, was no expression).
    assert 'layers.Dense(16, name=("dense%d" % 1)),' in convert(NAME_BROKEN_INSIDE_A_CALL, S)
    block = convert(NAME_BROKEN_INSIDE_A_CALL, C)
    assert 'self.bn = layers.BatchNormalization(name=("bn%d_" % block_id + "norm"))' in block
    assert "x = block(inputs, 16, 1)" in convert(NAME_BROKEN_INSIDE_A_CALL, FS)
