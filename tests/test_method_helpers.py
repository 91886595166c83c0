"""A plain class's own method that builds layers, called by the method that makes a model
(parse/method_helpers.py): a block (a Layer class) in a subclass (parse/method_blocks.py), a
function of the module for a class that builds a graph (parse/method_functions.py), what it reads
of the object a parameter of the model's class either way; what would make the written-out body differ from the call is refused, naming it.
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


def test_a_method_is_a_block_whose_reads_of_the_object_are_its_parameters_given_by_the_builder() -> None:
    subclass = convert(BUILDER, C)
    assert (
        "class Block(layers.Layer):\n"
        "    def __init__(self, width, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.width = width\n"
        "        self.dense = layers.Dense(width)\n"
        "        self.relu = layers.ReLU()\n"
    ) in subclass
    assert (
        "    def __init__(self, width, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.width = width\n"
        "        self.block1 = Block(width)\n"
        "        self.block2 = Block(width)\n"
    ) in subclass
    assert "        model = BuilderModel(width=self.width)\n        model(keras.Input(shape=(4,)))\n" in subclass
    # The method stays: the rest of the file (or another module) may call it.
    assert "    def block(self, x):\n        x = layers.Dense(self.width)(x)\n" in subclass
    assert convert(subclass, C) == subclass
    # Functional code keeps the calls, in the method, as written.
    assert convert(BUILDER, Style.FUNCTIONAL) == BUILDER


def test_a_method_that_calls_another_method_that_builds_layers_passes_it_what_it_reads() -> None:
    nested = BUILDER.replace(
        "    def block(self, x):\n",
        "    def block(self, x):\n        return self.unit(x)\n\n    def unit(self, x):\n",
    )
    subclass = convert(nested, C)
    assert "class Unit(layers.Layer):\n    def __init__(self, width, **kwargs):\n" in subclass
    assert "        self.width = width\n        self.unit = Unit(width)\n" in subclass
    assert "        model = BuilderModel(width=self.width)\n" in subclass


def test_what_a_method_reads_of_the_object_goes_before_its_defaults_and_a_positional_argument_past_it_to_its_keyword() -> None:
    scaled = BUILDER.replace("    def block(self, x):\n", "    def block(self, x, scale=1, bias=True):\n")
    scaled = scaled.replace("Dense(self.width)(x)", "Dense(self.width * scale, use_bias=bias)(x)")
    scaled = scaled.replace("x = self.block(inputs)", "x = self.block(inputs, 2, False)")
    subclass = convert(scaled, C)
    assert "    def __init__(self, width, scale=1, bias=True, **kwargs):\n" in subclass
    assert "        self.block1 = Block(width, scale=2, bias=False)\n        self.block2 = Block(width)\n" in subclass
    assert convert(subclass, C) == subclass


def test_a_method_that_uses_the_object_otherwise_is_no_block() -> None:
    # ``self.act`` is a layer of the object, called: no constant a block could be made with; written
    # out, the model's call of it is refused.
    called = BUILDER.replace("        return layers.ReLU()(x)\n", "        return self.act(x)\n")
    called = called.replace("        self.width = width\n", "        self.width = width\n        self.act = layers.ReLU()\n")
    assert "calls `self.act`" in refusal(called, C)[0]


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
    # The call inside ``Dense(1)(...)`` stays there, as a module helper's does (emit/nested_calls.py).
    assert "        x = block(inputs, width=width)\n        outputs = layers.Dense(1)(block(x, width=width))\n" in graph
    assert "        return BuilderModel(width=self.width)\n" in graph
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


def test_a_method_and_a_function_of_one_name_are_two_helpers_and_neither_a_block() -> None:
    both = BUILDER.replace("class Builder:", "def block(x):\n    return layers.Dense(2)(x)\n\n\nclass Builder:")
    both = both.replace("        outputs = layers.Dense(1)(", "        x = block(x)\n        outputs = layers.Dense(1)(")
    subclass = convert(both, C)
    # Each call is written out: one class for two functions would make one of them wrong.
    assert "class Block(" not in subclass
    assert "        self.block1_dense = layers.Dense(width)\n" in subclass
    assert "        self.block2_dense = layers.Dense(2)\n" in subclass
    # The module's function is written out and nothing calls it any more: it goes; the method stays.
    assert "def block(x):" not in subclass and "    def block(self, x):\n" in subclass


def test_a_private_method_called_in_a_loop_makes_a_list_named_without_its_underscore() -> None:
    looped = BUILDER.replace("self.block(", "self._block(").replace("def block(", "def _block(")
    looped = looped.replace("        x = self._block(inputs)\n", "        x = inputs\n        for _ in range(2):\n            x = self._block(x)\n")
    subclass = convert(looped, C)
    assert "        self.blocks = [Block(width) for _ in range(2)]\n" in subclass
    assert "        for block in self.blocks:\n            x = block(x)\n" in subclass


def test_an_attribute_read_named_like_a_parameter_of_the_method_is_numbered_in_its_block() -> None:
    # ``Dense(self.width + width)``: the object's ``width`` and the method's are two values.
    shadowed = BUILDER.replace("    def block(self, x):\n", "    def block(self, x, width=3):\n")
    shadowed = shadowed.replace("Dense(self.width)(x)", "Dense(self.width + width)(x)")
    subclass = convert(shadowed, C)
    assert "    def __init__(self, width_1, width=3, **kwargs):\n" in subclass
    assert "        self.dense = layers.Dense(width_1 + width)\n" in subclass
    assert "        self.block1 = Block(width)\n" in subclass


def test_a_loop_pass_that_calls_a_method_block_takes_what_the_method_reads_of_the_object() -> None:
    # kayua's MobileNet: `x = self._separable(x, ...)` then `Dropout` in each pass. The pass is a
    # block of its own, made with `self.width` (the model's `width`) for the method's block.
    looped = BUILDER.replace(
        "        x = self.block(inputs)\n",
        "        x = inputs\n        for units in (4, 8):\n            x = self.block(x)\n            x = layers.Dropout(0.1)(x)\n",
    )
    subclass = convert(looped, C)
    assert (
        "class BuilderBlock(layers.Layer):\n"
        "    def __init__(self, width, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.width = width\n"
        "        self.block = Block(width)\n"
    ) in subclass
    assert "        self.builder_blocks = [BuilderBlock(width) for _ in (4, 8)]\n" in subclass
    assert convert(subclass, C) == subclass
