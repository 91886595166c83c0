"""Idioms of session 41's fresh real-world files (benchmarks/realworld, ``session = "fresh41"``)."""

from __future__ import annotations

import textwrap

from converting import F, convert

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A policy network's call() first makes what it is given a tensor.
CONVERTED_INPUT = """\
    import tensorflow as tf
    from tensorflow import keras


    class Policy(keras.Model):
        def __init__(self, actions):
            super().__init__()
            self.hidden = keras.layers.Dense(16, activation="relu")
            self.logits = keras.layers.Dense(actions)

        def call(self, inputs):
            x = tf.convert_to_tensor(inputs)
            return self.logits(self.hidden(x))


    model = Policy(4)
    model.build((None, 8))
    """


def test_convert_to_tensor_in_call_is_written_as_keras_ops() -> None:
    # Was refused: "`tf.convert_to_tensor` is a TensorFlow function; Keras 3 does not accept it".
    assert convert(CONVERTED_INPUT, F) == textwrap.dedent(
        """\
        from tensorflow import keras


        def Policy(actions):
            inputs = keras.Input(shape=(8,))
            x = keras.ops.convert_to_tensor(inputs)
            hidden = keras.layers.Dense(16, activation="relu")(x)
            outputs = keras.layers.Dense(actions)(hidden)
            return keras.Model(inputs=inputs, outputs=outputs)


        model = Policy(4)
        """
    )
