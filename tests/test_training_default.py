"""``def call(self, x, training=True)``: a call of the model without the flag runs its Dropout in
training mode, which no graph model defaults to, and which the verifier cannot see (``fit`` and
``predict`` pass the flag themselves).  The graph styles refuse it (parse/subclass/call_checks.py);
a default of None or False is what a graph model does already."""

from __future__ import annotations

import pytest

from kconvert.types import Style

from converting import convert, refusal

NET = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(8)
        self.dropout = layers.Dropout(0.5)

    def call(self, x, training={default}):
        return self.dropout(self.dense(x), training=training)


model = Net()
model.build((None, 4))
"""


@pytest.mark.parametrize("target", [Style.FUNCTIONAL, Style.SEQUENTIAL, Style.FUNCTIONAL_SUBCLASS])
def test_a_training_default_of_true_is_refused_by_the_graph_styles(target: Style) -> None:
    assert refusal(NET.replace("{default}", "True"), target) == [
        "m.py:11:23: error: call() defaults `training` to `True`: a call without the flag (`model(x)`)"
        " runs its layers in that mode, while a graph model's runs them for inference (hint: default it"
        " to None (fit() and predict() pass the flag themselves), or keep the model a subclass)"
    ]


@pytest.mark.parametrize("default", ["None", "False"])
def test_a_default_a_graph_model_shares_converts(default: str) -> None:
    assert "    layers.Dropout(0.5),\n" in convert(NET.replace("{default}", default), Style.SEQUENTIAL)
