"""``verify_sources(..., save=True)``: an equivalent converted model is also saved as
``.keras`` and loaded back without ``custom_objects``; the report says how it went."""

from __future__ import annotations

import textwrap

import pytest

from kconvert.verify import Verdict, Worker, verify_sources
from kconvert.verify.report import LOADS

pytestmark = pytest.mark.tensorflow

FUNCTIONAL = textwrap.dedent("""
    import keras

    inputs = keras.Input(shape=(6,))
    x = keras.layers.Dense(4, activation="relu")(inputs)
    outputs = keras.layers.Dense(2)(x)
    model = keras.Model(inputs, outputs)
""")
# The same model as a subclass, registered or not.
CLASS = """
import keras

{registered}
class Net(keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.out = keras.layers.Dense(2)

    def call(self, x):
        return self.out(self.hidden(x))
{config}

model = Net(4)
model.build((None, 6))
"""
CONFIG = """
    def get_config(self):
        return {**super().get_config(), "units": self.units}
"""


def test_a_saved_model_is_loaded_back_and_one_that_cannot_be_is_named() -> None:
    loads = CLASS.format(registered='@keras.saving.register_keras_serializable(package="saves")', config=CONFIG)
    # Not registered: load_model cannot find the class without custom_objects.
    fails = CLASS.format(registered="", config=CONFIG)
    with Worker() as worker:
        good = verify_sources(FUNCTIONAL, loads, worker=worker, save=True)
        bad = verify_sources(FUNCTIONAL, fails, worker=worker, save=True)
        unasked = verify_sources(FUNCTIONAL, loads, worker=worker)
    assert good.verdict is Verdict.EQUIVALENT, good.render()
    assert [m.saving for m in good.models] == [LOADS]
    # Saving is a fact of its own: the pair is still equivalent.
    assert bad.verdict is Verdict.EQUIVALENT, bad.render()
    assert bad.models[0].saving != LOADS
    assert bad.models[0].saving.startswith(("loading failed", "saving failed")), bad.models[0].saving
    assert "saved as .keras and loaded back" in bad.render()
    assert unasked.models[0].saving is None
