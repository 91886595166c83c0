"""A layer called in one branch of a conditional expression is made, in a subclass's __init__,
under the same test (emit/branch_calls.py ``branch_guards``), and read back from there.

Made unconditionally, the layer of the branch not taken is never built and Keras warns that the
model has unbuilt state; a test __init__ might not see as call() does keeps today's form.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert

F, C = Style.FUNCTIONAL, Style.SUBCLASS

BRANCHES = """\
import keras
from keras import layers

residual = False


def build(width, project=True):
    inputs = keras.Input(shape=(8,))
    x = layers.Dense(width)(inputs)
    h = layers.Dense(16)(layers.Dense(4)(x)) if project and width > 2 else x
    y = h if not residual else layers.Dense(3)(h)
    return keras.Model(inputs=inputs, outputs=y)


model = build(4)
"""

# (``x = ...(x) if test else x``, the name kept in one branch, is read as its ``if`` statement
# twin instead: tests/test_choice_lines.py.)
# Checked by hand: the calls feeding the branch's call share its test; the ``else`` branch's
# layer is made under the test negated; a parameter is itself in __init__, ``self.`` in call();
# layers are numbered in the order the graph calls them, the inner call's first.
BRANCHES_AS_A_SUBCLASS = """\
import keras
from keras import layers

residual = False


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, width, project=True, **kwargs):
        super().__init__(**kwargs)
        self.width = width
        self.project = project
        self.dense1 = layers.Dense(width)
        self.dense2 = layers.Dense(4) if project and width > 2 else None
        self.dense3 = layers.Dense(16) if project and width > 2 else None
        self.dense4 = layers.Dense(3) if residual else None

    def call(self, inputs, training=None):
        x = self.dense1(inputs)
        h = self.dense3(self.dense2(x)) if self.project and self.width > 2 else x
        y = h if not residual else self.dense4(h)
        return y

    def get_config(self):
        return {**super().get_config(), "width": self.width, "project": self.project}


def build(width, project=True):
    model = MyModel(width=width, project=project)
    model(keras.Input(shape=(8,)))
    return model


model = build(4)
"""


def test_the_layer_of_a_branch_is_made_under_its_test() -> None:
    assert convert(BRANCHES, C) == BRANCHES_AS_A_SUBCLASS


def test_the_subclass_reads_back_as_the_same_graph_and_is_stable() -> None:
    back = convert(BRANCHES_AS_A_SUBCLASS, F)
    assert "    h = layers.Dense(16)(layers.Dense(4)(x)) if project and width > 2 else x\n" in back
    assert "    y = h if not residual else layers.Dense(3)(h)\n" in back
    assert convert(back, C) == BRANCHES_AS_A_SUBCLASS
    assert convert(BRANCHES_AS_A_SUBCLASS, C) == BRANCHES_AS_A_SUBCLASS


UNSTABLE_TESTS = """\
import random

import keras
from keras import layers

inputs = keras.Input(shape=(8,))
units = 3
x = layers.Dense(4)(inputs) if random.random() > 0.5 else inputs
y = layers.Dense(2)(x) if units > 2 else x
model = keras.Model(inputs=inputs, outputs=y)
"""


def test_a_test_init_might_see_otherwise_leaves_the_layer_made_always() -> None:
    # ``random.random()`` would be drawn twice; ``units`` is the model's own local, which call()
    # reads as an attribute: neither guard could be trusted to agree with call()'s test.
    out = convert(UNSTABLE_TESTS, C)
    assert "        self.dense1 = layers.Dense(4)\n" in out
    assert "        self.dense2 = layers.Dense(2)\n" in out
    assert " else None" not in out


NESTED_BRANCH_CALLS = """\
import keras
from keras import layers

project = True
inputs = keras.Input(shape=(8,))
x = layers.Dense(16)(layers.Dense(4)(inputs)) if project else inputs
model = keras.Model(inputs=inputs, outputs=x)
"""


def test_a_call_on_a_call_in_a_branch_is_written_back_inside_it() -> None:
    # It crashed: the inner call's text went where only a name may stand.
    out = convert(NESTED_BRANCH_CALLS, Style.FUNCTIONAL_SUBCLASS)
    assert "        x = layers.Dense(16)(layers.Dense(4)(inputs)) if project else inputs\n" in out
