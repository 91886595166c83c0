"""Session 33's verification sample (verify33): a model whose original cannot be called.

handson-ml2's chapter 15 builds a Sequential of ``RNN(LNSimpleRNNCell(20), input_shape=...)``,
whose cell's ``get_initial_state`` was written for Keras 2: Keras 3 passes it no dtype, so the
model builds but fails when called, converted or not. The judge said WRONG: the verifier
called only the converted subclass (the Sequential was built already), so the failure read as
the conversion's; and the judge, asking whether the failing model runs alone, took any other
model named ``model`` (sixteen more in that file) for it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import corpus_report  # noqa: E402
from kconvert.types import Style  # noqa: E402
from kconvert.verify import Verdict  # noqa: E402
from kconvert.verify.report import ModelReport, VerifyReport  # noqa: E402


def _judged(monkeypatch, pair: tuple[ModelReport, ...], alone: tuple[ModelReport, ...]) -> str:
    reports = iter(VerifyReport("m.py", "c.py", models=models) for models in (pair, alone))
    monkeypatch.setattr(corpus_report, "verify_sources", lambda *args, **kwargs: next(reports))
    return corpus_report.verify_model("", "", None, "m.py", Style.SUBCLASS, worker=None)[0]


def test_a_failing_model_is_not_taken_for_another_of_its_name(monkeypatch) -> None:
    fine = ModelReport("model", "model", Verdict.EQUIVALENT)
    failed = ModelReport("model", "model", Verdict.ERROR, ("original: calling the model failed",))
    assert _judged(monkeypatch, (fine, failed), (fine, failed)) == "unverifiable"


def test_the_same_name_second_model_broken_by_the_conversion(monkeypatch) -> None:
    fine = ModelReport("model", "model", Verdict.EQUIVALENT)
    failed = ModelReport("model", "model", Verdict.ERROR, ("converted: calling the model failed",))
    assert _judged(monkeypatch, (fine, failed), (fine, fine)) == "VERIFY-ERROR"


ORIGINAL = '''\
import keras


class Late(keras.layers.Layer):
    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs):
        raise ValueError("written for Keras 2")


model = keras.Sequential([keras.Input(shape=(3,)), Late(), keras.layers.Dense(2)])
'''

CONVERTED = '''\
import keras


class Late(keras.layers.Layer):
    def compute_output_shape(self, input_shape):
        return input_shape

    def call(self, inputs):
        raise ValueError("written for Keras 2")


class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.late = Late()
        self.dense = keras.layers.Dense(2)

    def call(self, inputs):
        return self.dense(self.late(inputs))


model = MyModel()
'''


@pytest.mark.tensorflow
def test_a_failure_both_models_share_is_the_originals() -> None:
    from kconvert.verify import verify_sources

    report = verify_sources(ORIGINAL, CONVERTED, input_shape=(None, 3))
    (model,) = report.models
    assert model.verdict is Verdict.ERROR
    assert model.reasons[0].startswith("original: calling the model on inputs of shape [(4, 3)] failed"), model.reasons
