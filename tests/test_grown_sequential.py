"""A Sequential model grown by `.add()` among another model's lines gets its own reason (issue 9)."""

from __future__ import annotations

from converting import S, refusal


def test_a_nested_sequential_grown_among_the_model_lines_is_named() -> None:
    source = """\
    import keras
    from keras import layers

    tokens = keras.Input(shape=(12,))
    encoder = keras.Sequential()
    encoder.add(layers.Embedding(100, 16))
    x = encoder(tokens)
    outputs = layers.Dense(1)(layers.GlobalAveragePooling1D()(x))
    model = keras.Model(tokens, outputs)
    """
    assert refusal(source, S) == [
        "m.py:6:1: error: `encoder.add(...)` builds `encoder`, a model this model calls as a layer, statement"
        " by statement among its lines; kconvert reads such a model only when one expression makes it"
        " (hint: make it in one expression (`encoder = Sequential([...])`), or build it before the model's"
        " first line)"
    ]
