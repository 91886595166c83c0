"""Idioms of real model code found by session 16's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh16"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A TF 2.0-era tutorial imports `keras` from TensorFlow's internals and subclasses its Model,
# next to a plain tf.keras Sequential.
SUBCLASS_OF_AN_INTERNAL_MODEL = """\
import tensorflow as tf
from tensorflow.python import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.main = keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)])

    def call(self, inputs, training=None, mask=None):
        return self.main(inputs)


net = Net()
other = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape=(8,)), tf.keras.layers.Dense(1)])
"""


def test_a_subclass_of_an_internal_model_is_refused_by_name() -> None:
    # Before: the class was no model at all, so to-functional converted `other` alone and left
    # `Net` a subclass, silently (the file's models were not all in the target style).
    for target in (F, S, FS):
        messages = refusal(SUBCLASS_OF_AN_INTERNAL_MODEL, target)
        assert messages[0].startswith(
            "m.py:5:1: error: `Net` subclasses `tensorflow.python.keras.Model`, a Keras 2 internal path"
        ), messages
    # Already a subclass, `Net` stays as it is; `other` becomes one too.
    assert "class Net(keras.Model):" in convert(SUBCLASS_OF_AN_INTERNAL_MODEL, C)


# A classifier tutorial notes each layer's output shape in a comment behind it.
SHAPES_IN_COMMENTS = """\
from tensorflow.keras import layers, Model, Sequential


class Net(Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = Sequential([
            layers.Conv2D(8, kernel_size=3),
            layers.Conv2D(128, kernel_size=5, padding="same", activation="relu"),   # (None, 24, 24, 128)
            layers.MaxPool2D(pool_size=3)])
        self.flatten = layers.Flatten()
        self.classifier = layers.Dense(num_classes)

    def call(self, inputs, **kwargs):
        x = self.features(inputs)
        x = self.flatten(x)
        return self.classifier(x)
"""


def test_a_comment_moved_above_its_layer_is_the_same_model() -> None:
    # Before: "internal error ... reading the converted code back gives a different layer graph":
    # the safety check compared the inner Sequential's text with its comment, which the output
    # writes on the line above the layer.
    assert convert(SHAPES_IN_COMMENTS, S) == """\
from tensorflow.keras import layers, Sequential


def Net(num_classes=10):
    return Sequential(
        [
            Sequential(
                [
                    layers.Conv2D(8, kernel_size=3),
                    # (None, 24, 24, 128)
                    layers.Conv2D(
                        128, kernel_size=5, padding="same", activation="relu"
                    ),
                    layers.MaxPool2D(pool_size=3),
                ]
            ),
            layers.Flatten(),
            layers.Dense(num_classes),
        ]
    )
"""


def test_the_safety_checks_normal_form_leaves_comments_out() -> None:
    from kconvert.ir.normal_form import normal_text

    assert normal_text("[Dense(4),  # one\n    Dense(1)]") == normal_text("[Dense(4), Dense(1)]")
    assert normal_text("Dense(4, name='a#b')") == '(Dense(4, name="a#b"))'


# PyTorch-style ports fill a list of layers per entry of a config, then make a stage of it.
APPENDED_STAGE = """\
from tensorflow.keras import layers, Sequential


def make_stage(cfg):
    stage_layers = []
    for v in cfg:
        if v == "M":
            stage_layers.append(layers.MaxPool2D(pool_size=2))
        else:
            conv = layers.Conv2D(v, kernel_size=3, padding="same", activation="relu")
            stage_layers.append(conv)
    return Sequential(stage_layers, name="stage")


stage = make_stage([8, "M", 16])
stage.build((None, 32, 32, 3))
"""

APPENDED_STAGE_FUNCTIONAL = """\
from tensorflow.keras import layers, Model


def make_stage(cfg):
    inputs = layers.Input(shape=(32, 32, 3))
    x = inputs
    for v in cfg:
        if v == "M":
            x = layers.MaxPool2D(pool_size=2)(x)
        else:
            conv = layers.Conv2D(v, kernel_size=3, padding="same", activation="relu")
            x = conv(x)
    return Model(inputs=inputs, outputs=x, name="stage")


stage = make_stage([8, "M", 16])
stage.build((None, 32, 32, 3))
"""


def test_a_list_filled_by_appends_is_the_models_own() -> None:
    # Before: "the layers are given as `stage_layers`, which kconvert cannot see into".
    assert convert(APPENDED_STAGE, F) == APPENDED_STAGE_FUNCTIONAL
    assert convert(APPENDED_STAGE_FUNCTIONAL, F) == APPENDED_STAGE_FUNCTIONAL
    subclass = convert(APPENDED_STAGE, C)
    assert "for v, pool, layer in zip(self.cfg, self.pool_layers, self.conv):" in subclass
    assert "stage_layers" not in subclass
    # Read back to Sequential, the appends are `.add()` calls.
    assert "            model.add(layers.MaxPool2D(pool_size=2))\n" in convert(subclass, S)


def test_a_list_read_after_the_model_is_not_taken() -> None:
    # The rest of the builder still reads the list, which a model of its own would leave unbound.
    kept = APPENDED_STAGE.replace(
        '    return Sequential(stage_layers, name="stage")\n',
        '    model = Sequential(stage_layers, name="stage")\n    print(len(stage_layers))\n    return model\n',
    )
    assert "the layers are given as `stage_layers`, which line 6 changes after making it" in refusal(kept, F)[0]


# The same stage with `.add()`: a layer bound by name in an `if` branch, then added.
ADDED_BY_NAME_IN_A_BRANCH = APPENDED_STAGE.replace("stage_layers = []", 'model = Sequential(name="stage")').replace(
    "stage_layers.append(", "model.add(").replace('    return Sequential(stage_layers, name="stage")\n', "    return model\n")


def test_a_layer_named_in_a_branch_then_added_is_made_there() -> None:
    # Before: "internal error ... reading the converted code back gives a different layer graph"
    # (the Sequential read kept `conv = Conv2D(...)` as a statement, a layer of unknown arguments).
    functional = convert(ADDED_BY_NAME_IN_A_BRANCH, F)
    assert "            conv = layers.Conv2D(v, kernel_size=3, padding=\"same\", activation=\"relu\")\n            x = conv(x)\n" in functional
