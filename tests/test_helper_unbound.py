"""A helper the model calls runs when the model is built: a name its body reads that nothing binds
(the builder's local of that name is not the helper's: Python looks it up among the module's
globals) stops the original with a NameError, so the conversion is refused at that read
(parse/read_order.py) instead of writing a model as broken as the original.  So does a method
helper's (``self._block(x)``), and a graph class's line after ``super().__init__``, which runs
when the model is made."""

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


METHOD_HELPER = """\
import keras
from keras import layers


class Builder:
    def __init__(self, units):
        self.units = units

    def build(self):
        inputs = keras.Input(shape=(4,))
        x = self._block(inputs)
        return keras.Model(inputs, x)

    def _block(self, x):
        x = layers.Dense(self.units)(x)
        return layers.Dropout(rate)(x)


model = Builder(8).build()
"""


@pytest.mark.parametrize("target", [C, Style.FUNCTIONAL_SUBCLASS])
def test_a_method_helper_reading_a_name_nothing_binds_is_refused(target: Style) -> None:
    # A fuzzed U-Net's `_decoder_block` read `dropout`, its parameter in another method: the
    # function the fourth style makes of the method read it unbound (an internal error).
    assert refusal(METHOD_HELPER, target) == [
        "m.py:16:31: error: `rate` is read here, where nothing binds it (hint: define or import `rate`)"
    ]


def test_a_method_helper_reading_a_global_the_module_binds_converts() -> None:
    bound = METHOD_HELPER.replace("\n\nclass Builder:", "\nrate = 0.5\n\n\nclass Builder:")
    assert "layers.Dropout(rate)" in convert(bound, Style.FUNCTIONAL_SUBCLASS)


def test_a_graph_class_reading_a_name_nothing_binds_after_super_init_is_refused() -> None:
    # A fuzzed npfl114 model cut short after `super().__init__`: `lr_` alone, which a subclass
    # writes among its own code in `__init__` (its output failed to read back: an internal error).
    source = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, units):
        inputs = keras.Input(shape=(4,))
        outputs = layers.Dense(units)(inputs)
        super().__init__(inputs=inputs, outputs=outputs)
        lr_
"""
    assert refusal(source, C) == [
        "m.py:10:9: error: `lr_` is read here, where nothing binds it (hint: define or import `lr_`)"
    ]


@pytest.mark.parametrize("target", [C, Style.FUNCTIONAL_SUBCLASS, Style.SEQUENTIAL])
def test_a_layer_class_of_the_file_reading_a_name_nothing_binds_is_refused(target: Style) -> None:
    # The class's __init__ runs when the model makes its layer: the original stops with a
    # NameError there. This was an internal error (kconvert could not read its own output back),
    # found by the fuzzer on a mutant of unet_decoder_blocks.
    source = """\
    import keras
    from keras import layers


    class Scaled(layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(units)
            self.scale = scale_factor

        def call(self, x):
            return self.dense(x) * self.scale


    inputs = keras.Input(shape=(4,))
    outputs = Scaled(8)(inputs)
    model = keras.Model(inputs, outputs)
    """
    assert refusal(source, target) == [
        "m.py:9:22: error: `scale_factor` is read here, where nothing binds it (hint: define or import `scale_factor`)"
    ]
