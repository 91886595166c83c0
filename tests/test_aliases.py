"""A tensor the source names twice (``residual = x``) keeps both names in every style (issue 10).

The IR has one value for ``x`` and ``residual``; an emitter that must keep it while ``x``
takes the next layer's output writes the source's copy, not a numbered ``x_1``.  In a
helper's body the comments above the copy stay above it (tests/test_comments.py).
"""

from __future__ import annotations

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert

F, C, G = Style.FUNCTIONAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

FUNCTIONAL = """\
import keras
from keras import layers

inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
residual = x
x = layers.Dense(8, activation="relu")(x)
x = layers.Dense(8)(x)
x = layers.add([x, residual])
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""

CALL = """\
    def call(self, inputs, training=None):
        x = self.dense1(inputs)
        residual = x
        x = self.dense2(x)
        x = self.dense3(x)
        x = self.add([x, residual])
        return self.dense4(x)
"""

GRAPH = """\
        x = layers.Dense(8)(inputs)
        residual = x
        x = layers.Dense(8, activation="relu")(x)
"""


def test_the_alias_is_kept_where_the_source_wrote_it_in_call() -> None:
    (model,) = find_models(FUNCTIONAL)
    lint(model.graph)
    subclass = convert(FUNCTIONAL, C)
    assert CALL in subclass
    assert convert(subclass, C) == subclass
    assert convert(subclass, F).count("residual = x\n") == 1


def test_the_alias_is_kept_in_a_graph_class_and_back() -> None:
    graph = convert(FUNCTIONAL, G)
    assert GRAPH in graph
    assert "x_1" not in graph and "x_1" not in convert(graph, F)



LOOP = """\
import keras
from keras import layers

inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
res = x
for _ in range(2):
    x = layers.Dense(8)(x)
x = layers.add([x, res])
for _ in range(2):
    skip = x
    x = layers.Dense(8)(x)
    x = layers.add([x, skip])
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""


def test_the_copy_of_a_tensor_entering_a_loop_is_made_before_the_loop() -> None:
    # Made at the top of the loop's body, ``res = x`` would copy each pass's tensor instead.
    subclass = convert(LOOP, C)
    assert (
        "        res = x\n"
        "        for dense in self.dense_layers:\n"
        "            x = dense(x)\n"
        "        x = self.add([x, res])\n"
    ) in subclass
    # The second loop's pass is a block: its copy of the pass's tensor is the block's, by name.
    assert "        skip = x\n        x = self.dense(x)\n        return self.add([x, skip])\n" in subclass
    graph = convert(LOOP, G)
    assert "        res = x\n        for _ in range(2):\n" in graph
    assert convert(subclass, C) == subclass and convert(graph, G) == graph
