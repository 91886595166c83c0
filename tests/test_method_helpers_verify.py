"""The classifier whose methods build its blocks, run whole as the user runs it, in TensorFlow.

``test_fixtures_verify.py`` proves the subclass direction with the verifier, which builds the
method's model without the class's constructor.  Here the source and each class file of
``tests/fixtures/method_helpers_read_self`` each run whole in a fresh Python, constructor included:
the ``classifier.model`` they make must have the same parameter count and, given the source's
weights, the same outputs in inference and in training; the class must save, load without
``custom_objects`` and clone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.tensorflow

CASE = Path(__file__).parent / "fixtures" / "method_helpers_read_self"

SCRIPT = """
import runpy, sys, contextlib, io
import numpy as np
import keras

with contextlib.redirect_stdout(io.StringIO()):
    before = runpy.run_path(sys.argv[1])["classifier"].model
    after = runpy.run_path(sys.argv[2])["classifier"].model
assert type(after).__name__ == "ClassifierModel", type(after)
assert before.count_params() == after.count_params() == 515, (before.count_params(), after.count_params())
after.set_weights(before.get_weights())
data = np.random.default_rng(0).random((2, 16, 4)).astype("float32")
for training in (False, True):
    np.testing.assert_allclose(
        np.asarray(before(data, training=training)), np.asarray(after(data, training=training)), rtol=1e-5
    )
path = f"{sys.argv[3]}/classifier.keras"
after.save(path)
loaded = keras.models.load_model(path)
assert type(loaded) is type(after), (type(loaded), type(after))
np.testing.assert_allclose(np.asarray(after(data)), np.asarray(loaded(data)), rtol=1e-6)
assert keras.models.clone_model(after)(data).shape == after(data).shape
print("ok")
"""


@pytest.mark.parametrize("name", ["functional_to_subclass.py", "functional_to_functional_subclass.py"])
def test_each_class_file_builds_the_same_classifier(name: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(CASE / "functional.py"), str(CASE / name), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.stdout.strip().endswith("ok"), run.stderr[-3000:]
