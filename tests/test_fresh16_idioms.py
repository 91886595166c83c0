"""Idioms of real model code found by session 16's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh16"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A TF 2.0-era tutorial imports `keras` from TensorFlow's internals and subclasses its Model,
# next to a plain tf.keras Sequential.
SUBCLASS_OF_AN_INTERNAL_MODEL = """\
import tensorflow as tf
from tensorflow.python import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.main = keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)])

    def call(self, inputs, training=None, mask=None):
        return self.main(inputs)


net = Net()
other = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape=(8,)), tf.keras.layers.Dense(1)])
"""


def test_a_subclass_of_an_internal_model_is_refused_by_name() -> None:
    # Before: the class was no model at all, so to-functional converted `other` alone and left
    # `Net` a subclass, silently (the file's models were not all in the target style).
    for target in (F, S, FS):
        messages = refusal(SUBCLASS_OF_AN_INTERNAL_MODEL, target)
        assert messages[0].startswith(
            "m.py:5:1: error: `Net` subclasses `tensorflow.python.keras.Model`, a Keras 2 internal path"
        ), messages
    # Already a subclass, `Net` stays as it is; `other` becomes one too.
    assert "class Net(keras.Model):" in convert(SUBCLASS_OF_AN_INTERNAL_MODEL, C)
