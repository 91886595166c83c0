"""A variable the model reads each time it runs in one style and once in the other, that the file
binds again (parse/call_time_reads.py).  The graph keeps the value it was built with; a subclass's
call() reads the name again on every call.  No comparison where the model is made shows it:
--verify said EQUIVALENT."""

from __future__ import annotations

import pytest

from converting import C, F, convert, refusal
from kconvert.types import Style

GRAPH = """\
import numpy as np
import tensorflow as tf
import keras
from keras import layers

SCALE = 0.5
inputs = keras.Input(shape=(4,))
x = {expression}
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
{later}
print(model.predict(np.ones((1, 4))))
"""

SUBCLASS = """\
import numpy as np
import keras
from keras import layers

SCALE = 0.5


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(4)
        self.out = layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs) * SCALE)


model = Net()
model.build((None, 4))
{later}
print(model.predict(np.ones((1, 4))))
"""


@pytest.mark.parametrize("later", ["SCALE = 2.0", "for SCALE in (1.0, 2.0):\n    print(model.predict(np.ones((1, 4))))"])
def test_a_graph_op_on_a_variable_bound_again_is_refused_for_a_subclass(later) -> None:
    source = GRAPH.format(expression="layers.Dense(4)(inputs) * SCALE", later=later)
    message = refusal(source, C)[0]
    assert message.startswith("m.py:8:5: error: the model reads `SCALE` once, when it is built, and the file binds")
    assert message.endswith("(hint: give each value of `SCALE` its own name, or keep this model functional)")
    # The fourth style builds its graph once too.
    assert "class " in convert(source, Style.FUNCTIONAL_SUBCLASS)


def test_a_subclass_reading_a_variable_bound_again_is_refused_for_the_graph_styles() -> None:
    source = SUBCLASS.format(later="SCALE = 2.0")
    for target in (F, Style.FUNCTIONAL_SUBCLASS):
        message = refusal(source, target)[0]
        assert message.startswith("m.py:15:16: error: call() reads `SCALE` each time the model runs, and the file")
        assert message.endswith("(hint: give each value of `SCALE` its own name, or keep this model a subclass)")


@pytest.mark.parametrize(
    ("expression", "later"),
    [
        # Bound once: the same value whenever it is read.
        ("layers.Dense(4)(inputs) * SCALE", ""),
        # A Lambda's function reads it on every call in both styles.
        ("layers.Lambda(lambda t: t * SCALE)(layers.Dense(4)(inputs))", "SCALE = 2.0"),
        # A layer's constructor reads it once in both styles.
        ("layers.Dense(4, use_bias=SCALE > 0)(inputs)", "SCALE = 2.0"),
        # A module imported again (a notebook's cells) is the same module.
        ("tf.reshape(layers.Dense(4)(inputs), (-1, 4))", "import tensorflow as tf"),
    ],
)
def test_what_reads_the_same_value_in_both_styles_converts(expression, later) -> None:
    source = GRAPH.format(expression=expression, later=later)
    assert "(keras.Model):\n" in convert(source, C)


def test_a_value_of_the_models_own_lines_is_kept_on_the_instance() -> None:
    source = GRAPH.format(expression="layers.Dense(4)(inputs) * scale", later="scale = 2.0").replace(
        "inputs = keras.Input(shape=(4,))\n", "inputs = keras.Input(shape=(4,))\nscale = 0.5\n"
    )
    out = convert(source, C)
    assert "        self.scale = scale\n" in out and "x * self.scale" in out


def test_a_builders_own_loop_variable_is_not_the_modules() -> None:
    # ML for Trading's make_model tests its own `i`; the notebook's later loops bind a module `i`.
    source = """\
import keras
from keras import layers


def make_model(sizes):
    model = keras.Sequential()
    for i, size in enumerate(sizes, 1):
        if i == 1:
            model.add(layers.Dense(size, input_dim=8))
        else:
            model.add(layers.Dense(size))
    model.add(layers.Dense(1))
    return model


for i in range(2):
    print(i)
for i in range(3):
    model = make_model([16, 8])
"""
    assert "class " in convert(source, C)


def test_bindings_all_before_the_model_leave_it_the_last_value_in_both_styles() -> None:
    # Manning's Transformer notebook makes `mask` three times before the model reads the last one.
    source = GRAPH.format(expression="layers.Dense(4)(inputs) * SCALE", later="").replace(
        "SCALE = 0.5\n", "SCALE = 0.25\nSCALE = 0.5\n"
    )
    assert "(keras.Model):\n" in convert(source, C)


def test_a_function_that_declares_the_variable_global_is_named_as_the_reason() -> None:
    later = "def louder(value):\n    global SCALE\n    SCALE = value"
    message = refusal(SUBCLASS.format(later=later), F)[0]
    assert message.startswith(
        "m.py:15:16: error: call() reads `SCALE` each time the model runs, and a function declares it"
        " `global` and may bind it again; a functional model would keep the value it had when the model"
        " was built"
    ), message
