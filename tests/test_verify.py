"""The TensorFlow verifier end to end: hand-written pairs in tests/verify_cases/.

Every case of ``verify_cases/cases.toml`` runs through one parametrised test on
one module-scoped Worker, so TensorFlow is imported once for all of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from kconvert.verify import (
    Progress,
    Verdict,
    VerifyReport,
    Worker,
    combine,
    exit_code,
    verify_files,
    verify_many,
    verify_sources,
)
from kconvert.verify.api import UNTOUCHED

pytestmark = pytest.mark.tensorflow

CASES_DIR = Path(__file__).parent / "verify_cases"
CASES = tomllib.loads((CASES_DIR / "cases.toml").read_text())["case"]


@pytest.fixture(scope="module")
def worker():
    with Worker() as running:
        yield running


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(case: dict, worker: Worker) -> None:
    report = verify_files(
        CASES_DIR / case["original"],
        CASES_DIR / case["converted"],
        model=case.get("model"),
        worker=worker,
    )
    assert report.verdict == Verdict(case["verdict"]), report.render()
    if case["verdict"] == "equivalent":
        assert report.exit_code == 0
        assert all(
            m.max_abs_diff is not None and m.max_abs_diff <= 1e-4 for m in report.models
        )
    if case["verdict"] == "different":
        assert report.exit_code == 1
        diff = report.models[0].first_difference
        assert diff is not None, report.render()
        for side, row in (("original", diff.original), ("converted", diff.converted)):
            kind, line = case[f"{side}_layer"]
            assert row is not None and row.location is not None, report.render()
            assert (row.kind, row.location.line) == (kind, line), report.render()
            assert Path(row.location.path).name == case[side]
        if "config_key" in case:  # the key is named, with both values
            config = report.models[0].config_differences
            assert [c.key for c in config] == [case["config_key"]], report.render()
            assert config[0].original_value != config[0].converted_value
            assert case["config_key"] in diff.reason
        if "reason" in case:
            assert case["reason"] in diff.reason, report.render()
    if case["verdict"] == "error":
        assert report.exit_code == 123
        assert any(
            case["reason"] in reason for reason in report.reasons
        ), report.reasons
        assert not any("Traceback" in reason for reason in report.reasons)


def test_mnist_summary_in_call_order(worker: Worker) -> None:
    report = verify_files(
        CASES_DIR / "mnist_functional.py",
        CASES_DIR / "mnist_subclass.py",
        worker=worker,
    )
    original, converted = report.models[0].original, report.models[0].converted
    assert original is not None and converted is not None
    assert original.total_params == converted.total_params == 235_146
    assert original.trainable_params == 235_146 and original.non_trainable_params == 0
    # The subclass creates head, hidden2, hidden1, flatten, but calls them in reverse.
    assert [r.kind for r in converted.rows] == ["Flatten", "Dense", "Dense", "Dense"]
    assert [r.output_shapes for r in converted.rows] == [
        ((None, 784),),
        ((None, 256),),
        ((None, 128),),
        ((None, 10),),
    ]
    assert [r.location.line for r in converted.rows if r.location] == [13, 12, 11, 10]
    assert [r.params for r in converted.rows] == [r.params for r in original.rows]


def test_builder_with_parameters_is_called_with_defaults(worker: Worker) -> None:
    report = verify_files(
        CASES_DIR / "builder_functional.py",
        CASES_DIR / "builder_sequential.py",
        model="build_model",
        worker=worker,
    )
    assert report.verdict is Verdict.EQUIVALENT, report.render()
    assert report.models[0].original is not None
    assert report.models[0].original.input_shapes == ((None, 12),)
    assert report.models[0].original.total_params == 12 * 24 + 24 + 24 * 3 + 3


def test_subclass_never_built_needs_input_shape(worker: Worker) -> None:
    subclass = CASES_DIR / "embedding_subclass.py"
    unknown = verify_files(subclass, subclass, worker=worker)
    assert unknown.verdict is Verdict.ERROR
    assert "input_shape" in unknown.reasons[0]
    given = verify_files(subclass, subclass, input_shape=(None, 12), worker=worker)
    assert given.verdict is Verdict.EQUIVALENT, given.render()


PRINTS_AND_CALLS = """
import keras

print("user output must not break the protocol")

def build_model(width=6):
    print("building", width)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(width), keras.layers.Dense(2)])

