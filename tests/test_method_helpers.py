"""A plain class's own method that builds layers, called by the method that makes a model
(parse/method_helpers.py): written out in a subclass, a function of the module for a class that
builds a graph (parse/method_functions.py), what it reads of the object a parameter of the model's
class either way; what would make the written-out body differ from the call is refused, naming it.
The whole conversion, proven in TensorFlow, is ``tests/fixtures/method_helpers_read_self``."""

from __future__ import annotations

from converting import C, convert, refusal
from kconvert.types import Style

BUILDER = """\
import keras
from keras import layers


class Builder:
    def __init__(self, width=8):
        self.width = width
        self.model = self.build()

    def block(self, x):
        x = layers.Dense(self.width)(x)
        return layers.ReLU()(x)

    def build(self):
        inputs = keras.Input(shape=(4,))
        x = self.block(inputs)
        outputs = layers.Dense(1)(self.block(x))
        return keras.Model(inputs, outputs)
"""


def test_each_call_is_written_out_and_the_attributes_it_reads_are_given_by_the_builder() -> None:
    subclass = convert(BUILDER, C)
    assert (
        "    def __init__(self, width, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.width = width\n"
        "        self.block1_dense = layers.Dense(width)\n"
        "        self.block1_relu = layers.ReLU()\n"
        "        self.block2_dense = layers.Dense(width)\n"
        "        self.block2_relu = layers.ReLU()\n"
    ) in subclass
    assert "        model = Build(width=self.width)\n        model(keras.Input(shape=(4,)))\n" in subclass
    # The method stays: the rest of the file (or another module) may call it.
    assert "    def block(self, x):\n        x = layers.Dense(self.width)(x)\n" in subclass
    assert convert(subclass, C) == subclass
    # Functional code keeps the calls, in the method, as written.
    assert convert(BUILDER, Style.FUNCTIONAL) == BUILDER


def test_a_method_that_calls_another_method_that_builds_layers_is_written_out_through_both() -> None:
    nested = BUILDER.replace(
        "    def block(self, x):\n",
        "    def block(self, x):\n        return self.unit(x)\n\n    def unit(self, x):\n",
    )
    subclass = convert(nested, C)
    assert "        self.dense1 = layers.Dense(width)\n" in subclass
    assert "        model = Build(width=self.width)\n" in subclass


def test_a_method_whose_call_would_differ_written_out_is_refused() -> None:
    sets = BUILDER.replace("        return layers.ReLU()(x)\n", "        self.last = x\n        return layers.ReLU()(x)\n")
    assert refusal(sets, C) == [
        "m.py:12:9: error: `block` cannot be written out in a subclass: `block` sets `self.last`; written"
        " out in a class of its own, it would set it on that class, not on the object whose method makes"
        " the model (hint: return the value from `block` and set it in the caller, or keep this model in"
        " its current style)"
    ]
    overridden = BUILDER + "\n\nclass Wider(Builder):\n    def block(self, x):\n        return layers.Dense(16)(x)\n"
    assert refusal(overridden, C) == [
        "m.py:21:1: error: `block` cannot be written out in a subclass: `Wider` overrides `block`, so"
        " `self.block(...)` may run either method (hint: keep this model in its current style)"
    ]
    rebound = BUILDER.replace("        self.model = self.build()\n", "        self.block = print\n        self.model = self.build()\n")
    assert refusal(rebound, C) == [
        "m.py:8:9: error: `block` cannot be written out in a subclass: `self.block = ...` rebinds the"
        " method `block` the model calls (hint: keep this model in its current style)"
    ]


def test_only_a_plain_method_of_a_class_of_no_bases_is_a_helper() -> None:
    # A static method is not run on the object; a base class (unseen here) may define the method
    # the object really has.
    static = BUILDER.replace("    def block(self, x):\n", "    @staticmethod\n    def block(x):\n")
    static = static.replace("Dense(self.width)", "Dense(8)")
    based = "class Base:\n    pass\n\n\n" + BUILDER.replace("class Builder:", "class Builder(Base):")
    for text in (static, based):
        assert "calls `self.block`, a method of the object whose method makes it" in refusal(text, C)[0]


def test_a_class_that_builds_a_graph_calls_each_method_as_a_function_of_the_module() -> None:
    graph = convert(BUILDER, Style.FUNCTIONAL_SUBCLASS)
    assert graph.startswith(
        "import keras\nfrom keras import layers\n\n\n"
        "def block(x, width):\n"
        "    x = layers.Dense(width)(x)\n"
        "    return layers.ReLU()(x)\n\n\n"
    )
    # The call inside ``Dense(1)(...)`` is a node of its own, as a module helper's is.
    assert "        x = block(inputs, width=width)\n        x = block(x, width=width)\n" in graph
    assert "        return Build(width=self.width)\n" in graph
    assert convert(graph, Style.FUNCTIONAL_SUBCLASS) == graph


def test_a_function_takes_what_the_methods_it_calls_read_and_a_positional_argument_after_them_moves_to_its_keyword() -> None:
    nested = BUILDER.replace(
        "    def block(self, x):\n        x = layers.Dense(self.width)(x)\n",
        "    def block(self, x, scale=1):\n        x = self._unit(x, scale)\n",
    ).replace("x = self.block(inputs)", "x = self.block(inputs, 2)")
    nested = nested.replace(
        "    def build(self):", "    def _unit(self, x, scale):\n        return layers.Dense(self.width * scale)(x)\n\n    def build(self):"
    )
    graph = convert(nested, Style.FUNCTIONAL_SUBCLASS)
    assert "def block(x, width, scale=1):\n    x = unit(x, scale, width=width)\n" in graph
    assert "def unit(x, scale, width):\n    return layers.Dense(width * scale)(x)\n" in graph
    assert "        x = block(inputs, scale=2, width=width)\n" in graph


def test_a_function_name_in_use_keeps_the_methods_underscore_and_one_taken_both_ways_is_refused() -> None:
    private = BUILDER.replace("self.block(", "self._block(").replace("def block(", "def _block(")
    local = private.replace("x = self._block(inputs)", "block = 2\n        x = self._block(inputs)")
    assert "def _block(x, width):\n" in convert(local, Style.FUNCTIONAL_SUBCLASS)
    both = BUILDER.replace("class Builder:", "block = 2\n\n\nclass Builder:")
    assert refusal(both, Style.FUNCTIONAL_SUBCLASS) == [
        "m.py:13:5: error: `block` would be written as the module's function `block`, a name the file"
        " already uses (hint: rename the method, or keep this model in its current style)"
    ]


def test_a_method_whose_body_reads_self_itself_or_calls_a_method_that_is_no_helper_is_refused_for_either_class() -> None:
    util = BUILDER.replace("Dense(self.width)(x)", "Dense(self.filters_for(2))(x)")
    util += "\n    def filters_for(self, k):\n        return self.width * k\n"
    bare = BUILDER.replace("        x = layers.Dense(self.width)(x)\n", "        print(self)\n        x = layers.Dense(self.width)(x)\n")
    for target in (C, Style.FUNCTIONAL_SUBCLASS):
        assert "`build` calls `self.filters_for`, a method of the object" in refusal(util, target)[0]
        assert "`build` reads `self` itself" in refusal(bare, target)[0]
