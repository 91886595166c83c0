"""A helper that assigns to one of its parameters (``if size is None: size = 3``).

Written out at a call, the parameter is a name of the body bound to the call's argument first, as
Python binds it, not the argument pasted where the parameter is read (``None = 3`` made
functional-subclass fail with an internal error). A Layer class of the helper keeps the statement
in ``__init__`` (fixture ``helper_default_by_none``); its instances are read back the same way.
"""

from __future__ import annotations

from kconvert.ir.lint import lint
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.types import Options, Style

from converting import C, convert

FS = Style.FUNCTIONAL_SUBCLASS

# ``trainable``, which a Layer has of its own, makes the helper written out at each call.
DEFAULTED = """\
import keras
from keras import layers


def conv_block(x, filters, kernel_size=None, trainable=True):
    if kernel_size is None:
        kernel_size = 3
    x = layers.Conv2D(filters, kernel_size, padding="same", trainable=trainable)(x)
    return layers.ReLU()(x)


inputs = keras.Input(shape=(8, 8, 3))
x = conv_block(inputs, 8)
x = conv_block(x, 16, 5)
outputs = layers.Dense(2)(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs, outputs)
"""


def test_functional_subclass_keeps_a_helper_that_assigns_to_its_parameter() -> None:
    out = convert(DEFAULTED, FS)
    assert "    if kernel_size is None:\n        kernel_size = 3\n" in out
    assert "        x = conv_block(inputs, 8)\n        x = conv_block(x, 16, 5)\n" in out


def test_a_written_out_helper_binds_the_parameter_it_assigns_to_before_its_body() -> None:
    out = convert(DEFAULTED, C)
    init = out[out.index("    def __init__") : out.index("    def call")]
    assert (
        "        kernel_size = None\n"
        "        if kernel_size is None:\n"
        "            kernel_size = 3\n"
        "        self.conv_block1_conv = layers.Conv2D(\n"
        '            8, kernel_size, padding="same", trainable=True\n'
    ) in init
    assert (
        "        kernel_size = 5\n"
        "        if kernel_size is None:\n"
        "            kernel_size = 3\n"
        "        self.conv_block2_conv = layers.Conv2D(\n"
        '            16, kernel_size, padding="same", trainable=True\n'
    ) in init


def test_the_lifted_body_reads_the_parameter_by_its_name() -> None:
    src = SourceFile.parse(DEFAULTED)
    (site,) = find_sites(src, Options())
    lint(site.graph)
    kernels = [layer.args[1].value.text for layer in site.graph.layers if layer.type_name == "Conv2D"]
    assert kernels == ["kernel_size", "kernel_size"]


# The builder settles ``dim``, which only its Input reads: the instance's build line, outside the class.
SETTLED_SHAPE = """\
import keras
from keras import layers


def build_model(dim=None, scale=None):
    if dim is None:
        dim = 4
    if scale is None:
        scale = 0.5
    inputs = keras.Input(shape=(dim,))
    x = layers.Dense(3)(inputs)
    return keras.Model(inputs, x * scale)


model = build_model()
"""


def test_call_reads_the_settled_value_and_only_what_it_reads() -> None:
    out = convert(SETTLED_SHAPE, C)
    init = out[out.index("    def __init__") : out.index("    def call")]
    assert "        if scale is None:\n            scale = 0.5\n        self._scale = scale\n" in init
    assert "self._dim" not in out
    assert "x * self._scale" in out[out.index("    def call") :]
    assert "        self.dim = dim\n        self.scale = scale\n" in init


# ``input_shape`` is kept as ``self._input_shape`` (a graph model's own property): a store all the same.
SETTLED_INPUT_SHAPE = """\
import keras
from keras import layers


def build_model(input_shape, units):
    if len(input_shape) == 1:
        input_shape = (input_shape[0], 1)
    units = units * 2
    inputs = keras.Input(shape=input_shape)
    x = layers.Flatten()(inputs)
    outputs = layers.Dense(units)(x)
    return keras.Model(inputs, outputs)


model = build_model((4,), 3)
"""


def test_functional_subclass_keeps_settled_parameters_as_given_before_its_code() -> None:
    out = convert(SETTLED_INPUT_SHAPE, FS)
    init = out[out.index("    def __init__") : out.index("super().__init__(inputs")]
    assert "        self._input_shape = input_shape\n        self.units = units\n        if len(input_shape)" in init
    back = convert(out, Style.FUNCTIONAL)
    assert "def build_model(input_shape, units):\n    if len(input_shape) == 1:" in back
    assert convert(out, FS) == out
