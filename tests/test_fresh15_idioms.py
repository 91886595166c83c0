"""Idioms of real model code found by session 15's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh15"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A Keras 2 MobileNet builder: a layer's name breaks its line after `%`, which only the brackets
# of the call around it allow.
NAME_BROKEN_INSIDE_A_CALL = """\
import keras
from keras import layers


def block(x, filters, block_id):
    x = layers.Dense(filters, name="dense%d" %
                     block_id)(x)
    return layers.BatchNormalization(name="bn%d_" %
                                     block_id + "norm")(x)


def build():
    inputs = keras.Input(shape=(8,))
    x = block(inputs, 16, 1)
    x = block(x, 8, 2)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)
"""


def test_an_argument_broken_across_lines_keeps_its_brackets() -> None:
    # Before: "internal error ... ParserSyntaxError" in every direction (the argument's text,
    # read again on its own, was no expression).
    assert 'layers.Dense(16, name=("dense%d" % 1)),' in convert(NAME_BROKEN_INSIDE_A_CALL, S)
    block = convert(NAME_BROKEN_INSIDE_A_CALL, C)
    assert 'self.bn = layers.BatchNormalization(name=("bn%d_" % block_id + "norm"))' in block
    assert "x = block(inputs, 16, 1)" in convert(NAME_BROKEN_INSIDE_A_CALL, FS)


# A tutorial's plain class named `Model` holds its builders as static methods.
PLAIN_CLASS_NAMED_MODEL = """\
from keras.models import Sequential
from keras.layers import Dense


class Model:
    @staticmethod
    def get_model(kind):
        model = Sequential()
        if kind == "small":
            model.add(Dense(8, activation="relu", input_shape=(4,)))
        model.add(Dense(2))
        return model
"""


def test_keras_model_is_imported_under_another_name_when_the_file_has_a_class_model() -> None:
    # Before: `from keras.models import Model` beside the file's own `class Model`, which the
    # safety check caught (which of the two does `Model` mean?).
    out = convert(PLAIN_CLASS_NAMED_MODEL, C)
    assert "from keras.models import Model as KerasModel" in out
    assert "(KerasModel):" in out
    assert "class Model:" in out


# A lab notebook: `import tensorflow as tf` at the top, a Sequential model, and only in a later
# cell `from tensorflow.keras import Model` for the subclassing part.
MODEL_IMPORTED_IN_A_LATER_CELL = """\
import tensorflow as tf
from tensorflow.keras import Sequential
from tensorflow.keras.layers import Dense

model = Sequential()
model.add(Dense(3, activation="sigmoid"))
y = model(tf.ones((1, 2)))

from tensorflow.keras import Model


class Identity(Model):
    def __init__(self):
        super().__init__()
        self.dense = Dense(3)

    def call(self, inputs):
        return self.dense(inputs)
"""


def test_a_class_spells_keras_with_what_is_imported_above_it() -> None:
    # Before: refused, "`Model` is bound only here, after `model`" (hint: move the import up),
    # though `tf.keras.Model` is bound above.
    out = convert(MODEL_IMPORTED_IN_A_LATER_CELL, C)
    assert "(tf.keras.Model):" in out
    assert "@tf.keras.utils.register_keras_serializable(" in out
    assert "class Identity(Model):" in out


# An attention example: the Sequential's list takes one of two runs of layers by a flag.
STARRED_CHOICE_OF_LAYERS = """\
import keras
from keras import layers


def build(use_attention=True):
    return keras.Sequential([
        keras.Input(shape=(10,)),
        layers.Embedding(100, 8),
        *([layers.LSTM(8, return_sequences=True), layers.GlobalAveragePooling1D()] if use_attention
          else [layers.LSTM(8)]),
        layers.Dense(1),
    ])
"""


def test_a_starred_choice_of_layer_lists_is_an_if_block() -> None:
    # Before: "is not a plain list comprehension of layers" in every direction but Sequential.
    out = convert(STARRED_CHOICE_OF_LAYERS, F)
    assert (
        "    if use_attention:\n"
        "        x = layers.LSTM(8, return_sequences=True)(x)\n"
        "        x = layers.GlobalAveragePooling1D()(x)\n"
        "    else:\n"
        "        x = layers.LSTM(8)(x)\n"
    ) in out
    sub = convert(STARRED_CHOICE_OF_LAYERS, C)
    assert "        if self.use_attention:\n            x = self.lstm1(x)\n" in sub
    assert "        if use_attention:\n            self.lstm1 = layers.LSTM(8, return_sequences=True)\n" in sub


def test_a_starred_choice_that_is_not_two_lists_names_the_side() -> None:
    source = STARRED_CHOICE_OF_LAYERS.replace("else [layers.LSTM(8)]", "else extra")
    assert refusal(source, F) == [
        "m.py:10:16: error: `extra` is not a list literal of layers (hint: write both sides of the"
        " `if ... else ...` as lists of layers, or use model.add(...) in an if block)"
    ]


def test_the_cases_lift_to_graphs_that_lint() -> None:
    for source in (NAME_BROKEN_INSIDE_A_CALL, PLAIN_CLASS_NAMED_MODEL, STARRED_CHOICE_OF_LAYERS):
        models = find_models(source)
        assert models
        for model in models:
            assert model.problem is None, model.problem.render()
            lint(model.graph)
