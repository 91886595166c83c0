"""Nested loops of layers to a subclass and back (issue 9): minimal models of our own.

The layers of an inner loop become lists of lists, one per pass of the outer loop, made in
``__init__`` by the same nested loops (comprehensions, or appends when statements compute
the layers' arguments); call() nests the same loops over them.  Each expected text was
checked by hand; the way back must lift (IR lint) and build the same structure.
The fixture ``tests/fixtures/nested_layer_loops`` proves one such model in TensorFlow.
"""

from __future__ import annotations

import textwrap

from kconvert.ir.lint import lint
from kconvert.ir.structure import structure
from kconvert.parse import find_models
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.safety import check_conversion
from kconvert.safety.same_graph import model_keys
from kconvert.types import Options, Style

from converting import convert, refusal

F, C = Style.FUNCTIONAL, Style.SUBCLASS


def _structures(text: str) -> list:
    models = find_models(textwrap.dedent(text))
    for model in models:
        assert model.problem is None, model.problem.render()
        lint(model.graph)
    return [structure(model.graph) for model in models]


def _round_trip(text: str) -> str:
    """The subclass, after checking that it reads back to the model it came from."""
    out = convert(text, C)
    assert convert(out, C) == out, "not stable"
    assert _structures(convert(out, F)) == _structures(text)
    return out


UNITS = """\
import keras
from keras import layers

inputs = keras.Input(shape=(32,))
x = inputs
for units in [16, 32]:
    for block in range(2):
        x = layers.Dense(units, activation="relu")(x)
model = keras.Model(inputs=inputs, outputs=x)
"""


def test_inner_loops_that_call_runs_straight_through_fill_one_flat_list() -> None:
    # The outer loop's call()-side body is the inner loop alone: one list, filled by the same
    # nested loops, and one loop in call(); read back, the nested loops again.  (A pass of
    # several layers is a block, in one flat list as well: test_loop_blocks.py.)
    assert _round_trip(UNITS).endswith(
        "        self.dense_layers = []\n"
        "        for units in [16, 32]:\n"
        "            for block in range(2):\n"
        "                self.dense_layers.append(layers.Dense(units, activation=\"relu\"))\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        x = inputs\n"
        "        for dense in self.dense_layers:\n"
        "            x = dense(x)\n"
        "        return x\n"
        "\n"
        "\n"
        "model = MyModel()\n"
        "model(keras.Input(shape=(32,)))\n"
    )


# keras.io's cifar10_resnet / cutmix: a helper block per pass, its stride from both loop variables.
BLOCKS = """\
import keras
from keras import layers


def residual_block(x, filters, strides):
    y = layers.Conv2D(filters, 3, strides=strides, padding="same")(x)
    shortcut = layers.Conv2D(filters, 1, strides=strides)(x)
    return layers.Add()([shortcut, y])


inputs = keras.Input(shape=(16, 16, 3))
x = inputs
for stage, filters in enumerate([8, 16]):
    for block in range(2):
        strides = 2 if stage > 0 and block == 0 else 1
        x = residual_block(x, filters, strides)
    filters_seen = filters
model = keras.Model(inputs=inputs, outputs=x)
"""


def test_a_helper_block_in_nested_loops_is_a_layer_class_in_one_flat_list() -> None:
    out = convert(BLOCKS, C)
    assert (
        "        self.residual_blocks = []\n"
        "        for stage, filters in enumerate([8, 16]):\n"
        "            for block in range(2):\n"
        "                strides = 2 if stage > 0 and block == 0 else 1\n"
        "                self.residual_blocks.append(ResidualBlock(filters, strides))\n"
        "            filters_seen = filters\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        x = inputs\n"
        "        for residual_block in self.residual_blocks:\n"
        "            x = residual_block(x)\n"
        "        return x\n"
    ) in out
    assert convert(out, C) == out
    back = convert(out, F)
    assert "        x = ResidualBlock(filters, strides)(x)\n" in back
    _structures(back)


WIDTHS = """\
import keras
from keras import layers

inputs = keras.Input(shape=(32,))
x = inputs
for widths in [[8, 8], [16]]:
    for units in widths:
        x = layers.Dense(units)(x) * units
model = keras.Model(inputs=inputs, outputs=x)
"""


def test_call_loops_over_both_iterables_when_it_reads_both_variables() -> None:
    out = _round_trip(WIDTHS)
    assert (
        "        for widths, dense_layers in zip([[8, 8], [16]], self.dense_layers):\n"
        "            for units, dense in zip(widths, dense_layers):\n"
        "                x = dense(x)\n"
        "                x = x * units\n"
    ) in out


