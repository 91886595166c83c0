"""Statements among a Sequential model's layers (issue 9, third pass).

Each case is a small model of our own with the idea of a public file from the
real-code measure: Géron's notebook compiles one model and then defines a
builder with a ``model`` of its own; the DCGAN tutorial checks
``model.output_shape`` after each stage.  Expected outputs are written by hand.
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


def test_a_later_function_with_a_model_of_its_own_is_no_late_add() -> None:
    source = """\
    import keras

    model = keras.Sequential([keras.layers.Dense(3, input_shape=[8])])
    model.compile(loss="mse")


    def build_model():
        model = keras.Sequential()
        model.add(keras.layers.Dense(2, input_shape=[4]))
        return model
    """
    assert convert(source, F) == textwrap.dedent(
        """\
        import keras

        inputs = keras.Input(shape=[8])
        outputs = keras.layers.Dense(3)(inputs)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.compile(loss="mse")


        def build_model():
            inputs = keras.Input(shape=[4])
            outputs = keras.layers.Dense(2)(inputs)
            model = keras.Model(inputs=inputs, outputs=outputs)
            return model
        """
    )


def test_a_later_function_that_adds_to_the_module_model_is_a_late_add() -> None:
    source = """\
    import keras

    model = keras.Sequential([keras.layers.Dense(3, input_shape=[8])])
    model.compile(loss="mse")


    def grow():
        model.add(keras.layers.Dense(2))
    """
    assert refusal(source, F)[0].startswith(
        'm.py:4:1: error: `model.compile(loss="mse")` reads `model` while its layers are being added'
    )
