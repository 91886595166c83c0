"""A graph class that one function makes and returns (``def build_model(units): return
Regressor(units=units)``), converted to a graph style (fuzz seed 37).

Where it can, the function's body becomes the model's code.  Where a comment of the class
would have nowhere to go in that body, the class becomes a builder function of its own name,
which takes the class's parameters: it was written with the function's arguments bound in
and no parameters, so it read `units`, which nothing bound there (an internal error).
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert

F, FS = Style.FUNCTIONAL, Style.FUNCTIONAL_SUBCLASS

CLASS = """\
import keras
from keras import layers


class Regressor(keras.Model):
    def __init__(self, units=8, **kwargs):
        inputs = keras.Input(shape=(4,))
        x = layers.Dense(units, activation="relu")(inputs)
        super().__init__(inputs=inputs, outputs={outputs}, **kwargs){between}
        # Keeps its width for get_config.

    def get_config(self):
        return {{**super().get_config(), "units": self.units}}


def build_model(units=8):
    return Regressor(units=units)


model = build_model(16)
"""


def test_a_comment_under_the_model_line_goes_under_the_function_s_return() -> None:
    out = convert(CLASS.format(outputs="x", between=""), F)
    assert out.endswith(
        "def build_model(units=8):\n"
        "    inputs = keras.Input(shape=(4,))\n"
        '    x = layers.Dense(units, activation="relu")(inputs)\n'
        "    return keras.Model(inputs=inputs, outputs=x)\n"
        "    # Keeps its width for get_config.\n"
        "\n"
        "\n"
        "model = build_model(16)\n"
    )


def test_a_comment_with_nowhere_to_go_makes_the_class_a_builder_of_its_own() -> None:
    out = convert(CLASS.format(outputs="x", between="\n        self.units = units"), F)
    # Said under the line storing ``units``: said of that parameter (Param.loc), above it in the
    # builder's signature; back in a class, above the stored line.
    assert (
        "def Regressor(\n"
        "    # Keeps its width for get_config.\n"
        "    units=8,\n"
        "    **kwargs,\n"
        "):\n"
        "    inputs = keras.Input(shape=(4,))\n"
        '    x = layers.Dense(units, activation="relu")(inputs)\n'
        "    return keras.Model(inputs=inputs, outputs=x, **kwargs)\n"
        "\n"
        "\n"
        "def build_model(units=8):\n"
        "    return Regressor(units=units)\n"
    ) in out
    assert convert(out, F) == out
    graph_class = convert(out, FS)
    assert "class Regressor(keras.Model):\n    def __init__(self, units=8, **kwargs):\n" in graph_class
    assert "        # Keeps its width for get_config.\n        self.units = units\n\n    def get_config" in graph_class


def test_a_layer_called_in_the_super_call_is_the_model_s_last_layer() -> None:
    # `outputs=layers.Dense(1)(x)` was not lifted: an internal error to Functional (KeyError), and
    # "`x` is computed but the model does not use it" to subclass.
    source = CLASS.format(outputs="layers.Dense(1)(x)", between="")
    assert (
        "def build_model(units=8):\n"
        "    inputs = keras.Input(shape=(4,))\n"
        '    x = layers.Dense(units, activation="relu")(inputs)\n'
        "    outputs = layers.Dense(1)(x)\n"
        "    # Keeps its width for get_config.\n"
        "    return keras.Model(inputs=inputs, outputs=outputs)\n"
    ) in convert(source, F)
    out = convert(source, Style.SUBCLASS)
    assert "        x = self.dense1(inputs)\n        return self.dense2(x)\n" in out
