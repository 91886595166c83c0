"""Loops and lists around layers on real code (issue 9): minimal models of our own.

Each case has the idea of a real file that kconvert refused, or whose right
output its own safety check refused: the expected output (checked by hand), or
the safety check catching a broken copy of that output.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.safety import check_conversion
from kconvert.types import Options, Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS


def _check(before: str, after: str):
    src = SourceFile.parse(textwrap.dedent(before))
    return check_conversion(src, find_sites(src, Options()), after, Options())


# The keras.io ConvMixer: `activation_block` is called only by the other helpers.
CONV_MIXER = """\
import keras
from keras import layers


def activation_block(x):
    x = layers.Activation("gelu")(x)
    return layers.BatchNormalization()(x)


def conv_stem(x, filters):
    x = layers.Conv2D(filters, 2, strides=2)(x)
    return activation_block(x)


def mixer_block(x, filters):
    x0 = x
    x = layers.DepthwiseConv2D(3, padding="same")(x)
    x = layers.Add()([activation_block(x), x0])
    x = layers.Conv2D(filters, 1)(x)
    return activation_block(x)


inputs = keras.Input((16, 16, 3))
x = conv_stem(inputs, 8)
for _ in range(2):
    x = mixer_block(x, 8)
outputs = layers.Dense(10)(layers.GlobalAvgPool2D()(x))
model = keras.Model(inputs, outputs)
"""


def test_a_block_class_made_only_by_other_block_classes_is_read_back_through_them() -> None:
    out = convert(CONV_MIXER, C)
    assert "        self.activation_block = ActivationBlock()\n" in out
    assert "        self.activation_block_1 = ActivationBlock()\n" in out
    assert "        self.mixer_blocks = [MixerBlock(8) for _ in range(2)]\n" in out
    broken = out.replace('layers.Activation("gelu")', 'layers.Activation("relu")')
    found = _check(CONV_MIXER, broken)
    assert found is not None and "gives a different layer graph" in found.message


# keras-team's cifar10_resnet: `resnet_layer` has a docstring and is written out twice per pass.
DOCUMENTED_HELPER = """\
import keras
from keras import layers


