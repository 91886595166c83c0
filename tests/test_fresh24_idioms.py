"""Idioms of real model code found by session 24's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh24"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A GhostNet builder unpacks each stage's settings with no spaces (`for k,c in cfg:`); the
# class written for it is formatted, `for k, c in cfg:`, and the safety check compared the
# two texts, so a right conversion was refused as kconvert's own mistake.
PACKED_TARGET = """\
from tensorflow import keras

CFGS = [[(3, 8), (3, 16)], [(5, 16)]]


def build(cfgs=CFGS):
    inputs = keras.Input(shape=(32, 32, 3))
    x = inputs
    for index, cfg in enumerate(cfgs):
        for k,c in cfg:
            x = keras.layers.Conv2D(c, k, padding="same", name="conv_%d_%d" % (index, c))(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(10)(x)
    return keras.Model(inputs, outputs)


model = build()
"""


def test_a_loop_target_written_without_spaces_is_the_formatted_one() -> None:
    out = convert(PACKED_TARGET, FS)
    assert "            for k, c in cfg:\n" in out
    assert convert(out, FS) == out


# Keras-applications-style builders (GhostNet, MobileNetV3) pick their input with an `if`
# whose `else` holds commented-out code; the class kept the statement with its comments and
# wrote them a second time under it.
CHOSEN_INPUT = """\
from tensorflow import keras


def build(input_tensor=None):
    if input_tensor is None:
        img_input = keras.Input(shape=(8,))
    else:
        # the caller's tensor
        img_input = input_tensor

    x = keras.layers.Dense(4)(img_input)
    return keras.Model(img_input, x)


model = build()
"""


def test_the_comments_of_an_input_chosen_by_an_if_are_written_once() -> None:
    out = convert(CHOSEN_INPUT, FS)
    assert out.count("# the caller's tensor") == 1
    assert (
        "        else:\n"
        "            # the caller's tensor\n"
        "            img_input = input_tensor\n"
        "\n"
        "        x = keras.layers.Dense(4)(img_input)\n"
    ) in out


# PeleeNet reads its features' static shape (`K.int_shape`) and never uses it: a call, but
# one that computes numbers from shapes and makes no layer, so every style can keep it.
UNUSED_SHAPE = """\
from tensorflow import keras
from tensorflow.keras import backend as K


def build():
    inputs = keras.Input(shape=(16, 16, 3))
    features = keras.layers.Conv2D(8, 3)(inputs)
    features_shape = K.int_shape(features)
    x = keras.layers.GlobalAveragePooling2D()(features)
    outputs = keras.layers.Dense(2)(x)
    return keras.Model(inputs, outputs)


model = build()
"""


def test_an_unused_read_of_a_static_shape_is_kept_in_every_style() -> None:
    out = convert(UNUSED_SHAPE, FS)
    assert (
        "        features = keras.layers.Conv2D(8, 3)(inputs)\n"
        "        features_shape = K.int_shape(features)\n"
        "        x = keras.layers.GlobalAveragePooling2D()(features)\n"
    ) in out
    subclass = convert(UNUSED_SHAPE, C)
    assert "        features_shape = K.int_shape(features)\n" in subclass.split("def call(")[1]
    # A Sequential list has no place for a statement: said at its line.
    assert refusal(UNUSED_SHAPE, S)[0].startswith("m.py:8:22: error: `features_shape` is computed by an expression")


# keras-io's EDSR upsampling helper passes `**kwargs` on to its convolutions: a subclass
# cannot write its layers out, and the refusal says what would work.
STAR_HELPER = """\
from tensorflow import keras


def upsample(x, factor=2, **kwargs):
    x = keras.layers.Conv2D(8 * factor**2, 3, padding="same", **kwargs)(x)
    return keras.layers.Conv2D(8, 3, padding="same")(x)


def build():
    inputs = keras.Input(shape=(16, 16, 8))
    outputs = upsample(inputs)
    return keras.Model(inputs, outputs)


model = build()
"""


def test_a_helper_taking_kwargs_is_refused_with_a_hint_to_a_subclass() -> None:
    (line,) = refusal(STAR_HELPER, C)
    assert line.startswith("m.py:4:1: error: `upsample` cannot be written out in a subclass: `upsample` takes `*args` or")
    assert "(hint: name the parameters it takes, or keep the Functional API" in line
    assert "def upsample(x, factor=2, **kwargs):" in convert(STAR_HELPER, FS)


# A study script calls a Dense on the trunk and never uses it (`d2`): Keras leaves that layer
# out of the model. A class that builds the same graph keeps the line as it is; a subclass
# would make the layer's weights, so it is refused there, at the line.
UNUSED_CALL = """\
from keras.models import Model
from keras.layers import Dense, Input

in1 = Input(shape=(1,))
d1 = Dense(16)(in1)
d2 = Dense(5)(d1)
out1 = Dense(1)(d1)
d3 = Dense(7)(d1)
out2 = Dense(1, activation="sigmoid")(d3)
model = Model(inputs=in1, outputs=[out1, out2])
"""


def test_an_unused_layer_call_stays_in_graph_code_and_is_refused_elsewhere() -> None:
    out = convert(UNUSED_CALL, FS)
    assert (
        "        d1 = Dense(16)(in1)\n"
        "        d2 = Dense(5)(d1)\n"
        "        out1 = Dense(1)(d1)\n"
    ) in out
    assert convert(out, FS) == out
    assert "\nd2 = Dense(5)(d1)\n" in convert(out, F)
    for target in (C, S):
        (line,) = refusal(UNUSED_CALL, target)
        assert line.startswith(
            f"m.py:6:6: error: `d2` is computed among the model's statements but the model does not use it: Keras"
            f" leaves its layer out of a graph, which a {target} model cannot do"
        )
