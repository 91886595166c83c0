"""A Sequential model grown by `.add()` among another model's lines gets its own reason (issue 9)."""

from __future__ import annotations

from converting import C, S, convert, refusal


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


def test_a_layer_of_another_package_made_by_name_among_the_adds_is_made_in_init() -> None:
    # keras-contrib's CoNLL-2000 taggers: `crf = CRF(...)` then `model.add(crf)`.  Only a Keras layer
    # class was read as the model's layer; this one stayed a statement, and the subclass wrote
    # `crf = CRF(...)` then `self.crf = crf` in `__init__`.
    source = """\
    import keras
    from keras import layers
    from keras_contrib.layers import CRF

    model = keras.Sequential()
    model.add(layers.Embedding(100, 8, input_length=12))
    crf = CRF(4, sparse_target=True)
    model.add(crf)
    """
    out = convert(source, C)
    assert "        self.embedding = layers.Embedding(100, 8)\n        self.crf = CRF(4, sparse_target=True)\n\n" in out
    assert "crf = CRF" not in out.replace("self.crf = CRF", "")
    back = convert(out, S)
    assert "        layers.Embedding(100, 8),\n        CRF(4, sparse_target=True),\n    ]\n" in back
