"""A wrapped layer's build record is how it was built, not what it is: no difference."""

from __future__ import annotations

import textwrap

from kconvert.verify import Verdict, Worker, verify_sources

# Built by the verifier's first call (a batch of 4), not from an Input.
SEQUENTIAL = textwrap.dedent("""
    import keras

    model = keras.Sequential([
        keras.layers.Bidirectional(keras.layers.LSTM({units})),
        keras.layers.Dense(1),
    ])
""")
FUNCTIONAL = textwrap.dedent("""
    import keras

    inputs = keras.Input(shape=(5, 2))
    x = keras.layers.Bidirectional(keras.layers.LSTM(3))(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
""")


def test_a_wrapped_layer_built_on_a_first_call_is_no_difference() -> None:
    with Worker() as worker:
        same = verify_sources(SEQUENTIAL.format(units=3), FUNCTIONAL, worker=worker)
        wrong = verify_sources(SEQUENTIAL.format(units=4), FUNCTIONAL, worker=worker)
    assert same.verdict is Verdict.EQUIVALENT, same.render()
    assert wrong.verdict is Verdict.DIFFERENT, wrong.render()