model = build_model(5)
"""


def test_module_level_builder_call_and_prints(worker: Worker) -> None:
    same = verify_sources(PRINTS_AND_CALLS, PRINTS_AND_CALLS, worker=worker)
    assert same.verdict is Verdict.EQUIVALENT, same.render()
    # `model = build_model(5)` is what the file builds, not build_model's default 6.
    assert same.models[0].original is not None
    assert same.models[0].original.rows[0].output_shapes == ((None, 5),)


def test_report_json_and_render(worker: Worker) -> None:
    report = verify_files(
        CASES_DIR / "mnist_functional.py",
        CASES_DIR / "broken_activation.py",
        worker=worker,
    )
    data = json.loads(report.to_json())
    assert data["verdict"] == "different" and data["exit_code"] == 1
    assert data["models"][0]["first_difference"]["original"]["location"]["line"] == 9
    text = report.render(width=160)
    assert (
        "DIFFERENT" in text and "235,146" in text and "broken_activation.py:9" in text
    )


def test_verify_many_reports_progress(worker: Worker) -> None:
    events: list[Progress] = []
    pairs = [
        (CASES_DIR / "bn_sequential.py", CASES_DIR / "bn_functional.py"),
        (CASES_DIR / "bn_sequential.py", CASES_DIR / "broken_no_bn.py"),
    ]
    reports = verify_many(pairs, worker=worker, progress=events.append)
    assert [r.verdict for r in reports] == [Verdict.EQUIVALENT, Verdict.DIFFERENT]
    assert [(e.done, e.total, e.verdict) for e in events] == [
        (0, 2, None),
        (1, 2, Verdict.EQUIVALENT),
        (1, 2, None),
        (2, 2, Verdict.DIFFERENT),
    ]


def test_file_level_problems_are_values(tmp_path: Path, worker: Worker) -> None:
    missing = verify_files(
        tmp_path / "nope.py", CASES_DIR / "mnist_functional.py", worker=worker
    )
    assert missing.verdict is Verdict.ERROR and "cannot read" in missing.problem
    broken = verify_sources("def (:\n", "x = 1\n", worker=worker)
    assert (
        broken.verdict is Verdict.ERROR
        and "cannot parse <original>:1" in broken.problem
    )
    empty = verify_sources("x = 1\n", "y = 2\n", worker=worker)
    assert empty.verdict is Verdict.ERROR and "no Keras model" in empty.problem
    unnamed = verify_files(
        CASES_DIR / "mnist_functional.py",
        CASES_DIR / "mnist_subclass.py",
        model="nope",
        worker=worker,
    )
    assert (
        unnamed.verdict is Verdict.ERROR
        and "no model named 'nope'" in unnamed.reasons[0]
    )


def test_exit_codes() -> None:
    assert [exit_code(v) for v in Verdict] == [0, 1, 123]
    assert combine([Verdict.EQUIVALENT, Verdict.ERROR]) is Verdict.ERROR
    assert combine([Verdict.ERROR, Verdict.DIFFERENT]) is Verdict.DIFFERENT
    assert VerifyReport("a", "b", problem="cannot read a").exit_code == 123


SLOW_OR_CRASHING = """
import os, time
import keras

def build_model():
    {body}
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
"""


def test_worker_crash_and_timeout_are_reported() -> None:
    crash = SLOW_OR_CRASHING.format(body="os._exit(3)")
    slow = SLOW_OR_CRASHING.format(body="time.sleep(120)")
    with Worker() as own:
        crashed = verify_sources(crash, crash, worker=own)
        assert crashed.verdict is Verdict.ERROR
        assert "exited with code 3" in crashed.reasons[0]
        own.request(
            {"op": "ping"}, timeout=120
        )  # restarted, so the import is paid here
        timed_out = verify_sources(slow, slow, worker=own, timeout=2)
        assert timed_out.verdict is Verdict.ERROR
        assert "timed out after" in timed_out.reasons[0]
        assert not own.running


def test_parent_never_imports_tensorflow() -> None:
    script = textwrap.dedent(f"""
        import sys
        from kconvert.verify import verify_files
        report = verify_files({str(CASES_DIR / "mnist_sequential.py")!r}, {str(CASES_DIR / "mnist_subclass.py")!r})
        report.render(); report.to_json()
        heavy = sorted(m for m in ("tensorflow", "keras", "numpy") if m in sys.modules)
        print(report.verdict.value, heavy)
        """)
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert run.stdout.strip() == "equivalent []", run.stdout + run.stderr
    assert run.stderr == ""  # TensorFlow's log noise stays inside the worker


REBOUND = """
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dense(1)])
model.compile(loss="mse")

model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(5), layers.Dense(2)])
"""


def test_a_wrong_first_model_of_a_rebound_name_is_found(worker: Worker) -> None:
    # Only the last `model` used to be compared: a wrong first one went unseen.
    wrong_first = REBOUND.replace("layers.Dense(3)", "layers.Dense(4)")
    report = verify_sources(REBOUND, wrong_first, worker=worker)
    assert report.verdict is Verdict.DIFFERENT, report.render()
    first, last = report.models
    assert first.verdict is Verdict.DIFFERENT
    # The second model's code is the same on both sides: nothing to prove, nothing built.
    assert (last.verdict, last.reasons, last.original) == (Verdict.EQUIVALENT, (UNTOUCHED,), None)


def test_a_file_compared_with_itself_builds_every_model(worker: Worker) -> None:
    report = verify_sources(REBOUND, REBOUND, worker=worker)
    assert report.verdict is Verdict.EQUIVALENT, report.render()
    shapes = [m.original.input_shapes for m in report.models if m.original is not None]
    assert shapes == [((None, 4),), ((None, 8),)]


def test_the_library_verify_keeps_one_worker_across_calls(worker: Worker) -> None:
    # Issue 12: each kconvert.verify() call started TensorFlow anew; a script passes one Worker.
    import kconvert

    original, converted = CASES_DIR / "mnist_sequential.py", CASES_DIR / "mnist_functional.py"
    first = kconvert.verify(original, converted, worker=worker)
    process = worker._process
    second = kconvert.verify(converted, original, worker=worker)
    assert (first.verdict, second.verdict) == (kconvert.Verdict.EQUIVALENT, kconvert.Verdict.EQUIVALENT)
    assert isinstance(second, kconvert.VerifyReport) and worker._process is process and worker.running
