"""The real-world measure's verdict on a pair the verifier could not finish (no TensorFlow).

verify26: keras.io's ViT converted to subclass failed at its first call, but the judge said
``unverifiable``: run alone, the original's shapeless ``data_augmentation`` Sequential could not
be built, though the model that failed in the pair built and ran alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import corpus_report  # noqa: E402
from kconvert.types import Style  # noqa: E402
from kconvert.verify import Verdict  # noqa: E402
from kconvert.verify.report import ModelReport, VerifyReport  # noqa: E402

SHAPELESS = ModelReport("data_augmentation", "data_augmentation", Verdict.ERROR, ("cannot tell the input shape",))


def _judged(monkeypatch, pair: tuple[ModelReport, ...], alone: tuple[ModelReport, ...]) -> str:
    reports = iter(VerifyReport("m.py", "c.py", models=models) for models in (pair, alone))
    monkeypatch.setattr(corpus_report, "verify_sources", lambda *args, **kwargs: next(reports))
    return corpus_report.verify_model("", "", None, "m.py", Style.SUBCLASS, worker=None)[0]


def test_a_model_that_fails_only_converted_is_a_verify_error(monkeypatch) -> None:
    failed = ModelReport("model", "model", Verdict.ERROR, ("converted: calling the model failed",))
    alone = ModelReport("model", "model", Verdict.EQUIVALENT)
    assert _judged(monkeypatch, (failed,), (SHAPELESS, alone)) == "VERIFY-ERROR"


def test_a_model_that_fails_alone_too_is_unverifiable(monkeypatch) -> None:
    failed = ModelReport("model", "model", Verdict.ERROR, ("original: building model failed",))
    assert _judged(monkeypatch, (SHAPELESS, failed), (SHAPELESS, failed)) == "unverifiable"
