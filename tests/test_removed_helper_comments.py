"""The comments of a helper a conversion removes, and of the code it replaces, are each kept
once: a ``#`` line the new code writes out of a helper's body is not the replaced code's own
(rewrite/helpers.own_comments), the comments a blank line parts from the helper's ``def`` (a file's
header) are not the helper's to take into its Layer class, and they stay where they stood, set off
from the code below as they were (rewrite/helpers._removed)."""

from __future__ import annotations

import io
import tokenize
from collections import Counter

import pytest

from converting import C, S, convert
from kconvert.types import Style

HEADED = """\
import keras
from keras import layers

#
# Blocks of the model.
#


def block(x, width):
    #
    # Two layers.
    #
    x = layers.Dense(width)(x)
    return layers.ReLU()(x)


def build(width=8):
    #
    # The model.
    #
    inputs = keras.Input(shape=(4,))
    x = block(inputs, width)
    x = block(x, width)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)
"""

HEADED_SUBCLASS = """\
import keras
from keras import layers

#
# Blocks of the model.
#


@keras.saving.register_keras_serializable(package="m")
class Block(layers.Layer):
    def __init__(self, width, **kwargs):
        super().__init__(**kwargs)
        self.width = width
        self.dense = layers.Dense(width)
        self.relu = layers.ReLU()

    def call(self, x, training=None):
        #
        # Two layers.
        #
        x = self.dense(x)
        return self.relu(x)

    def get_config(self):
        return {**super().get_config(), "width": self.width}


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, width=8, **kwargs):
        super().__init__(**kwargs)
        self.width = width
        self.block1 = Block(width)
        self.block2 = Block(width)
        self.dense = layers.Dense(1)

    def call(self, inputs, training=None):
        x = self.block1(inputs)
        x = self.block2(x)
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "width": self.width}


def build(width=8):
    #
    # The model.
    #
    model = MyModel(width=width)
    model(keras.Input(shape=(4,)))
    return model
"""

HEADED_SEQUENTIAL = """\
import keras
from keras import layers

#
# Blocks of the model.
#


def build(width=8):
    #
    # The model.
    #
    return keras.Sequential(
        [
            keras.Input(shape=(4,)),
            #
            # Two layers.
            #
            layers.Dense(width),
            layers.ReLU(),
            layers.Dense(width),
            layers.ReLU(),
            layers.Dense(1),
        ]
    )
"""


def _comments(text: str) -> Counter[str]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return Counter(token.string for token in tokens if token.type == tokenize.COMMENT)


def test_a_subclass_keeps_the_header_and_each_bare_comment_line_once():
    assert convert(HEADED, C) == HEADED_SUBCLASS


def test_a_sequential_keeps_the_header_above_the_builder_and_the_helper_comment_in_its_list():
    assert convert(HEADED, S) == HEADED_SEQUENTIAL


@pytest.mark.parametrize("target", [C, S, Style.FUNCTIONAL_SUBCLASS])
def test_no_comment_is_lost_or_doubled(target):
    assert _comments(convert(HEADED, target)) == _comments(HEADED)
