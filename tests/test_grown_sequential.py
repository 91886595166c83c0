"""A Sequential grown by ``.add()`` lines among a module-level model's code (the Keras bAbI
memory network's encoders): the class grows it on its attribute, unless later code reads it.

Before, the Functional reader refused the ``.add()`` lines ("builds `encoder` ... statement by
statement"); the builder form is fixture ``builder_grows_body``.
"""

from __future__ import annotations

import textwrap

import pytest

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style

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
