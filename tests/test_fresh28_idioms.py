"""Idioms of real model code found by session 28's fresh sample.

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh28"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert

# Keras 2.0's segmentation builders import `Input` from the engine (cinderellab's U-Nets): it was
# read as no Input, and every class style refused "the model input `input_x` is not made by
# `keras.Input(...)`".
ENGINE_INPUT = """\
from keras.engine import Input
from keras.layers import Dense
from keras.models import Model


def build(units):
    input_x = Input(shape=(4,))
    output = Dense(units)(input_x)
    return Model(input_x, output)
"""


def test_keras_2_engine_input_is_an_input() -> None:
    graph = convert(ENGINE_INPUT, Style.FUNCTIONAL_SUBCLASS)
    assert "class MyModel(Model):\n    def __init__(self, units, **kwargs):\n        input_x = Input(shape=(4,))\n" in graph
    subclass = convert(ENGINE_INPUT, Style.SUBCLASS)
    assert "        self.dense = Dense(units)\n" in subclass
    assert "    model(Input(shape=(4,)))\n" in subclass