def conv_bn(x, filters, act):
    \"\"\"Convolution, batch normalization, then `act`.\"\"\"
    x = layers.Conv2D(filters, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    return act(x)


inputs = keras.Input(shape=(8, 8, 3))
x = inputs
for filters in [8, 16]:
    x = conv_bn(x, filters, layers.ReLU())
    x = conv_bn(x, filters, layers.ReLU())
outputs = layers.Dense(10)(layers.Flatten()(x))
model = keras.Model(inputs, outputs)
"""


def test_a_helpers_docstring_is_not_a_statement_of_its_written_out_body() -> None:
    # A helper taking ``trainable`` (a Layer class has its own) is written out, not a Layer class.
    text = DOCUMENTED_HELPER.replace("x, filters, act)", "x, filters, act, trainable)")
    text = text.replace('padding="same")', 'padding="same", trainable=trainable)')
    text = text.replace("layers.ReLU())", "layers.ReLU(), True)")
    out = convert(text, C)
    init = out[out.index("    def __init__") : out.index("    def call")]
    assert '"""' not in init
    assert "        self.conv_bn2_relu_layers = [layers.ReLU() for _ in [8, 16]]\n" in init


def test_a_helpers_docstring_documents_its_layer_class() -> None:
    text = DOCUMENTED_HELPER.replace("x, filters, act", "x, filters").replace("act(x)", "layers.ReLU()(x)")
    text = text.replace("filters, layers.ReLU())", "filters)")
    out = convert(text, C)
    assert (
        "class ConvBN(layers.Layer):\n"
        '    """Convolution, batch normalization, then `act`."""\n'
        "\n"
        "    def __init__(self, filters, **kwargs):\n"
    ) in out
    assert out.count('"""') == 2


# keras-team's mnist_transfer_cnn: the layers are two named list literals.
NAMED_LISTS = """\
import keras
from keras import layers

features = [layers.Dense(8, input_shape=(4,)), layers.ReLU()]
head = [layers.Dense(2)]
{between}
model = keras.Sequential({given})
"""


def test_named_layer_lists_are_a_loop_over_those_very_layers() -> None:
    # The file reads ``features`` after the model: the model must call those very layers.
    out = convert(NAMED_LISTS.format(between="", given="features + head") + "features[0].trainable = False\n", F)
    assert out.endswith(
        "inputs = keras.Input(shape=(4,))\n"
        "x = inputs\n"
        "for layer in features + head:\n"
        "    x = layer(x)\n"
        "model = keras.Model(inputs=inputs, outputs=x)\n"
        "features[0].trainable = False\n"
    )
    assert "features = [layers.Dense(8, input_shape=(4,)), layers.ReLU()]\n" in out


def test_named_layer_lists_nothing_else_reads_are_the_models_own() -> None:
    # Bound just before the model and read nowhere else: written out as if listed in the call (the
    # blank line that set the model's own line off from the lists still sets it off).
    out = convert(NAMED_LISTS.format(between="", given="features + head"), F)
    assert out.endswith(
        "from keras import layers\n"
        "\n"
        "inputs = keras.Input(shape=(4,))\n"
        "x = layers.Dense(8)(inputs)\n"
        "x = layers.ReLU()(x)\n"
        "outputs = layers.Dense(2)(x)\n"
        "\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n"
    )


def test_a_named_list_changed_before_the_model_is_still_refused() -> None:
    for between, name in (("features.append(layers.Dense(3))", "features"), ("features[0] = layers.Dense(3)", "features")):
        found = refusal(NAMED_LISTS.format(between=between, given="features + head"), F)
        assert f"the layers are given as `{name}`, which line 6 changes after making it" in found[0]
    found = refusal(NAMED_LISTS.format(between="head = head[:1]", given="features + head"), F)
    assert "the layers are given as `head`, bound on line 6 to `head[:1]`, which is not a list kconvert can see into" in found[0]
    found = refusal(NAMED_LISTS.format(between="", given="features * 2"), F)
    assert "the layers are given as `features * 2`" in found[0]


def test_the_loop_variable_does_not_rebind_a_name_of_the_file() -> None:
    text = NAMED_LISTS.format(between="layer = 3", given="features") + "print(layer)\n"
    out = convert(text, F)
    assert "for layer_ in features:\n    x = layer_(x)\n" in out


# keras-team's cifar10_resnet: each pass's stride is decided by a statement on the loop's variables.
STAGES = """\
import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = inputs
for stack in range(2):
    for block in range(2):
        strides = 1
        if stack > 0 and block == 0:
            strides = 2
        y = layers.Conv2D(4, 3, strides=strides, padding="same")(x)
        if stack > 0 and block == 0:
            x = layers.Conv2D(4, 1, strides=strides)(x)
        x = layers.Add()([x, y])
model = keras.Model(inputs, x)
"""


def test_a_statement_that_only_reads_the_loop_variables_is_not_taken_for_one_call_reads() -> None:
    # It used to say "`call()` would read `block`, which the loop's statements compute".
    out = convert(STAGES, C)
    # The pass (three layers) is a block made from both variables; its `if` tests them as attributes.
    assert (
        "        if stack > 0 and block == 0:\n"
        "            self.conv2 = layers.Conv2D(4, 1, strides=strides)\n"
    ) in out
    assert (
        "        if self.stack > 0 and self.block == 0:\n"
        "            x = self.conv2(x)\n"
    ) in out
    assert (
        "        for stack in range(2):\n"
        "            for block in range(2):\n"
        "                strides = 1\n"
        "                if stack > 0 and block == 0:\n"
        "                    strides = 2\n"
        "                self.blocks.append(Block(stack, block, strides))\n"
    ) in out


SCALED = """\
import keras
from keras import layers

inputs = keras.Input(shape=(8,))
x = inputs
for block in range(2):
    scale = 1.0 if block == 0 else 0.5
    x = layers.Dense(8)(x)
    x = layers.Dense(8)(x * scale)
model = keras.Model(inputs, x)
"""


def test_a_name_the_loops_statements_compute_and_call_reads_is_the_passs_block_parameter() -> None:
    # A pass of two layers is a block made per pass with the value its statement computes.
    out = convert(SCALED, C)
    assert "            self.blocks.append(Block(scale))\n" in out
    assert "        return self.dense2(x * self.scale)\n" in out
    assert convert(out, C) == out


def test_a_name_the_loops_statements_change_in_place_and_call_reads_is_refused() -> None:
    text = SCALED.replace("x = inputs\n", "x = inputs\nscales = []\n")
    text = text.replace("    scale = 1.0 if block == 0 else 0.5\n", "    scales.append(1.0 if block == 0 else 0.5)\n")
    text = text.replace("(x * scale)", "(x * scales[-1])")
    found = refusal(text, C)
    assert "`call()` would read `scales`, which the loop's statements compute in `__init__`" in found[0]


def test_a_loop_statement_that_changes_a_module_level_name_is_refused() -> None:
    # Written in __init__, `filters *= 2` would make `filters` a local read before it is set.
    text = """\
    import keras
    from keras import layers

    filters = 8
    inputs = keras.Input(shape=(16, 16, 3))
    x = inputs
    for stage in range(2):
        x = layers.Conv2D(filters, 3, padding="same")(x)
        filters *= 2
    model = keras.Model(inputs, x)
    """
    assert refusal(text, C) == [
        "m.py:9:5: error: `filters *= 2` binds `filters` again, which the file bound before the model and"
        " the model's lines read first; in a subclass model those lines run in a method, where `filters`"
        " would be a name of its own, read before anything binds it (hint: give `filters` its value among the"
        " model's lines (`filters = ...` before its first use), or keep this model functional)"
    ]
    # Set in the model's own code, it is a local of __init__ from the start.
    moved = text.replace("    filters = 8\n", "").replace("x = inputs\n", "x = inputs\n    filters = 8\n")
    assert "            filters *= 2\n" in convert(moved, C)


BRANCHING_PASS = (Path(__file__).parent / "fixtures" / "loop_branch_layers" / "functional.py").read_text()


def test_a_loop_whose_passes_branch_carries_its_tensor_through_the_if() -> None:
    out = convert(BRANCHING_PASS, Style.SUBCLASS)
    assert "            if stage == 0:\n                x = conv(x)\n            else:\n" in out
    # The else's layers are made under the test negated as a person writes it.
    assert "                if stage != 0\n" in out and "not (" not in out
    (model,) = [m for m in find_models(out) if m.name == "Stages"]
    lint(model.graph)
    assert convert(out, Style.SUBCLASS) == out


def test_a_tensor_assigned_only_in_an_inner_loop_is_carried_by_the_outer_one() -> None:
    text = """\
    import keras
    from keras import layers


    def net(widths=((8, 8), (16, 16))):
        inputs = keras.Input(shape=(8, 8, 3))
        x = inputs
        for stage in range(len(widths)):
            for filters in widths[stage]:
                if stage == 0:
                    x = layers.Conv2D(filters, 3, padding="same")(x)
                else:
                    x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        return keras.Model(inputs, x)
    """
    assert convert(text, Style.SEQUENTIAL).endswith(
        "    for stage in range(len(widths)):\n"
        "        for filters in widths[stage]:\n"
        "            if stage == 0:\n"
        '                model.add(layers.Conv2D(filters, 3, padding="same"))\n'
        "            else:\n"
        '                model.add(layers.SeparableConv2D(filters, 3, padding="same"))\n'
        "    return model\n"
    )


@pytest.mark.tensorflow
def test_the_branching_loop_builds_the_same_subclass() -> None:
    from kconvert.verify import verify_sources

    report = verify_sources(BRANCHING_PASS, convert(BRANCHING_PASS, Style.SUBCLASS))
    assert report.exit_code == 0, report.render()


# The Keras 2 reuters_mlp example: a Sequential builder whose loop counts passes with `i`
# and whose layers never read it; the subclass's blocks are made `for _ in` the same range.
UNREAD_TARGET = """\
import keras
from keras import layers


def build(n_dense=3, units=16):
    model = keras.Sequential()
    model.add(layers.Dense(units, input_shape=(8,)))
    for i in range(n_dense - 1):
        model.add(layers.Dense(units))
        model.add(layers.Activation("selu"))
    model.add(layers.Dense(1))
    return model
"""


def test_an_unread_loop_target_is_written_as_blank_and_compares_equal() -> None:
    out = convert(UNREAD_TARGET, C)
    assert "for _ in range(n_dense - 1)" in out
    assert "for i in" not in out
    assert _check(UNREAD_TARGET, out) is None


def test_a_loop_target_the_layers_read_is_kept_and_a_blanked_one_is_caught() -> None:
    reads = UNREAD_TARGET.replace("layers.Dense(units))", "layers.Dense(units * (i + 1)))")
    out = convert(reads, C)
    assert "for i in range(n_dense - 1)" in out
    assert _check(reads, out.replace("for i in", "for _ in")) is not None
