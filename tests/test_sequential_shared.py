"""A layer object the model calls twice, written as a Sequential.

Keras runs a Sequential that lists one layer object twice, but its config (what ``model.save``
writes) holds the object once: the model loaded from a ``.keras`` file makes one pass where the
saved one made two.  A layer with weights shared by two passes has no Sequential that saves it,
so to-Sequential refuses; a weightless one (a pooling, an activation) computes what a new layer
of its kind computes, so its second pass lists a new one (Machine Learning Mastery's LeNet5,
tests/fixtures/subclass_lenet5; Hands-On Computer Vision's LeNet-5 failed to load).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from converting import convert, refusal
from kconvert.types import Style

S = Style.SEQUENTIAL

SHARED = """\
import keras
from keras import layers

relu = layers.Activation("relu")
inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
x = relu(x)
x = layers.Dense(8)(x)
x = relu(x)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs)
"""


def test_a_weightless_layer_called_again_is_a_new_one_in_the_list() -> None:
    out = convert(SHARED, S)
    assert "        relu,\n        layers.Dense(8),\n        layers.Activation(\"relu\"),\n" in out


def test_a_layer_with_weights_called_again_is_refused() -> None:
    source = SHARED.replace('relu = layers.Activation("relu")', "relu = layers.Dense(8)")
    (message,) = refusal(source, S)
    assert "the layer `relu` is called a second time here; a Sequential model would list it twice" in message
    assert message.startswith("m.py:9:5: error:")


@pytest.mark.tensorflow
def test_the_sequential_saves_and_loads_as_the_same_model(tmp_path: Path) -> None:
    (tmp_path / "shared.py").write_text(convert(SHARED, S))
    script = (
        "import numpy as np, keras, shared\n"
        "x = np.random.default_rng(0).random((2, 8)).astype('float32')\n"
        "shared.model.save('m.keras')\n"
        "loaded = keras.models.load_model('m.keras')\n"
        "assert len(loaded.layers) == len(shared.model.layers), (loaded.layers, shared.model.layers)\n"
        "np.testing.assert_allclose(shared.model(x), loaded(x), rtol=1e-6)\n"
        "print('ok')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.splitlines()[-1] == "ok"
