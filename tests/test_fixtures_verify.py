"""Every golden fixture direction, proven in TensorFlow.

The expected file of each direction (what kconvert writes), and of each
one-way direction's way back (``A_to_B.back.py``), must build the same model as
the source file: same layers, parameters and outputs.  One worker
imports TensorFlow once for all of them.
"""

from __future__ import annotations

import pytest

from kconvert.verify import Worker, verify_files

from test_fixtures import _directions
from test_tf_keras_built import KERAS2_CASES

pytestmark = pytest.mark.tensorflow

# Models the verifier cannot build alone (made in a loop's body, in an ``else``): proven by a
# test of their own, named here.
ELSEWHERE = {"models_in_compound_blocks": "test_compound_blocks.py"}
# Data a fixture loads from a file (and through pandas or scikit-learn, not installed here), given
# as the verifier's ``--set`` would: an array of the same kind, whose shape the models' Input reads.
GIVEN = {
    "fit_split_array": {"X_train": '__import__("numpy").zeros((4, 8))'},
    "subclass_fit_frame_values": {"X_train": '__import__("numpy").zeros((4, 12), "float32")'},
}
# The input shape of a model whose file builds it only by calling it inside another call
# (``print(model(x))``), which the verifier does not read, as its ``--input-shape`` would give it.
SHAPES = {"shapeless_first_called_in_print": (None, 5)}
# Fixtures on ``tf_keras`` (Keras 2), which the verifier says it cannot build: proven in tf_keras
# itself, when it is installed (test_tf_keras_built.py).
ELSEWHERE |= {case.name: "test_tf_keras_built.py" for case in KERAS2_CASES}
PAIRS = [
    pytest.param(case / f"{source}.py", expected, id=f"{case.name}:{source}->{target}")
    for case, source, target, expected in (param.values for param in _directions())
    if expected.suffix == ".py" and source != target and case.name not in ELSEWHERE
]
# A one-way direction's way back (a helper written out comes back written out)
# must build the source's model too.
PAIRS += [
    pytest.param(case / f"{source}.py", back, id=f"{case.name}:{source}->{target}->{source}")
    for case, source, target, _ in (param.values for param in _directions())
    if (back := case / f"{source}_to_{target}.back.py").exists() and case.name not in ELSEWHERE
]


@pytest.fixture(scope="module")
def worker():
    with Worker() as running:
        yield running


@pytest.mark.parametrize(("original", "converted"), PAIRS)
def test_fixture_direction_builds_the_same_model(worker, original, converted) -> None:
    case = original.parent.name
    report = verify_files(original, converted, input_shape=SHAPES.get(case), given=GIVEN.get(case), worker=worker)
    assert report.exit_code == 0, report.render()
