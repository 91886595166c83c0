"""The ``tf_keras`` fixtures, built in tf_keras itself: kconvert's verifier runs Keras 3 and says
it cannot verify a Keras 2 model, so each style's file of a ``tf_keras_*`` case is run in a
process of its own with tf_keras (not in the ``verify`` extra: it needs the full ``tensorflow``
package) and the models compared: parameters, outputs on the same weights, and a ``.keras`` save
loaded back. Skipped where tf_keras is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.tensorflow

FIXTURES = Path(__file__).parent / "fixtures"
KERAS2_CASES = [
    case
    for case in sorted(FIXTURES.iterdir())
    if any("import tf_keras" in path.read_text() or "from tf_keras" in path.read_text() for path in case.glob("*.py"))
]

# Runs every style file of a case as the module ``model`` and reports what its ``model`` computes.
SCRIPT = """
import json, os, sys, tempfile, types
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tf_keras

found, first = {}, None
for path in sys.argv[1:]:
    module = types.ModuleType("model")
    sys.modules["model"] = module
    exec(compile(open(path).read(), path, "exec"), module.__dict__)
    model = module.model
    spec = model.inputs[0] if model.inputs else first[1]
    x = np.random.RandomState(0).random_sample((3, *spec.shape[1:])).astype(spec.dtype.name)
    if first is None:
        first = (model.get_weights(), spec)
    model.set_weights(first[0])
    saved = os.path.join(tempfile.mkdtemp(), "m.keras")
    model.save(saved)
    loaded = tf_keras.models.load_model(saved)
    found[os.path.basename(path)] = {
        "params": model.count_params(),
        "outputs": np.asarray(model(x, training=False)).ravel().tolist(),
        "loaded": np.asarray(loaded(x, training=False)).ravel().tolist(),
    }
print(json.dumps(found))
"""


@pytest.mark.skipif(importlib.util.find_spec("tf_keras") is None, reason="tf_keras is not installed")
@pytest.mark.parametrize("case", KERAS2_CASES, ids=[case.name for case in KERAS2_CASES])
def test_each_style_builds_the_same_model_in_tf_keras(case: Path) -> None:
    # The graph styles first: a subclass's model has no `inputs` to make data from.
    files = sorted(case.glob("*.py"), key=lambda path: ("subclass" in path.stem and "functional" not in path.stem, path.name))
    run = subprocess.run([sys.executable, "-c", SCRIPT, *map(str, files)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    reference = found[files[0].name]
    for name, model in found.items():
        assert model["params"] == reference["params"], name
        assert model["outputs"] == pytest.approx(reference["outputs"], abs=1e-6), name
        assert model["loaded"] == pytest.approx(model["outputs"], abs=1e-6), name
