"""Session 37's verification sample (verify37): a residual carried from one loop pass to the next.

No conversion of the sample was wrong. One output was read closely because it could have been:
keras-io's Oxford Pets U-Net sets ``previous_block_activation = x`` before its loops and again at
the end of each pass, and each pass projects it into the residual it adds. To subclass, each loop
body is a Layer class (``DownBlock``, ``UpBlock``) whose ``call`` sets the residual aside from its
own input. That is right only because the carried tensor is ``x`` itself whenever a pass starts.
These pin both sides: when it is, the body is a block reading its input twice; when a layer runs
between setting it aside and the loop (the first pass reads an older tensor), the loop stays in
``call()`` with the carried name threaded through its passes; and, in TensorFlow, both verify.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from converting import C, S, convert, refusal
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# The U-Net's down path in small: the tensor set aside is ``x`` whenever a pass starts.
SET_ASIDE_AT_EACH_START = """\
import keras
from keras import layers


def get_model(num_classes):
    inputs = keras.Input(shape=(16, 16, 3))
    x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous_block_activation = x

    for filters in [8, 16]:
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(filters, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])
        previous_block_activation = x

    outputs = layers.Conv2D(num_classes, 3, padding="same")(x)
    return keras.Model(inputs, outputs)


model = get_model(3)
"""

# The same, but the Activation runs after the tensor is set aside: the first pass's residual is
# the BatchNormalization's output, not the ``x`` the pass starts from.
SET_ASIDE_BEFORE_A_LAYER = SET_ASIDE_AT_EACH_START.replace(
    '    x = layers.Activation("relu")(x)\n    previous_block_activation = x\n',
    '    previous_block_activation = x\n    x = layers.Activation("relu")(x)\n',
)


def test_a_pass_that_starts_from_the_tensor_it_set_aside_is_a_block() -> None:
    converted = convert(SET_ASIDE_AT_EACH_START, C)
    block_call = converted.split("    def call(self, x, training=None):\n", 1)[1].split("\n\n", 1)[0]
    assert block_call.splitlines() == [
        "        previous_block_activation = x",
        "        x = self.separable_conv(x)",
        "        x = self.bn(x, training=training)",
        "        x = self.pool(x)",
        "        residual = self.residual(previous_block_activation)",
        "        return self.add([x, residual])",
    ]
    assert "        self.blocks = [Block(filters) for filters in [8, 16]]" in converted
    assert "        for block in self.blocks:\n            x = block(x)\n" in converted


def test_a_pass_that_starts_from_another_tensor_stays_a_loop_threading_it() -> None:
    converted = convert(SET_ASIDE_BEFORE_A_LAYER, C)
    assert "(layers.Layer)" not in converted
    assert (
        "        x = self.bn(x, training=training)\n"
        "        previous_block_activation = x\n"
        "        x = self.activation(x)\n"
    ) in converted
    assert (
        "            residual = conv(previous_block_activation)\n"
        "            x = add([x, residual])\n"
        "            previous_block_activation = x\n"
    ) in converted


@pytest.mark.tensorflow
@pytest.mark.parametrize("source", [SET_ASIDE_AT_EACH_START, SET_ASIDE_BEFORE_A_LAYER], ids=["block", "loop"])
def test_both_verify_against_the_functional_original(tmp_path: Path, source: str) -> None:
    import kconvert

    (tmp_path / "original.py").write_text(source)
    (tmp_path / "converted.py").write_text(convert(source, C))
    report = kconvert.verify(tmp_path / "original.py", tmp_path / "converted.py")
    assert report.verdict == kconvert.Verdict.EQUIVALENT, report.render()


# thushv89's Inception in small: the model is saved in the legacy format and loaded back.
SAVED_AS_H5 = """\
import os

import keras
from keras import layers

inputs = keras.Input(shape=(4,))
x = layers.Dense(8, activation="relu")(inputs)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.save(os.path.join("models", "net.h5"))
model = keras.models.load_model(os.path.join("models", "net.h5"))
"""


@pytest.mark.parametrize("target", [C, FS], ids=["subclass", "functional-subclass"])
def test_a_graph_model_saved_as_h5_is_refused_to_a_class_at_the_save(target: Style) -> None:
    assert refusal(SAVED_AS_H5, target) == [
        "m.py:11:1: error: this saves `model` in Keras' legacy .h5 format, whose"
        " `load_model` finds a model's class by its bare name: the class a"
        f" {target} conversion writes is registered under its package, and would not load back"
        ' (hint: save it as `.keras` (`model.save("model.keras")`), which loads a registered class,'
        " or keep this model functional)"
    ]


def test_a_sequential_saved_with_save_format_h5_is_refused_to_subclass() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])
    model.save("net", save_format="h5")
    """
    assert refusal(source, C)[0].startswith("m.py:5:1: error: this saves `model` in Keras' legacy .h5")


def test_a_model_saved_as_keras_or_converted_to_a_graph_style_is_not_refused() -> None:
    as_keras = SAVED_AS_H5.replace('"net.h5"', '"net.keras"')
    assert 'model.save(os.path.join("models", "net.keras"))' in convert(as_keras, C)
    assert "class " in convert(as_keras, FS)
    sequential = convert(SAVED_AS_H5, S)
    assert 'model.save(os.path.join("models", "net.h5"))' in sequential
    assert "keras.Sequential(" in sequential


# Why: a graph model comes back from .h5; the registered class a conversion would write does not.
ROUND_TRIP = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="net")
class Net(keras.Model):
    def __init__(self, **kwargs):
        inputs = keras.Input(shape=(4,))
        outputs = layers.Dense(2)(inputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


inputs = keras.Input(shape=(4,))
graph = keras.Model(inputs, layers.Dense(2)(inputs))
for name, model in {"graph": graph, "class": Net()}.items():
    model.save(f"{name}.h5")
    try:
        print(name, type(keras.models.load_model(f"{name}.h5")).__name__)
    except ValueError as error:
        print(name, str(error).split(".")[0])
"""


@pytest.mark.tensorflow
def test_keras_loads_a_graph_model_from_h5_but_not_a_registered_class(tmp_path: Path) -> None:
    (tmp_path / "round_trip.py").write_text(ROUND_TRIP)
    run = subprocess.run(
        [sys.executable, "round_trip.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.splitlines()[-2:] == ["graph Functional", "class Unknown layer: 'Net'"]

