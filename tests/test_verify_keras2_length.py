"""Keras 2's ``Embedding(..., input_length=n)`` gives a Sequential its input shape in the verifier."""

from __future__ import annotations

import textwrap

from kconvert.verify import Verdict, Worker, verify_sources

KERAS2 = textwrap.dedent("""
    import keras

    maxlen = 6
    model = keras.Sequential()
    model.add(keras.layers.Embedding(50, 4, input_length=maxlen))
    model.add(keras.layers.LSTM(3))
    model.add(keras.layers.Dense(1))
""")
SUBCLASS = textwrap.dedent("""
    import keras

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.embedding = keras.layers.Embedding(50, 4)
            self.lstm = keras.layers.LSTM(3)
            self.dense = keras.layers.Dense({units})

        def call(self, x):
            return self.dense(self.lstm(self.embedding(x)))

    model = Net()
""")
FUNCTIONAL = textwrap.dedent("""
    import keras

    inputs = keras.Input(shape=({length},))
    x = keras.layers.Embedding(50, 4)(inputs)
    x = keras.layers.LSTM(3)(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
""")


def test_input_length_is_the_sequence_length_keras2_built_the_model_on() -> None:
    with Worker() as worker:
        same = verify_sources(KERAS2, SUBCLASS.format(units=1), worker=worker)
        wrong = verify_sources(KERAS2, SUBCLASS.format(units=2), worker=worker)
        longer = verify_sources(KERAS2, FUNCTIONAL.format(length=7), worker=worker)
    assert same.verdict is Verdict.EQUIVALENT, same.render()
    assert same.models[0].original.input_shapes == ((None, 6),)
    assert wrong.verdict is Verdict.DIFFERENT, wrong.render()
    assert longer.verdict is Verdict.DIFFERENT, longer.render()
    assert (
        "inputs differ: [(None, 6)] in original, [(None, 7)] in converted"
        in longer.render()
    )
