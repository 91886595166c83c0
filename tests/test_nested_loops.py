"""Nested loops of layers to a subclass and back (issue 9): minimal models of our own.

The layers of an inner loop become lists of lists, one per pass of the outer loop, made in
``__init__`` by the same nested loops (comprehensions, or appends when statements compute
the layers' arguments); call() nests the same loops over them.  Each expected text was
checked by hand; the way back must lift (IR lint) and build the same structure.
The fixture ``tests/fixtures/nested_layer_loops`` proves one such model in TensorFlow.
"""

from __future__ import annotations

import textwrap

from kconvert.ir.lint import lint
from kconvert.ir.structure import structure
from kconvert.parse import find_models
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.safety import check_conversion
from kconvert.safety.same_graph import model_keys
from kconvert.types import Options, Style

from converting import convert, refusal

F, C = Style.FUNCTIONAL, Style.SUBCLASS


def _structures(text: str) -> list:
    models = find_models(textwrap.dedent(text))
    for model in models:
        assert model.problem is None, model.problem.render()
        lint(model.graph)
    return [structure(model.graph) for model in models]


def _round_trip(text: str) -> str:
    """The subclass, after checking that it reads back to the model it came from."""
    out = convert(text, C)
    assert convert(out, C) == out, "not stable"
    assert _structures(convert(out, F)) == _structures(text)
    return out


UNITS = """\
import keras
from keras import layers

inputs = keras.Input(shape=(32,))
x = inputs
for units in [16, 32]:
    for block in range(2):
        x = layers.Dense(units, activation="relu")(x)
model = keras.Model(inputs=inputs, outputs=x)
"""


def test_inner_loops_that_call_runs_straight_through_fill_one_flat_list() -> None:
    # The outer loop's call()-side body is the inner loop alone: one list, filled by the same
    # nested loops, and one loop in call(); read back, the nested loops again.  (A pass of
    # several layers is a block, in one flat list as well: test_loop_blocks.py.)
    assert _round_trip(UNITS).endswith(
        "        self.dense_layers = []\n"
        "        for units in [16, 32]:\n"
        "            for block in range(2):\n"
        "                self.dense_layers.append(layers.Dense(units, activation=\"relu\"))\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        x = inputs\n"
        "        for dense in self.dense_layers:\n"
        "            x = dense(x)\n"
        "        return x\n"
        "\n"
        "\n"
        "model = MyModel()\n"
        "model(keras.Input(shape=(32,)))\n"
    )


def test_a_layer_a_pass_calls_only_under_an_if_is_made_only_in_that_pass() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    x = inputs
    for i in range(3):
        if i == 0:
            x = layers.Dense(8)(x)
        x = layers.Dense(8)(x)
    model = keras.Model(inputs, x)
    """
    subclass = convert(source, C)
    # Made in every pass, the first Dense would stay uncalled and unbuilt in two of them: the
    # pass is a block made per `i`, which makes it only under the test call() asks.
    assert "        if i == 0:\n            self.dense1 = layers.Dense(8)\n" in subclass
    assert "        self.my_model_blocks = [MyModelBlock(i) for i in range(3)]\n" in subclass
    # Back to Functional the block stays a class: compared with its body written out.
    back = convert(subclass, F)
    _structures(back)
    assert model_keys(SourceFile.parse(back)) == model_keys(SourceFile.parse(textwrap.dedent(source)))
