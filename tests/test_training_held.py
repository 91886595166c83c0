"""A call with ``training=False`` in a graph and in a subclass's call() differ in Keras 3.

A Functional model passes its own training flag to each call that takes one, over
the flag the call was written with (``fit()`` passes True), while a subclass's
``call()`` passes what it says. A subclass says what the graph does:
``training=False if training is None else training``, which reads back as the graph's
``training=False``. A subclass that holds the flag always has no graph form: refused, at the call.
"""

from __future__ import annotations

import textwrap

import pytest

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style

GRAPH = """
import keras

base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), keras.layers.BatchNormalization()])
inputs = keras.Input(shape=(4,))
x = base(inputs, training=False)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""
SUBCLASS = """
import keras

base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), keras.layers.BatchNormalization()])


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.base = base
        self.head = keras.layers.Dense(1)

    def call(self, inputs, training=None):
        x = self.base(inputs, training=False)
        return self.head(x)


model = Net()
model(keras.Input(shape=(4,)))
"""


def refusals(text: str, target: Style, model: str = "model") -> list[str]:
    result = convert_source(textwrap.dedent(text), target, Options(model=model), "m.py")
    assert isinstance(result, Refused), result
    return [d.render() for d in result.diagnostics]


GRAPH_AS_SUBCLASS = """
import keras

base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), keras.layers.BatchNormalization()])


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.base = base
        self.dense = keras.layers.Dense(1)

    def call(self, inputs, training=None):
        x = self.base(inputs, training=False if training is None else training)
        return self.dense(x)


model = MyModel()
model(keras.Input(shape=(4,)))
"""


def test_a_graph_call_with_training_false_passes_the_models_flag_when_it_has_one() -> None:
    result = convert_source(textwrap.dedent(GRAPH), Style.SUBCLASS, Options(model="model"), "m.py")
    assert isinstance(result, Converted), result
    assert result.source == textwrap.dedent(GRAPH_AS_SUBCLASS)
    back = convert_source(result.source, Style.FUNCTIONAL, Options(), "m.py")
    assert isinstance(back, Converted), back
    assert "x = base(inputs, training=False)\n" in back.source


@pytest.mark.tensorflow
def test_the_subclass_trains_the_held_call_as_the_graph_does() -> None:
    from kconvert.verify import verify_sources

    # A Dropout in the base: with the flag held always, a training pass would differ.
    source = GRAPH.replace("keras.layers.BatchNormalization()", "keras.layers.Dropout(0.5)")
    converted = convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(), "m.py")
    assert isinstance(converted, Converted), converted
    report = verify_sources(textwrap.dedent(source), converted.source)
    assert report.exit_code == 0, report.render()


def test_a_subclass_call_with_training_false_is_not_made_a_graph_call() -> None:
    expected = (
        "m.py:14:31: error: `training=False` holds this call in one mode, but a graph model"
        " passes its own training flag to it instead (Keras 3: fit() calls it with"
        " training=True) (hint: keep the model a subclass, or freeze the layer with"
        " `layer.trainable = False` and drop the argument)"
    )
    for target in (Style.FUNCTIONAL, Style.FUNCTIONAL_SUBCLASS):
        assert expected in refusals(SUBCLASS, target, "Net")


def test_a_graph_stays_a_graph() -> None:
    result = convert_source(
        textwrap.dedent(GRAPH), Style.FUNCTIONAL_SUBCLASS, Options(model="model"), "m.py"
    )
    assert isinstance(result, Converted)
    assert "x = base(inputs, training=False)" in result.source


def test_a_saved_graph_records_training_false_that_a_subclass_does_not_hold(tmp_path) -> None:
    # Keras records ``training=False`` on an LSTM's call in the saved graph; the graph passes
    # the model's own flag over it, so the written subclass passes it on instead of holding it.
    import subprocess
    import sys

    from kconvert.from_saved import source_from_saved

    script = (
        "import keras\n"
        "text = keras.Input((5, 3))\n"
        "seq = keras.layers.LSTM(4, return_sequences=True, name='lstm')(text)\n"
        f"keras.Model(text, seq).save({str(tmp_path / 'lstm.keras')!r})\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    written = source_from_saved(tmp_path / "lstm.keras", Style.SUBCLASS)
    assert written.ok, written.diagnostics
    assert "training=False" not in written.source
