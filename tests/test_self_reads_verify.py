"""The GAN fixture whose methods build its networks from its attributes, proven in TensorFlow.

``test_fixtures_verify.py`` proves each direction with the verifier, which builds a method's
model without the class's constructor (``kconvert/verify/instance.py``). Here each file of
``tests/fixtures/methods_read_self`` also runs whole in a fresh Python, constructor included, as
the user runs it: its ``gan``'s two networks must have the source's parameter count and, given the
source's weights, its outputs; a network written as a class must save, load without
``custom_objects`` and clone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.tensorflow

CASE = Path(__file__).parent / "fixtures" / "methods_read_self"
FILES = sorted(path.name for path in CASE.glob("*.py") if path.name != "functional.py")

SCRIPT = """
import runpy, sys, contextlib, io
import numpy as np
import keras

with contextlib.redirect_stdout(io.StringIO()):
    source = runpy.run_path(sys.argv[1])["gan"]
    converted = runpy.run_path(sys.argv[2])["gan"]
rng = np.random.default_rng(0)
for network, shape in (("generator", (16,)), ("discriminator", (8, 8, 1))):
    before, after = getattr(source, network), getattr(converted, network)
    assert before.count_params() == after.count_params(), network
    after.set_weights(before.get_weights())
    data = rng.random((2, *shape)).astype("float32")
    np.testing.assert_allclose(np.asarray(before(data)), np.asarray(after(data)), rtol=1e-6)
    if type(after).__name__ not in ("Functional", "Sequential"):
        path = f"{sys.argv[3]}/{network}.keras"
        after.save(path)
        loaded = keras.models.load_model(path)
        assert type(loaded) is type(after), (type(loaded), type(after))
        np.testing.assert_allclose(np.asarray(after(data)), np.asarray(loaded(data)), rtol=1e-6)
        assert keras.models.clone_model(after)(data).shape == after(data).shape
print("ok")
"""


@pytest.mark.parametrize("name", FILES)
def test_each_written_form_builds_the_same_networks(name: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(CASE / "functional.py"), str(CASE / name), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.stdout.strip().endswith("ok"), run.stderr[-3000:]
