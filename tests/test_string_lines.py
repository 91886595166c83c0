"""A string literal of several lines in the model's code keeps its value in every direction
(emit/string_lines.py).  The lines after its first are part of the string: the emitters, which
indent code by putting spaces before each line, changed them (a banner printed by a converted
script gained the indentation of ``__init__``), and a blank one under a line ending in ``:`` was
taken for a blank line opening a block and dropped."""

from __future__ import annotations

import ast
from collections import Counter

import pytest

from kconvert.types import Style

from converting import C, F, S, convert

FS = Style.FUNCTIONAL_SUBCLASS


def strings(text: str) -> Counter:
    """The values of the string constants of ``text`` that hold a line break."""
    return Counter(
        node.value for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" in node.value
    )


BUILDER = '''\
from tensorflow import keras
from tensorflow.keras import layers


def build_model(units):
    inputs = keras.Input(shape=(4,))
    x = layers.Dense(units)(inputs)
    note = """first:

  second
"""
    x = layers.Dense(units, name=note.split()[0])(x)
    outputs = layers.Dense(2)(x)
    return keras.Model(inputs, outputs)


model = build_model(8)
'''

KEPT_METHOD = '''\
from tensorflow import keras
from tensorflow.keras import layers


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = layers.Dense(8)
        self.banner = """Net:

  two dense layers
"""
        self.d2 = layers.Dense(2)

    def call(self, inputs):
        return self.d2(self.d1(inputs))

    def describe(self):
        return self.banner + """and
  more
"""


model = Net()
model.build((None, 4))
'''

MAIN_GUARD = '''\
from tensorflow import keras

if __name__ == "__main__":
    model = keras.Sequential()
    model.add(keras.layers.Dense(8, input_shape=(4,)))
    print("""
# Above: the hidden layer.
    """)
    model.add(keras.layers.Dense(2))
'''


@pytest.mark.parametrize("target", [S, C, FS])
def test_a_builders_string_keeps_its_lines(target: Style) -> None:
    assert strings(convert(BUILDER, target)) == strings(BUILDER)


def test_a_builders_string_keeps_its_lines_in_a_class_and_back() -> None:
    # The class's round trip rewrites the builder's body (rewrite/builder_site.py), indenting it.
    fourth = convert(BUILDER, FS)
    assert strings(convert(fourth, F)) == strings(BUILDER)
    assert convert(fourth, F).count('"""first:\n\n  second\n"""\n') == 1


def test_a_kept_methods_string_and_an_init_string_keep_their_lines() -> None:
    converted = convert(KEPT_METHOD, FS)
    assert strings(converted) == strings(KEPT_METHOD)
    assert '        return self.banner + """and\n  more\n"""\n' in converted


@pytest.mark.parametrize("target", [F, C, FS])
def test_a_print_between_adds_under_the_main_guard_keeps_its_lines(target: Style) -> None:
    converted = convert(MAIN_GUARD, target)
    assert strings(converted) == strings(MAIN_GUARD)
    assert '"""\n# Above: the hidden layer.\n    """)\n' in converted
    assert convert(converted, target) == converted
