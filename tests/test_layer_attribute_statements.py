"""Statements on a layer the model makes (``base.trainable = False``), written into a subclass.

A layer that only such statements read by name is made on its attribute, each statement reading
``self.<attr>`` (fixtures ``subclass_layer_attribute_set``, ``helper_sets_layer_attribute``), as
the subclass's reader takes it back.  Any other statement, or code after the model that reads the
name, keeps the layer's name as the source had it.
"""

from __future__ import annotations

from converting import C, convert

FROZEN_THEN_UNFROZEN = """\
import keras
from keras import layers

inputs = keras.Input(shape=(4,))
base = layers.Dense(8, activation="relu")
base.trainable = False
x = base(inputs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs=inputs, outputs=outputs)

# Fine-tuning: the base learns too.
base.trainable = True
"""

READ_FOR_A_VALUE = """\
import keras
from keras import layers


def build_model():
    inputs = keras.Input(shape=(4,))
    dense = layers.Dense(8)
    x = dense(inputs)
    units = dense.units * 2
    return keras.Model(inputs=inputs, outputs=layers.Dense(units)(x))


model = build_model()
"""


def test_a_layer_later_code_reads_keeps_its_name() -> None:
    # keras.io's BERT fine-tuning: written ``self.base = ...``, the last line read no ``base``.
    out = convert(FROZEN_THEN_UNFROZEN, C)
    assert '\nbase = layers.Dense(8, activation="relu")\n' in out
    assert "        self.base = base\n        base.trainable = False\n" in out
    assert out.endswith("base.trainable = True\n")


def test_a_statement_reading_the_layer_otherwise_keeps_its_name() -> None:
    # CCT's ``cct_tokenizer.positional_embedding(...)``: ``units = self.dense.units * 2`` did not read back.
    out = convert(READ_FOR_A_VALUE, C)
    assert "        dense = layers.Dense(8)\n        self.dense = dense\n        units = dense.units * 2\n" in out


def test_a_layer_only_attribute_settings_read_is_made_on_its_attribute() -> None:
    out = convert(READ_FOR_A_VALUE.replace("units = dense.units * 2", "dense.trainable = False").replace("Dense(units)", "Dense(1)"), C)
    assert "        self.dense = layers.Dense(8)\n        self.dense.trainable = False\n" in out