def test_a_tuple_target_call_reads_is_one_element_of_the_zip() -> None:
    text = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(32,))
    x = inputs
    for index, units in enumerate([8, 16]):
        x = layers.Dense(units)(x) * units
    model = keras.Model(inputs=inputs, outputs=x)
    """
    out = _round_trip(text)
    assert "        for (index, units), dense in zip(enumerate([8, 16]), self.dense_layers):\n" in out


def test_a_statement_under_an_if_around_layers_in_a_loop_is_refused() -> None:
    # Written out in __init__ it would run in every pass, not only when `block == 0`.
    text = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    x = inputs
    for block in range(3):
        units = 8
        if block == 0:
            units = 4
            x = layers.Dense(units)(x)
        x = layers.Dense(units)(x)
    model = keras.Model(inputs, x)
    """
    assert refusal(text, C) == [
        "m.py:9:9: error: `units = 4` runs only in the passes an `if` around layers takes; `__init__` makes"
        " every pass's layers, so it would run it in every pass (hint: compute the value before the `if`"
        " (`units = 4 if block == 0 else 8`), or keep this model Sequential or Functional)"
    ]


def test_an_inner_iterable_computed_in_the_outer_pass_is_refused_when_call_needs_it() -> None:
    text = WIDTHS.replace("for widths in [[8, 8], [16]]:\n", "for stage in range(2):\n    widths = [8] * (stage + 1)\n")
    assert refusal(text, C) == [
        "m.py:6:1: error: `call()` would read `widths`, which the loop's statements compute in `__init__`"
        " (hint: keep this model Sequential or Functional)"
    ]


def test_a_statement_between_a_stage_layer_and_its_inner_loop_is_refused() -> None:
    text = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    x = inputs
    for stage in range(2):
        x = layers.Dense(8)(x)
        units = 8 * (stage + 1)
        for block in range(2):
            x = layers.Dense(units)(x)
    model = keras.Model(inputs, x)
    """
    found = refusal(text, C)
    assert found[0].startswith("m.py:8:5: error: `units = 8 * (stage + 1)` runs in the loop between the layers")


def test_a_subclass_with_nested_comprehensions_lifts_to_nested_loops() -> None:
    text = """\
    import keras
    from keras import layers


    class Stack(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.stages = [[layers.Dense(units) for _ in range(2)] for units in [4, 8]]
            self.norms = [layers.LayerNormalization() for units in [4, 8]]

        def call(self, inputs):
            x = inputs
            for blocks, norm in zip(self.stages, self.norms):
                for block in blocks:
                    x = block(x)
                x = norm(x)
            return x


    model = Stack()
    model(keras.Input(shape=(3,)))
    """
    back = convert(text, F)
    assert (
        "\nfor units in [4, 8]:\n"
        "    for _ in range(2):\n"
        "        x = layers.Dense(units)(x)\n"
        "    x = layers.LayerNormalization()(x)\n"
    ) in back
    _structures(back)


FLAGS = """\
import keras
from keras import layers


def conv_bn(x, filters, batch_normalization=True):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    if batch_normalization:
        x = layers.BatchNormalization()(x)
    return x


inputs = keras.Input(shape=(8, 8, 3))
x = inputs
for stack in range(2):
    for block in range(2):
        x = conv_bn(x, 4, batch_normalization=False)
model = keras.Model(inputs=inputs, outputs=x)
"""


def test_a_block_flag_given_as_a_literal_is_decided_as_the_helper_decides_it() -> None:
    # The block class keeps `if batch_normalization:`; written out, the helper had decided it.
    out = convert(FLAGS, C)
    assert "            x = conv_bn(x)\n" in out
    assert "                self.conv_bns.append(ConvBN(4, batch_normalization=False))\n" in out
    # The other literal is another model: the check decides the test, it does not drop it.
    src = SourceFile.parse(FLAGS)
    wrong = out.replace("ConvBN(4, batch_normalization=False)", "ConvBN(4, batch_normalization=True)")
    unsafe = check_conversion(src, find_sites(src, Options()), wrong, Options())
    assert unsafe is not None and "different layer graph" in unsafe.message


def test_a_layer_a_pass_calls_only_under_an_if_is_made_only_in_that_pass() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    x = inputs
    for i in range(3):
        if i == 0:
            x = layers.Dense(8)(x)
        x = layers.Dense(8)(x)
    model = keras.Model(inputs, x)
    """
    subclass = convert(source, C)
    # Made in every pass, the first Dense would stay uncalled and unbuilt in two of them: the
    # pass is a block made per `i`, which makes it only under the test call() asks.
    assert "        if i == 0:\n            self.dense1 = layers.Dense(8)\n" in subclass
    assert "        self.blocks = [Block(i) for i in range(3)]\n" in subclass
    # Back to Functional the block stays a class: compared with its body written out.
    back = convert(subclass, F)
    _structures(back)
    assert model_keys(SourceFile.parse(back)) == model_keys(SourceFile.parse(textwrap.dedent(source)))
