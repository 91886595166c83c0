"""Loops that call layer objects made before the model, by their own variable (fuzz seed 36).

``for layer in stack: x = layer(x)`` draws each pass's layer from ``stack``.  The variable's name
says nothing of the layer outside that loop: another loop may draw from another list under the
same name, and after the loop it is the list's last layer.  The whole-model proof of the
freezing case is the ``frozen_layer_lists`` fixture.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS

HEAD = """\
import keras
from keras import layers

stack = [layers.Dense(16, activation="relu"), layers.Dense(16)]
head = [layers.Dense(4)]

inputs = keras.Input(shape=(8,))
x = inputs
"""


def test_a_call_after_the_loop_of_its_variable_is_of_the_last_layer_drawn() -> None:
    # The subclass stored `self.layer = layer`, a name __init__ never binds: an internal error.
    source = HEAD + "for layer in stack:\n    x = layer(x)\nx = layer(x)\nmodel = keras.Model(inputs, x)\n"
    out = convert(source, C)
    assert (
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.stack = stack\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        x = inputs\n"
        "        for layer in self.stack:\n"
        "            x = layer(x)\n"
        "        return layer(x)\n"
    ) in out
    assert convert(out, C) == out


def test_two_loops_with_one_variable_over_two_lists_call_two_lists() -> None:
    # Both loops' `layer` was one layer called twice: refused to Sequential as a shared layer.
    source = HEAD + (
        "for layer in stack:\n    x = layer(x)\n"
        "for layer in head:\n    x = layer(x)\n"
        "model = keras.Model(inputs=inputs, outputs=x)\n"
    )
    out = convert(source, S)
    assert (
        "model = keras.Sequential()\n"
        "model.add(keras.Input(shape=(8,)))\n"
        "for layer in stack:\n    model.add(layer)\n"
        "for layer in head:\n    model.add(layer)\n"
    ) in out
    assert convert(out, F) == source


def test_two_loops_over_one_list_still_call_its_layers_twice() -> None:
    source = HEAD + (
        "for layer in stack:\n    x = layer(x)\n"
        "for layer in stack:\n    x = layer(x)\n"
        "model = keras.Model(inputs=inputs, outputs=x)\n"
    )
    [line] = refusal(source, S)
    assert line.startswith("m.py:12:9: error: the layer layer is called a second time here")


def test_a_loop_that_calls_and_freezes_drawn_layers_freezes_them_in_init() -> None:
    # The freezing line was dropped from the subclass: exit 0 with every weight trainable.
    source = HEAD + (
        "for layer in stack:\n    x = layer(x)\n    layer.trainable = False\n"
        "model = keras.Model(inputs=inputs, outputs=x)\n"
    )
    out = convert(source, C)
    assert (
        "        self.stack = stack\n"
        "        for layer in stack:\n"
        "            layer.trainable = False\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        x = inputs\n"
        "        for layer in self.stack:\n"
        "            x = layer(x)\n"
        "        return x\n"
    ) in out
    assert convert(out, C) == out


def test_a_freezing_loop_among_the_model_lines_stays_in_init() -> None:
    # __init__ walking `stack` made call()'s loop over `self.stack` unreadable: an internal error.
    source = HEAD + (
        "for layer in stack:\n    x = layer(x)\n"
        "for frozen in stack:\n    frozen.trainable = False\n"
        "model = keras.Model(inputs=inputs, outputs=x)\n"
    )
    out = convert(source, C)
    assert "        self.stack = stack\n        for frozen in stack:\n            frozen.trainable = False\n" in out
    assert "for frozen in stack:\n    frozen.trainable = False\nx = inputs\nfor layer in stack:\n" in convert(out, F)


def test_a_statement_in_a_drawing_loop_that_call_reads_is_refused() -> None:
    source = HEAD + (
        "for layer in stack:\n    scale = 2.0\n    x = layer(x) * scale\n"
        "model = keras.Model(inputs=inputs, outputs=x)\n"
    )
    [line] = refusal(source, C)
    assert "`call()` would read `scale`, which the loop's statements compute in `__init__`" in line
