"""Keras 2 files that import layers from modules Keras 3 removed still build in the verifier."""

from __future__ import annotations

import textwrap

from kconvert.verify import Verdict, Worker, verify_sources

KERAS2 = textwrap.dedent("""
    from keras.models import Sequential
    from keras.layers.core import Dense, Flatten
    from keras.layers.convolutional import Conv2D
    from keras.layers.advanced_activations import LeakyReLU

    model = Sequential()
    model.add(Conv2D(4, 3, input_shape=(8, 8, 1)))
    model.add(LeakyReLU())
    model.add(Flatten())
    model.add(Dense({units}))
""")
FUNCTIONAL = textwrap.dedent("""
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8, 8, 1))
    x = layers.Conv2D(4, 3)(inputs)
    x = layers.LeakyReLU()(x)
    x = layers.Flatten()(x)
    model = keras.Model(inputs, layers.Dense(2)(x))
""")
GONE = "from keras.preprocessing.text import Tokenizer\n" + KERAS2.replace(
    "Dense({units})", "Dense(Tokenizer(num_words={units}).num_words)"
)


def test_keras2_module_paths_build_as_the_layers_they_name() -> None:
    with Worker() as worker:
        same = verify_sources(KERAS2.format(units=2), FUNCTIONAL, worker=worker)
        wrong = verify_sources(KERAS2.format(units=3), FUNCTIONAL, worker=worker)
        gone = verify_sources(GONE.format(units=2), FUNCTIONAL, worker=worker)
    assert same.verdict is Verdict.EQUIVALENT, same.render()
    assert wrong.verdict is Verdict.DIFFERENT, wrong.render()
    # A name Keras 3 has nowhere is not made up.
    assert gone.verdict is Verdict.ERROR
    assert "No module named 'keras.preprocessing.text'" in gone.render()
