"""A layer called in a comprehension (``[Conv1D(8, k)(x) for k in sizes]``, ``[self.pool(c) for c in
convs]``) runs once per element.  The lifter read it as one call, of the comprehension's last
binding of the name, and the safety check refused its own output as an internal error
(ShawnyXiao's RCNNVariant); it is refused at the comprehension, saying so."""

from __future__ import annotations

from kconvert.types import Style

from converting import C, F, convert, refusal

FS = Style.FUNCTIONAL_SUBCLASS

FUNCTIONAL = """\
import keras
from keras import layers

inputs = keras.Input(shape=(16, 8))
convs = [layers.Conv1D(4, k)(inputs) for k in (1, 2, 3)]
x = layers.Concatenate()(convs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""

SUBCLASS = """\
import keras
from keras import layers


class Pooled(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv1D(4, 3)
        self.pool = layers.GlobalMaxPooling1D()
        self.concatenate = layers.Concatenate()

    def call(self, inputs):
        convs = [self.conv(inputs), self.conv(inputs)]
        pooled = [self.pool(c) for c in convs]
        return self.concatenate(pooled)


model = Pooled()
model(keras.Input(shape=(16, 8)))
"""


def test_a_layer_made_and_called_in_a_comprehension_is_refused_there() -> None:
    for target in (C, FS):
        assert refusal(FUNCTIONAL, target) == [
            "m.py:5:9: error: `layers.Conv1D(4, k)(inputs)` calls a layer in a comprehension, once per"
            " element; kconvert reads a model's layer calls one statement each (hint: write it as a loop"
            " whose passes each carry a tensor, or keep this model in its current style)"
        ]


def test_a_subclass_calling_its_layer_in_a_comprehension_is_refused_there() -> None:
    (line,) = refusal(SUBCLASS, F)
    assert line.startswith("m.py:14:18: error: `self.pool(c)` calls a layer in a comprehension"), line


def test_a_comprehension_of_values_still_converts() -> None:
    # No layer call inside: the comprehension is the model's code, as it was.
    text = FUNCTIONAL.replace(
        "convs = [layers.Conv1D(4, k)(inputs) for k in (1, 2, 3)]\nx = layers.Concatenate()(convs)",
        "x = layers.Conv1D(4, 3)(inputs)\nx = layers.Concatenate()([x[:, :, i : i + 1] for i in range(2)])",
    )
    assert "[x[:, :, i : i + 1] for i in range(2)]" in convert(text, FS)
