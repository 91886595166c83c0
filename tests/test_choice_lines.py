"""A layer applied under a conditional expression (issues 9 and 10, parse/choice_lines.py).

``x = Dropout(rate)(x) if i < n else x`` is read as its ``if`` statement twin;
the fixture ``dropout_between_loop_passes`` checks every direction.  These cases
check what is not read so, and how the test is written when the layer sits in
the ``else``.
"""

from __future__ import annotations

import pytest

from kconvert.types import Style

from converting import convert, refusal

S, C, FS = Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

MODEL = """\
import keras
from keras import layers


def build(mode=None, rate=0.5):
    inputs = keras.Input(shape=(4,))
    x = layers.Dense(8)(inputs)
    {line}
    outputs = layers.Dense(2)(x)
    return keras.Model(inputs=inputs, outputs=outputs)
"""


@pytest.mark.parametrize(
    ("test", "written"),
    [
        ("mode is None", "if mode is not None:"),
        ("mode not in ('a', 'b')", "if mode in ('a', 'b'):"),
        ("rate <= 0", "if rate > 0:"),
        ("mode == 'a' or rate == 0", "if not (mode == 'a' or rate == 0):"),
        ("0 < rate < 1", "if not (0 < rate < 1):"),
        ("not mode", "if mode:"),
        ("not (mode or rate)", "if mode or rate:"),
    ],
)
def test_a_layer_in_the_else_runs_when_the_test_fails(test: str, written: str) -> None:
    text = MODEL.format(line=f"x = x if {test} else layers.Dropout(rate)(x)")
    assert f"    {written}\n        model.add(layers.Dropout(rate))\n" in convert(text, S)


def test_a_test_that_calls_something_is_not_read_as_an_if() -> None:
    # ``random.random()`` would be drawn again in __init__, which makes the layer under the test.
    line = "x = layers.Dropout(rate)(x) if random.random() > 0.5 else x"
    out = convert("import random\n" + MODEL.format(line=line), C)
    assert "        x = self.dropout(x, training=training) if random.random() > 0.5 else x\n" in out
    assert "        self.dropout = layers.Dropout(rate)\n" in out


def test_a_choice_that_keeps_another_name_is_left_an_expression() -> None:
    # ``y = x if mode else Dropout(rate)(x)`` would be an ``if`` with ``y = x`` in a branch.
    line = "y = x if mode else layers.Dropout(rate)(x)"
    out = convert(MODEL.format(line=line).replace("Dense(2)(x)", "Dense(2)(y)"), FS)
    assert f"        {line}\n" in out
    # A Sequential cannot list it; the refusal says which spelling every style reads.
    assert refusal(MODEL.format(line=line).replace("Dense(2)(x)", "Dense(2)(y)"), S) == [
        "m.py:8:9: error: `y` is chosen by a conditional expression between tensors; a Sequential"
        " model adds a layer under an `if` statement, to one chain (hint: reassign one name in an `if`"
        " statement (`if rate: x = layers.Dropout(rate)(x)`), or in the expression itself"
        " (`x = layers.Dropout(rate)(x) if rate else x`), which every style reads)"
    ]


def test_a_test_on_tensor_values_is_not_read_as_an_if() -> None:
    # A Keras tensor has no truth while the graph is built: the line stays what it was.
    line = "x = layers.Dropout(rate)(x) if keras.ops.mean(x) > 0 else x"
    text = MODEL.format(line=line)
    assert "computed from 2 tensors" in refusal(text, S)[0]
    assert f"        {line}\n" in convert(text, FS)


def test_a_choice_with_no_layer_call_is_left_alone() -> None:
    text = MODEL.format(line="x = x if mode else inputs")
    assert "computed from 2 tensors" in refusal(text, S)[0]


def test_a_chain_in_the_branch_is_made_and_called_under_one_if() -> None:
    # Read as an expression, the subclass repeated the test for each layer (``... else None``).
    line = "x = layers.Dense(16)(layers.Dense(4)(x)) if mode else x"
    out = convert(MODEL.format(line=line), C)
    assert (
        "        if mode:\n"
        "            self.dense2 = layers.Dense(4)\n"
        "            self.dense3 = layers.Dense(16)\n"
    ) in out
    assert "        if self.mode:\n            x = self.dense2(x)\n            x = self.dense3(x)\n" in out
