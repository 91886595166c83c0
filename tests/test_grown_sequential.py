"""A Sequential grown by ``.add()`` among another model's lines (the Keras bAbI memory network's
encoders) is that model's layer: made above a Sequential, grown on its attribute in a class unless
later code reads it (issue 9). The builder form is fixture ``builder_grows_body``."""

from __future__ import annotations

import textwrap

import pytest

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style

from converting import C, S, convert


def test_a_nested_sequential_grown_among_the_model_lines_is_made_above_the_sequential() -> None:
    # Refused before ("`encoder.add(...)` builds `encoder` ... statement by statement"); then, read
    # as the model's layer, the output failed the safety check, which took the `encoder` the
    # Sequential lists for another model's (the list form `keras.Sequential([...])` too).
    grown = """\
    import keras
    from keras import layers

    tokens = keras.Input(shape=(12,))
    encoder = keras.Sequential()
    encoder.add(layers.Embedding(100, 16))
    x = encoder(tokens)
    outputs = layers.Dense(1)(layers.GlobalAveragePooling1D()(x))
    model = keras.Model(tokens, outputs)
    """
    expected = """\
encoder = keras.Sequential()
encoder.add(layers.Embedding(100, 16))
model = keras.Sequential(
    [
        keras.Input(shape=(12,)),
        encoder,
        layers.GlobalAveragePooling1D(),
        layers.Dense(1),
    ]
)
"""
    assert convert(grown, S).endswith(expected)
    listed = grown.replace("Sequential()\n    encoder.add(layers.Embedding(100, 16))", "Sequential([layers.Embedding(100, 16)])")
    assert convert(listed, S).endswith(expected.replace("Sequential()\nencoder.add(layers.Embedding(100, 16))", "Sequential([layers.Embedding(100, 16)])"))


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


MEMORY = textwrap.dedent("""
    import keras
    from keras import layers

    story = keras.Input(shape=(12,))
    # embed the story
    encoder = keras.Sequential()
    encoder.add(layers.Embedding(input_dim=50, output_dim=8))
    encoder.add(layers.Dropout(0.3))
    # output: (samples, 12, 8)

    encoded = encoder(story)
    outputs = layers.Dense(50, activation="softmax")(layers.LSTM(4)(encoded))
    model = keras.Model(story, outputs)
""")

GROWN = """\
        # embed the story
        self.encoder = keras.Sequential()
        self.encoder.add(layers.Embedding(input_dim=50, output_dim=8))
        self.encoder.add(layers.Dropout(0.3))
        # output: (samples, 12, 8)
"""


@pytest.mark.parametrize("style", [Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS])
def test_a_sequential_grown_among_the_lines_is_grown_in_the_class(style: Style) -> None:
    converted = convert_source(MEMORY, style, Options(), "memory.py")
    assert isinstance(converted, Converted), converted
    grown = GROWN if style is Style.SUBCLASS else GROWN.replace("self.encoder", "encoder")
    assert grown in converted.source
    assert "\nencoder" not in converted.source


@pytest.mark.parametrize("style", [Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS])
def test_a_grown_sequential_the_file_reads_later_is_refused(style: Style) -> None:
    # The class would add two layers to the module's ``encoder`` each time it is made.
    source = MEMORY + "codes = encoder.predict(keras.ops.ones((1, 12)))\n"
    refused = convert_source(source, style, Options(), "memory.py")
    assert isinstance(refused, Refused), refused
    message = refused.diagnostics[0].render()
    assert message.startswith("memory.py:8:1: error: this changes `encoder`, a value of the module, in place"), message


@pytest.mark.tensorflow
def test_the_grown_sequential_is_compared_inside_the_class() -> None:
    from kconvert.verify import Verdict, Worker, verify_sources

    with Worker() as worker:
        for style in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
            converted = convert_source(MEMORY, style, Options(), "memory.py")
            assert isinstance(converted, Converted), converted
            report = verify_sources(MEMORY, converted.source, worker=worker)
            assert report.verdict is Verdict.EQUIVALENT, report.render()
            assert [model.name for model in report.models] == ["model"]


def test_a_layer_added_after_the_model_called_the_sequential_is_refused() -> None:
    # The graph keeps what `cnn` computed at its call (a Functional model then fails on its first
    # call); a class would make the two-layer `cnn` first: another model, exit 0.
    source = """\
    import keras
    from keras import layers


    def build():
        cnn = keras.Sequential()
        cnn.add(layers.Dense(4))
        inputs = keras.Input(shape=(8,))
        y = cnn(inputs)
        cnn.add(layers.Dense(2))
        return keras.Model(inputs, layers.Dense(1)(y))
    """
    refused = convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(), "m.py")
    assert isinstance(refused, Refused), refused
    assert (
        "m.py:10:5: error: `cnn.add(...)` adds a layer to `cnn` after the model called it: the graph keeps"
        " what `cnn` was at that call, a class makes `cnn` whole before any call (hint: add every layer to"
        " `cnn` before the model calls it)"
    ) in [diagnostic.render() for diagnostic in refused.diagnostics]


def test_a_builders_grown_body_is_listed_by_the_sequential_and_grown_above_it() -> None:
    # The Sequential reader took the `.add()` lines for `name = Layer(...)` definitions: an
    # internal error (AttributeError) instead of the conversion.
    source = """\
    import keras
    from keras import layers


    def build_classifier():
        # the feature extractor
        features = keras.Sequential(name="features")
        features.add(layers.Dense(16, activation="relu"))

        inputs = keras.Input(shape=(20,))
        outputs = layers.Dense(3, activation="softmax")(features(inputs))
        return keras.Model(inputs, outputs)
    """
    out = convert(source, S)
    assert out.endswith(
        "    # the feature extractor\n"
        '    features = keras.Sequential(name="features")\n'
        '    features.add(layers.Dense(16, activation="relu"))\n'
        "    return keras.Sequential(\n"
        "        [\n"
        "            keras.Input(shape=(20,)),\n"
        "            features,\n"
        '            layers.Dense(3, activation="softmax"),\n'
        "        ]\n"
        "    )\n"
    )
    assert "        self.features.add(layers.Dense(16, activation=\"relu\"))\n" in convert(out, C)


def test_an_add_that_says_when_keras_rebuilds_is_an_add() -> None:
    # Keras 3's `add(layer, rebuild=False)` defers building; it was read as a statement that
    # touches the model among its adds ("model.add(...) comes after other statements").
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential()
    model.add(keras.Input((4,)))
    model.add(layers.Dense(8), rebuild=False)
    model.add(layers.Dense(2))
    """
    assert convert(source, Style.FUNCTIONAL).endswith(
        "inputs = keras.Input((4,))\n"
        "x = layers.Dense(8)(inputs)\n"
        "outputs = layers.Dense(2)(x)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n"
    )
