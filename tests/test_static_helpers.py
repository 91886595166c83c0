"""A ``@staticmethod`` of a plain class that builds layers, called by the class's name
(``ResNet.residual_module(x, 64, stride)`` in a ``ResNet.build``): a helper as a function of the
module is (parse/method_helpers.py ``static_definition``), a block in a subclass.  A method that
makes layers and is read no such way (a ``@classmethod``, a class with bases) is refused for a
subclass and a Sequential model, which would keep it as a layer (parse/imported_callables.py)."""

from __future__ import annotations

from converting import C, S, convert, refusal
from kconvert.types import Style

NET = """\
import keras
from keras import layers


class Net:
    @staticmethod
    def block(x, units, scale):
        y = layers.Dense(units * scale)(x)
        y = layers.Dense(units)(y)
        return layers.add([x, y])

    @staticmethod
    def build(stages=2):
        inputs = keras.Input(shape=(4,))
        x = inputs
        for i in range(stages):
            scale = 1 if i == 0 else 2
            x = Net.block(x, 4, scale)
        outputs = layers.Dense(1)(x)
        return keras.Model(inputs, outputs)


model = Net.build()
"""


def test_a_static_method_called_by_its_class_name_is_a_block_made_in_init() -> None:
    subclass = convert(NET, C)
    assert "class Block(layers.Layer):\n    def __init__(self, units, scale, **kwargs):\n" in subclass
    # Each pass's block is made with the scale its pass computes, in __init__ (it was called
    # in call(), as an attribute holding `Net.block`, reading a `scale` call() never bound).
    assert (
        "        for i in range(stages):\n"
        "            scale = 1 if i == 0 else 2\n"
        "            self.blocks.append(Block(4, scale))\n"
    ) in subclass
    assert "Net.block" not in subclass.split("class Net:")[0]
    # The static method stays: the rest of the file may call it.
    assert "    @staticmethod\n    def block(x, units, scale):\n" in subclass
    assert convert(subclass, C) == subclass


def test_a_class_that_builds_a_graph_calls_the_static_method_as_written() -> None:
    graph = convert(NET, Style.FUNCTIONAL_SUBCLASS)
    assert "            x = Net.block(x, 4, scale)\n" in graph
    assert "class Block(" not in graph


def test_a_method_that_makes_layers_and_is_no_static_method_of_a_plain_class_is_refused() -> None:
    for changed in (
        NET.replace("    @staticmethod\n    def block(x,", "    @classmethod\n    def block(cls, x,"),
        NET.replace("class Net:", "class Base:\n    pass\n\n\nclass Net(Base):"),
    ):
        (found,) = refusal(changed, C)
        assert "`Net.block` is a method of the file's class `Net` that makes layers" in found
        assert "a subclass's call() would make new layers on every forward pass" in found
        assert "(hint: make `block` a function of the module" in found
        assert any("Net.block" in line for line in refusal(changed, S))
