"""A None axis after the batch is given a length the model can take."""

from __future__ import annotations

import textwrap

import pytest

from kconvert.verify import Verdict, Worker, verify_sources

pytestmark = pytest.mark.tensorflow

# Two convolutions of 5 around a pooling of 5 need 29 steps at least: the first length tried, 8,
# leaves the second convolution nothing.
FUNCTIONAL = textwrap.dedent("""
    import keras

    inputs = keras.Input(shape=(None,))
    x = keras.layers.Embedding(100, 8)(inputs)
    x = keras.layers.Conv1D(4, 5)(x)
    x = keras.layers.MaxPooling1D(5)(x)
    x = keras.layers.Conv1D(4, 5)(x)
    x = keras.layers.GlobalMaxPooling1D()(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
""")
SEQUENTIAL = textwrap.dedent("""
    import keras

    model = keras.Sequential([
        keras.Input(shape=(None,)),
        keras.layers.Embedding(100, 8),
        keras.layers.Conv1D(4, 5),
        keras.layers.MaxPooling1D(5),
        keras.layers.Conv1D(4, 5),
        keras.layers.GlobalMaxPooling1D(),
        keras.layers.Dense(1),
    ])
""")


def test_a_stack_longer_than_the_first_length_is_verified() -> None:
    with Worker() as worker:
        same = verify_sources(FUNCTIONAL, SEQUENTIAL, worker=worker)
        pooled_by_4 = SEQUENTIAL.replace("MaxPooling1D(5)", "MaxPooling1D(4)")
        other = verify_sources(FUNCTIONAL, pooled_by_4, worker=worker)
    assert same.verdict is Verdict.EQUIVALENT, same.render()
    # The longer input still tells a difference.
    assert other.verdict is Verdict.DIFFERENT, other.render()
