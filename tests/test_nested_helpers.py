"""A layer-building function a builder defines for itself (parse/nested_helpers.py)."""

from __future__ import annotations

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style

BUILDER = (
    "import keras\n"
    "from keras import layers\n"
    "\n"
    "\n"
    "def block(x, units):\n"
    "    return layers.Dense(units)(x)\n"
    "\n"
    "\n"
    "def build(units=4):\n"
    "    def block(x, units):\n"
    "        x = layers.Dense(units)(x)\n"
    "        return layers.ReLU()(x)\n"
    "\n"
    "    inputs = keras.Input(shape=(3,))\n"
    "    x = block(inputs, units)\n"
    "    return keras.Model(inputs, layers.Dense(1)(x))\n"
)


def _convert(text: str, target: Style):
    return convert_source(text, target, Options(), "m.py")


def test_the_builders_own_function_hides_the_modules_of_that_name() -> None:
    # Read as the module's `block`, the Sequential lost the ReLU, with exit 0.
    result = _convert(BUILDER, Style.SEQUENTIAL)
    assert isinstance(result, Converted)
    assert result.source.split("\n\n\n")[2] == (
        "def build(units=4):\n"
        "    return keras.Sequential(\n"
        "        [\n"
        "            keras.Input(shape=(3,)),\n"
        "            layers.Dense(units),\n"
        "            layers.ReLU(),\n"
        "            layers.Dense(1),\n"
        "        ]\n"
        "    )\n"
    )


def test_a_function_that_reads_the_builders_locals_is_no_helper() -> None:
    closure = BUILDER.replace("    def block(x, units):\n", "    slope = 0.1\n\n    def block(x, units):\n")
    closure = closure.replace("layers.ReLU()(x)", "layers.LeakyReLU(slope)(x)")
    result = _convert(closure, Style.SUBCLASS)
    assert isinstance(result, Refused)
    assert [d.render() for d in result.diagnostics] == [
        "m.py:12:5: error: `block` is a function defined in `build` before the model, and the model uses it;"
        " a subclass model is a class at module level, which cannot read the function's locals (hint: define"
        " `block` at module level, where kconvert reads it as a block of layers, or keep this model Functional)"
    ]


def test_a_graph_class_does_not_write_it_over_the_modules_function() -> None:
    result = _convert(BUILDER, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(result, Refused)
    assert [d.render() for d in result.diagnostics] == [
        "m.py:10:5: error: `block`, a function `build` defines, would be written at module level, above the"
        " class, where the file already has a `block` (hint: rename `block`, or keep this model Functional)"
    ]
