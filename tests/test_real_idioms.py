"""Idioms of real model code that kconvert refused or reported badly (issue 9, second pass).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``): the expected output is checked by
hand, or the refusal must name the line in one line of text.
"""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS


def convert(text: str, target: Style) -> str:
    result = convert_source(textwrap.dedent(text), target, Options(), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result.source


def refusal(text: str, target: Style) -> list[str]:
    result = convert_source(textwrap.dedent(text), target, Options(), "m.py")
    assert isinstance(result, Refused), result.source
    return [diagnostic.render() for diagnostic in result.diagnostics]


def test_a_refusal_that_quotes_a_statement_over_several_lines_is_one_line() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    hidden = layers.Dense(8)(inputs)
    keras.utils.plot_model(
        keras.Model(inputs, hidden),
        to_file="hidden.png",
    )
    outputs = layers.Dense(1)(hidden)
    model = keras.Model(inputs, outputs)
    """
    (message,) = refusal(source, C)
    assert message == (
        "m.py:6:1: error: `keras.utils.plot_model(keras.Model(inputs, hidden), to_file=\"hidden.png\")`"
        " uses a tensor but is not part of the model's graph"
        " (hint: move this statement after the model, or remove it)"
    )
