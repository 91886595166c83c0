"""What is said of a copy that ends a branch of an ``if`` (``else: s = x``), a line no node has,
stays with the copy each style writes there (``Carried.result_copies``/``other_copies``), above or
beside it; it went below the ``if``, above the next statement."""

from __future__ import annotations

import pytest

from converting import C, F, convert
from kconvert.ir.lint import lint
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.types import Options, Style

BLOCK = """\
import keras
from keras import layers


def block(x, width, project=False):
    y = layers.Dense(width)(x)
    if project:
        # Projected to the new width.
        s = layers.Dense(width)(x)
    else:
        # The input as it is.
        s = x

    return layers.Add()([y, s])


def build(width=8):
    inputs = keras.Input(shape=(8,))
    x = block(inputs, 8)
    x = block(x, width, project=True)
    return keras.Model(inputs, layers.Dense(1)(x))
"""

BLOCK_SUBCLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Block(layers.Layer):
    def __init__(self, width, project=False, **kwargs):
        super().__init__(**kwargs)
        self.width = width
        self.project = project
        self.dense1 = layers.Dense(width)
        if project:
            self.dense2 = layers.Dense(width)
        self.add = layers.Add()

    def call(self, x, training=None):
        y = self.dense1(x)
        if self.project:
            # Projected to the new width.
            s = self.dense2(x)
        else:
            # The input as it is.
            s = x

        return self.add([y, s])

    def get_config(self):
        return {**super().get_config(), "width": self.width, "project": self.project}


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, width=8, **kwargs):
        super().__init__(**kwargs)
        self.width = width
        self.block1 = Block(8)
        self.block2 = Block(width, project=True)
        self.dense = layers.Dense(1)

    def call(self, inputs, training=None):
        x = self.block1(inputs)
        x = self.block2(x)
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "width": self.width}


def build(width=8):
    model = MyModel(width=width)
    model(keras.Input(shape=(8,)))
    return model
"""

INLINE = """\
import keras
from keras import layers


def build(width=8, project=False):
    inputs = keras.Input(shape=(8,))
    y = layers.Dense(width)(inputs)
    if project:
        s = layers.Dense(width)(inputs)
    else:
        # The input as it is.
        s = inputs  # unchanged
    outputs = layers.Add()([y, s])
    return keras.Model(inputs, outputs)
"""

INLINE_SUBCLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, width=8, project=False, **kwargs):
        super().__init__(**kwargs)
        self.width = width
        self.project = project
        self.dense1 = layers.Dense(width)
        if project:
            self.dense2 = layers.Dense(width)
        self.add = layers.Add()

    def call(self, inputs, training=None):
        y = self.dense1(inputs)
        if self.project:
            s = self.dense2(inputs)
        else:
            # The input as it is.
            s = inputs  # unchanged
        return self.add([y, s])

    def get_config(self):
        return {**super().get_config(), "width": self.width, "project": self.project}


def build(width=8, project=False):
    model = MyModel(width=width, project=project)
    model(keras.Input(shape=(8,)))
    return model
"""


@pytest.mark.parametrize("text", [BLOCK, INLINE, BLOCK_SUBCLASS, INLINE_SUBCLASS])
def test_the_graph_keeps_the_remark_on_the_copy_line(text):
    for site in find_sites(SourceFile.parse(text), Options()):
        lint(site.graph)


def test_a_block_class_says_it_above_the_copy_in_its_else():
    assert convert(BLOCK, C) == BLOCK_SUBCLASS


def test_a_subclass_says_it_above_and_beside_the_copy_in_its_else():
    assert convert(INLINE, C) == INLINE_SUBCLASS


def test_the_way_back_and_a_graph_class_keep_it_there():
    assert "    else:\n        # The input as it is.\n        s = inputs  # unchanged\n" in convert(INLINE_SUBCLASS, F)
    graph_class = convert(INLINE, Style.FUNCTIONAL_SUBCLASS)
    assert "        else:\n            # The input as it is.\n            s = inputs  # unchanged\n" in graph_class
