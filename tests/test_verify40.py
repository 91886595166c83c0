"""Session 40's verification sample (verify40): a converted model that reads the file's data.

Keras' ``imdb_lstm`` example downloads its data (``imdb.load_data``), pads it, and grows an
unbuilt ``Sequential`` that ``fit(x_train, ...)`` builds. Converted, the model takes its input
shape from that data, ``Input(shape=x_train.shape[1:])``; the original built without it. With no
network here the converted model failed on the download line, which the conversion left as it
was, and the real-world judge called all three rows WRONG (a ``VERIFY-ERROR``): they are
unverifiable, and equivalent with ``--set x_train=...``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import corpus_report  # noqa: E402
from kconvert.types import Style  # noqa: E402
from kconvert.verify import Verdict  # noqa: E402
from kconvert.verify.report import ModelReport, VerifyReport  # noqa: E402

ORIGINAL = """\
import numpy as np
from keras import layers, models

x_train = np.load("reviews.npy")
model = models.Sequential()
model.add(layers.Dense(1))
model.fit(x_train, x_train[:, :1])
"""

CONVERTED = """\
import numpy as np
from keras import layers, models

x_train = np.load("reviews.npy")
inputs = layers.Input(shape=x_train.shape[1:])
outputs = layers.Dense(1)(inputs)
model = models.Model(inputs=inputs, outputs=outputs)
model.fit(x_train, x_train[:, :1])
"""

PATH = "m.py [functional]"
HINT = "the model reads x_train (line 4), computed from line 4, which cannot run here (hint: give the value with --set x_train=VALUE)"
BUILT = ModelReport("model", "model", Verdict.EQUIVALENT)


def _judged(monkeypatch, failed: ModelReport, converted: str = CONVERTED) -> tuple[str, list[str]]:
    reports = iter(VerifyReport("m.py", PATH, models=models) for models in ((failed,), (BUILT,)))
    monkeypatch.setattr(corpus_report, "verify_sources", lambda *args, **kwargs: next(reports))
    return corpus_report.verify_model(ORIGINAL, converted, "model", "m.py", Style.FUNCTIONAL, worker=None)


def _failed_at(line: int, *hints: str) -> ModelReport:
    reason = f"converted: building model failed: {PATH}:{line}: FileNotFoundError: reviews.npy"
    return ModelReport("model", "model", Verdict.ERROR, (reason, *hints))


def test_a_converted_model_failing_on_the_data_line_it_reads_is_unverifiable(monkeypatch) -> None:
    status, reasons = _judged(monkeypatch, _failed_at(4, HINT))
    assert status == "unverifiable"
    assert reasons[0] == (
        "converted: fails on a line of the file's data, left as written: converted: building model"
        " failed: m.py [functional]:4: FileNotFoundError: reviews.npy"
    )


def test_a_converted_model_failing_on_a_line_the_conversion_wrote_is_a_verify_error(monkeypatch) -> None:
    # Line 5 is the new ``Input(...)``: the conversion's own line, whatever the hint says.
    assert _judged(monkeypatch, _failed_at(5, HINT))[0] == "VERIFY-ERROR"


def test_a_data_line_the_conversion_changed_is_a_verify_error(monkeypatch) -> None:
    changed = CONVERTED.replace('np.load("reviews.npy")', 'np.load("reviews.npy", mmap_mode="r")')
    assert _judged(monkeypatch, _failed_at(4, HINT), changed)[0] == "VERIFY-ERROR"


def test_a_failure_with_no_data_hint_is_a_verify_error(monkeypatch) -> None:
    assert _judged(monkeypatch, _failed_at(4))[0] == "VERIFY-ERROR"
