"""A model an outer model class makes in its ``__init__`` (``self.body = keras.Sequential(...)``),
converted to a class of its own: the converted file has one model class more than the original,
which the outer pair compares inside it (verify/plan.py), not a model without a partner."""

from __future__ import annotations

import pytest

from converting import C, convert
from kconvert.verify import Verdict, Worker, verify_sources
from kconvert.verify.plan import plan

OUTER = """\
import keras
from keras import layers


class Outer(keras.Model):
    def __init__(self, input_shape):
        super().__init__()
        width = 8
        self.classes = 3
        body = keras.Sequential()
        body.add(layers.Dense(width, activation="relu", input_shape=input_shape))
        body.add(layers.Dense(self.classes))
        self.body = body

    def call(self, x):
        return self.body(x)


model = Outer((4,))
model.build((None, 4))
"""


def test_the_inner_model_becomes_a_class_that_the_outer_class_makes() -> None:
    out = convert(OUTER, C)
    # The method's local and its object's attribute are both the new class's parameters; its
    # parameter `input_shape`, which only the line building the class reads, is not.
    assert "        body = Body(classes=self.classes, width=width)\n        body(keras.Input(shape=input_shape))\n" in out, out
    planned = plan(((OUTER, "a.py"), (out, "b.py")), None, (1e-4, 1e-4), None)
    assert not planned.report.problem
    # One pair, the model the file makes of the outer class; the class that one makes has no
    # partner of its own to find.
    assert [(pair[0].name, pair[1].name) for pair in planned.pairs] == [("model", "model")]
    assert planned.report.models == ()


@pytest.mark.tensorflow
def test_the_outer_pair_proves_the_inner_class_and_sees_a_difference_in_it() -> None:
    out = convert(OUTER, C)
    changed = out.replace('layers.Dense(width, activation="relu")', 'layers.Dense(width, activation="tanh")', 1)
    assert changed != out
    with Worker() as worker:
        same = verify_sources(OUTER, out, worker=worker)
        different = verify_sources(OUTER, changed, worker=worker)
    assert [model.verdict for model in same.models] == [Verdict.EQUIVALENT], same
    assert [model.verdict for model in different.models] == [Verdict.DIFFERENT], different
