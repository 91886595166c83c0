"""Idioms of real model code found by session 23's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh23"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A flood-forecasting repository's subclasses annotate what their constructor stores
# (`self.model: Model = self._create_model()`): the annotation says nothing of the layer.
ANNOTATED = """\
import keras


class Net(keras.Model):
    def __init__(self, units=8, **kwargs):
        super().__init__(**kwargs)
        rate: float = 0.2
        self.hidden: keras.layers.Dense = keras.layers.Dense(units, activation="relu")
        self.drop: keras.layers.Layer = keras.layers.Dropout(rate)
        self.out = keras.layers.Dense(1)

    def call(self, inputs):
        x = self.hidden(inputs)
        x = self.drop(x)
        return self.out(x)


model = Net()
model.build((None, 4))
"""


def test_annotated_attributes_and_locals_of_init_are_read_as_their_plain_twins() -> None:
    functional = convert(ANNOTATED, F)
    assert functional.split("\n\n\n")[1] == (
        "def Net(units=8, **kwargs):\n"
        "    inputs = keras.Input(shape=(4,))\n"
        "    rate: float = 0.2\n"
        '    x = keras.layers.Dense(units, activation="relu")(inputs)\n'
        "    x = keras.layers.Dropout(rate)(x)\n"
        "    outputs = keras.layers.Dense(1)(x)\n"
        "    return keras.Model(inputs=inputs, outputs=outputs, **kwargs)"
    )
    assert convert(functional, F) == functional
    sequential = convert(ANNOTATED, S)
    assert "    rate: float = 0.2\n    return keras.Sequential(\n" in sequential
    assert "            keras.layers.Dropout(rate),\n" in sequential


# The same repository's VAE keeps a train_step that reads what __init__ stored under an
# annotation; a class that builds a graph keeps the method, so it must keep the state too.
STATE = """\
import keras


class Net(keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(units)
        self.time: list = []

    def call(self, inputs):
        return self.dense(inputs)

    def run_time(self):
        return sum(self.time)


model = Net()
model.build((None, 3))
"""


def test_annotated_state_a_kept_method_reads_is_kept_by_a_graph_class() -> None:
    kept = convert(STATE, FS)
    assert kept.split("\n\n\n")[1] == (
        '@keras.saving.register_keras_serializable(package="m")\n'
        "class Net(keras.Model):\n"
        "    def __init__(self, units=4, **kwargs):\n"
        "        inputs = keras.Input(shape=(3,))\n"
        "        outputs = keras.layers.Dense(units)(inputs)\n"
        "        super().__init__(inputs=inputs, outputs=outputs, **kwargs)\n"
        "        self.units = units\n"
        "        self.time: list = []\n"
        "\n"
        "    def run_time(self):\n"
        "        return sum(self.time)\n"
        "\n"
        "    def get_config(self):\n"
        '        return {**super().get_config(), "units": self.units}'
    )
    assert convert(kept, FS) == kept
