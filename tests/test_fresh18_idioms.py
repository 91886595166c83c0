"""Idioms of real model code found by session 18's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh18"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import refusal

S, C = Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# UNet 3+ with deep supervision: a builder flag picks the outputs, a list bound in each branch.
OUTPUTS_LISTED_IN_EACH_BRANCH = """\
import keras
from keras import layers


def build(deep_sup=True):
    inputs = keras.Input(shape=(16, 16, 3))
    e1 = layers.Conv2D(4, 3, padding="same")(inputs)
    d1 = layers.Conv2D(4, 3, padding="same")(layers.MaxPool2D()(e1))
    if deep_sup:
        y1 = layers.Conv2D(1, 1)(d1)
        y2 = layers.Conv2D(1, 1)(e1)
        outputs = [y1, y2]
    else:
        y1 = layers.Conv2D(1, 1)(d1)
        outputs = [y1]
    return keras.Model(inputs, outputs)


model = build()
"""


def test_outputs_listed_in_each_branch_are_refused_at_the_if() -> None:
    # Before: "`e1` is computed among the model's statements but the model does not use it": after
    # the `if`, `outputs` was read as the else branch's list, of a tensor only that branch makes.
    expected = [
        "m.py:9:5: error: `outputs` is a list of tensors this block binds (each branch of an `if`,"
        " or each pass of a loop, its own); kconvert carries through a block only tensors, so after"
        " it the list is not one graph (hint: bind the same tensors in every branch and make the"
        " list after the block, or keep this model Functional)"
    ]
    for target in (S, C, FS):
        assert refusal(OUTPUTS_LISTED_IN_EACH_BRANCH, target) == expected
