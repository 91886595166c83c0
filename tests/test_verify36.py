"""Session 36's verification sample (verify36): a helper that calls its layers with ``training=True``.

No conversion of the sample was wrong. One output was read closely because it could have been:
chansoopark98's pix2pix U-Net helpers call ``BatchNormalization(...)(g, training=True)`` and
``Dropout(0.5)(g, training=True)``, and to subclass their Layer classes call those layers with
``True if training is None else training``. In Keras 3 that is what the Functional original does:
a model called without ``training`` keeps the ``True`` its graph recorded, and a model called with
``training=False`` (``predict`` too) overrides it. This pins that behaviour in TensorFlow, in the
three ways a model is called, with the original's weights copied into the subclass.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from converting import C, convert

ORIGINAL = """\
import keras
from keras import layers


def block(x, filters):
    x = layers.Dense(filters)(x)
    x = layers.BatchNormalization(momentum=0.8)(x, training=True)
    return layers.LeakyReLU(0.2)(x)


inputs = keras.Input(shape=(4,))
outputs = layers.Dense(1)(block(inputs, 8))
model = keras.Model(inputs, outputs)
"""

# Runs the original and the converted file, copies the weights across and prints, for each way of
# calling the model, whether both give the same outputs, and whether the call ran BatchNormalization
# on the batch's statistics (its output differs from the moving statistics' output).
COMPARE = """\
import sys
import numpy as np

def load(path):
    scope = {}
    exec(compile(open(path).read(), path, "exec"), scope)
    return scope["model"]

original, converted = load(sys.argv[1]), load(sys.argv[2])
x = (np.arange(32, dtype="float32").reshape(8, 4) / 4.0) + 3.0
converted(x)
converted.set_weights(original.get_weights())
inference = np.asarray(original(x, training=False))
calls = {  # the default call last: on the batch's statistics it also moves the moving ones
    "training=False": lambda m: m(x, training=False),
    "predict": lambda m: m.predict(x, verbose=0),
    "default": lambda m: m(x),
}
for name, call in calls.items():
    a, b = np.asarray(call(original)), np.asarray(call(converted))
    print(name, "same" if np.allclose(a, b, atol=1e-5) else "DIFFERENT",
          "batch" if not np.allclose(a, inference, atol=1e-5) else "moving")
"""


def test_the_helper_class_calls_its_layers_with_the_recorded_training_flag() -> None:
    converted = convert(ORIGINAL, C)
    assert "self.bn(x, training=True if training is None else training)" in converted


@pytest.mark.tensorflow
def test_a_layer_called_with_training_true_behaves_as_in_the_functional_original(tmp_path: Path) -> None:
    (tmp_path / "original.py").write_text(ORIGINAL)
    (tmp_path / "converted.py").write_text(convert(ORIGINAL, C))
    (tmp_path / "compare.py").write_text(COMPARE)
    run = subprocess.run(
        [sys.executable, "compare.py", "original.py", "converted.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.splitlines()[-3:] == [
        "training=False same moving",
        "predict same moving",
        "default same batch",
    ]
