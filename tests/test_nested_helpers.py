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


DEFAULTED = (
    "import keras\n"
    "from keras import layers\n"
    "\n"
    "units = 8\n"
    "\n"
    "\n"
    "def build(units=4):\n"
    "    def block(x, width=units):\n"
    "        return layers.Dense(width)(x)\n"
    "\n"
    "    inputs = keras.Input(shape=(3,))\n"
    "    x = block(inputs)\n"
    "    return keras.Model(inputs, layers.Dense(1)(x))\n"
)


def test_a_default_read_from_the_builders_locals_keeps_it_out_of_a_class() -> None:
    # `width=units` is the builder's `units` (4); written above the class, or as a Layer class's
    # default, it read the module's `units` (8), with exit 0.
    for target in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
        result = _convert(DEFAULTED, target)
        assert isinstance(result, Refused)
        assert [d.render() for d in result.diagnostics] == [
            "m.py:8:5: error: `block`, a function `build` defines before the model and the model uses, reads"
            " the function's locals in a default, annotation or decorator; a"
            f" {target} model is a class at module level, which cannot read the function's locals (hint: give"
            " `block` the value as an argument where it is called, or define it at module level, or keep this"
            " model Functional)"
        ]


def test_a_default_read_from_the_builders_locals_is_its_value_where_written_out() -> None:
    result = _convert(DEFAULTED, Style.SEQUENTIAL)
    assert isinstance(result, Converted)
    assert "            layers.Dense(units),\n" in result.source


def test_an_initializer_defaulting_to_a_parameter_stays_in_its_builder() -> None:
    # Not called as a helper, only passed to a layer: written above the class, its
    # `conv_filter=conv_filter` read the module's filter instead of the builder's, with exit 0.
    source = (
        "import numpy as np\n"
        "import keras\n"
        "\n"
        "conv_filter = np.ones((3, 3))\n"
        "\n"
        "\n"
        "def build(conv_filter):\n"
        "    def init(shape, conv_filter=conv_filter, dtype=None):\n"
        "        return conv_filter.reshape(3, 3, 1, 1)\n"
        "\n"
        "    model = keras.Sequential()\n"
        "    model.add(keras.Input(shape=(28, 28, 1)))\n"
        "    model.add(keras.layers.Conv2D(1, 3, kernel_initializer=init))\n"
        "    return model\n"
    )
    result = _convert(source, Style.FUNCTIONAL_SUBCLASS)
    assert isinstance(result, Refused)
    assert result.diagnostics[0].render().startswith(
        "m.py:8:5: error: `init`, a function `build` defines before the model and the model uses, reads"
    )
