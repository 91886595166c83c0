"""A file whose model kconvert cannot see because of a name it cannot tell is Keras'
(parse/unseen_callers.py): refused at the line that makes the model, with what would let kconvert
read it, not as a file with no model; a file that really has none still says so."""

from __future__ import annotations

import pytest

from converting import C, F, convert, refusal

NO_MODEL = (
    "m.py:1:1: error: no Keras model found in this file (hint: kconvert looks for `x = keras.Sequential(...)`,"
    " `x = keras.Model(inputs, outputs)` and `return` of either, at module level or in functions)"
)

NOTEBOOK_CELL = """\
def classifier(num_classes):
    inputs = Input(shape=(7, 7, 64))
    x = GlobalAveragePooling2D()(inputs)
    outputs = Dense(num_classes, activation="softmax")(x)
    model = Model(inputs, outputs)
    return model
"""

NOTEBOOK_CLASS = """\
class Regression(Model):
    def __init__(self):
        super().__init__()
        self.dense = Dense(1)

    def call(self, x):
        return self.dense(x)
"""

FACTORY = """\
from keras.layers import Conv2D, Input

from .model_utils import {callee}


def segmenter(n_classes):
    inputs = Input(shape=(64, 64, 3))
    x = Conv2D(16, 3, padding="same")(inputs)
    out = Conv2D(n_classes, 1)(x)
    {bound} = {callee}(inputs, out)
    {use}
    return {bound}
"""


@pytest.mark.parametrize("target", [F, C])
def test_a_model_class_never_imported_is_named(target) -> None:
    assert refusal(NOTEBOOK_CELL, target) == [
        "m.py:5:13: error: `Model` is read here, but the file never imports it, so kconvert cannot tell it is"
        " Keras' `Model` (hint: import it: `from keras import Model`, or `from tensorflow.keras.models import Model`)"
    ]


def test_a_base_class_never_imported_is_named() -> None:
    assert refusal(NOTEBOOK_CLASS, F) == [
        "m.py:1:18: error: `Model` is read here, but the file never imports it, so kconvert cannot tell it is"
        " Keras' `Model` (hint: import it: `from keras import Model`, or `from tensorflow.keras.models import Model`)"
    ]


def test_a_keras_star_import_binds_it() -> None:
    source = "from keras.layers import *\nfrom keras.models import *\n\n\n" + NOTEBOOK_CLASS
    assert "x = Input(shape=(4,))" in convert(source + "\n\nmodel = Regression()\nmodel.build((None, 4))\n", F)


@pytest.mark.parametrize(
    ("callee", "bound", "use"),
    [
        ("get_segmentation_model", "net", "pass"),
        ("wrap", "model", "pass"),
        ("wrap", "net", "net.summary()"),
    ],
)
def test_a_model_made_by_an_imported_function_is_named(callee, bound, use) -> None:
    assert refusal(FACTORY.format(callee=callee, bound=bound, use=use), C) == [
        f"m.py:10:{len(bound) + 8}: error: `{callee}(...)` is handed this function's tensors, and `{callee}` comes from"
        " `.model_utils`, which kconvert does not read: if it makes the model, kconvert cannot see it (hint: make the"
        f" model here with `keras.Model(inputs, outputs)`, or convert the file that defines `{callee}`)"
    ]


def test_an_imported_helper_that_returns_a_tensor_is_no_model() -> None:
    assert refusal(FACTORY.format(callee="conv_block", bound="x", use="pass"), C) == [NO_MODEL]
