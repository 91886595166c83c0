"""Idioms of real model code found by session 25's fresh sample.

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh25"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A recommender's builder starts with `model = keras.Sequential()`, then builds a two-input
# Functional graph and binds `model` again to it: the empty Sequential is never read, so it is
# no model; it was refused as "a Sequential model with no layers" in every direction.
PLACEHOLDER = """\
from tensorflow import keras


def build(dim):
    model = keras.Sequential()
    users = keras.Input(shape=(dim,))
    items = keras.Input(shape=(dim,))
    x = keras.layers.Concatenate()([users, items])
    out = keras.layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs=[users, items], outputs=out)
    model.compile(loss="binary_crossentropy")
    return model


model = build(8)
"""

PLACEHOLDER_SUBCLASS = """\
from tensorflow import keras


@keras.utils.register_keras_serializable(package="m")
class Build(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.concatenate = keras.layers.Concatenate()
        self.dense = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs, training=None):
        users, items = inputs
        x = self.concatenate([users, items])
        return self.dense(x)


def build(dim):
    model = keras.Sequential()
    model = Build()
    model([keras.Input(shape=(dim,)), keras.Input(shape=(dim,))])
    model.compile(loss="binary_crossentropy")
    return model


model = build(8)
"""


def test_an_empty_sequential_bound_again_before_any_read_is_no_model() -> None:
    assert convert(PLACEHOLDER, F) == PLACEHOLDER
    assert convert(PLACEHOLDER, C) == PLACEHOLDER_SUBCLASS
    assert convert(PLACEHOLDER_SUBCLASS, C) == PLACEHOLDER_SUBCLASS


def test_an_empty_sequential_read_before_it_is_bound_again_is_still_refused() -> None:
    read = PLACEHOLDER.replace("    users = keras", "    model.summary()\n    users = keras", 1)
    assert any(":5:13: error: this Sequential model has no layers" in line for line in refusal(read, C))
