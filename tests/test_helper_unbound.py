"""A helper the model calls runs when the model is built: a name its body reads that nothing binds
(the builder's local of that name is not the helper's: Python looks it up among the module's
globals) stops the original with a NameError, so the conversion is refused at that read
(parse/read_order.py) instead of writing a model as broken as the original."""

from __future__ import annotations

import pytest

from kconvert.types import Style

from converting import C, convert, refusal

BROKEN = """\
import keras
from keras import layers


def block(x):
    return layers.Dense(4, name=prefix + "_d")(x)


def build():
    inputs = keras.Input(shape=(4,))
    prefix = "b"
    x = block(inputs)
    return keras.Model(inputs, x)


model = build()
"""


@pytest.mark.parametrize("target", [C, Style.FUNCTIONAL_SUBCLASS])
def test_a_helper_reading_a_name_nothing_binds_is_refused(target: Style) -> None:
    assert refusal(BROKEN, target) == [
        "m.py:6:33: error: `prefix` is read here, where nothing binds it (hint: define or import `prefix`)"
    ]


def test_a_helper_reading_a_global_the_module_binds_converts() -> None:
    bound = BROKEN.replace("\n\ndef block(x):", '\nprefix = "g"\n\n\ndef block(x):')
    assert 'layers.Dense(4, name=prefix + "_d")' in convert(bound, C)


def test_a_helper_reading_a_name_only_another_helper_binds_is_refused() -> None:
    # A fuzzed Coursera ResNet: `F1` is a local of `first`, not of `second`.
    source = """\
import keras
from keras import layers


def first(x, filters):
    F1, F2 = filters
    return layers.Dense(F2)(layers.Dense(F1)(x))


def second(x, filters):
    return layers.Dense(F1)(x)


inputs = keras.Input(shape=(4,))
x = first(inputs, (8, 4))
x = second(x, (8, 4))
model = keras.Model(inputs, x)

"""
    assert refusal(source, C) == [
        "m.py:11:25: error: `F1` is read here, where nothing binds it (hint: define or import `F1`)"
    ]
