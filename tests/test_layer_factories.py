"""A helper that makes its layers through a value (parse/layer_factories.py): a module's
``partial(layers.Conv2D, ...)`` (ageron's ``DefaultConv2D``), a ``lambda`` that returns a layer, a
class a test picks, or whatever a call returns called on at once.  Each was taken for a function of
tensors, which to-subclass called in ``call()``: new, untracked layers on every forward pass, exit 0.
Each is now a block, written as a Layer class made once."""

from __future__ import annotations

from kconvert.types import Style

from converting import convert

C = Style.SUBCLASS

PARTIAL = """\
from functools import partial

import keras
from keras import layers

Conv = partial(layers.Conv2D, kernel_size=3, padding="same", activation="relu")


def block(x, filters):
    x = Conv(filters)(x)
    return Conv(filters)(x)


inputs = keras.Input(shape=(8, 8, 3))
outputs = block(inputs, 8)
model = keras.Model(inputs, outputs)
"""


def test_a_module_partial_of_a_layer_class_makes_layers() -> None:
    converted = convert(PARTIAL, C)
    assert "        self.conv1 = Conv(filters)\n        self.conv2 = Conv(filters)\n" in converted
    assert "        return self.block(inputs)\n" in converted
    assert "block(inputs, 8)" not in converted


def test_a_module_lambda_that_returns_a_layer_makes_layers() -> None:
    source = PARTIAL.replace(
        'Conv = partial(layers.Conv2D, kernel_size=3, padding="same", activation="relu")',
        'Conv = lambda filters: layers.Conv2D(filters, 3, padding="same")',
    )
    converted = convert(source, C)
    assert "        self.conv1 = Conv(filters)\n" in converted
    assert "block(inputs, 8)" not in converted


def test_a_call_whose_result_is_called_at_once_makes_a_layer() -> None:
    source = """\
    import keras
    from keras import layers


    def conv(filters):
        return layers.Conv2D(filters, 3, padding="same")


    def block(x, filters):
        maker = conv
        return maker(filters)(x)


    inputs = keras.Input(shape=(8, 8, 3))
    outputs = block(inputs, 8)
    model = keras.Model(inputs, outputs)
    """
    converted = convert(source, C)
    assert "class Block(layers.Layer):" in converted
    assert "block(inputs, 8)" not in converted


def test_a_class_a_test_picks_makes_a_layer() -> None:
    source = """\
    import keras
    from keras import layers


    def pool(x, kind):
        chosen = layers.MaxPooling1D if kind == "max" else layers.AveragePooling1D
        return chosen(2)(x)


    inputs = keras.Input(shape=(8, 3))
    x = pool(inputs, "max")
    outputs = layers.Conv1D(4, 3)(x)
    model = keras.Model(inputs, outputs)
    """
    converted = convert(source, C)
    assert '        chosen = layers.MaxPooling1D if kind == "max" else layers.AveragePooling1D\n' in converted
    assert "        self.chosen = chosen(2)\n" in converted
    assert 'pool(inputs, "max")' not in converted


def test_a_keras_function_that_returns_a_function_is_no_layer() -> None:
    source = """\
    import keras
    from keras import layers


    def act(x, name):
        return keras.activations.get(name)(x)


    inputs = keras.Input(shape=(4,))
    x = layers.Dense(4)(inputs)
    x = act(x, "relu")
    outputs = layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)
    """
    converted = convert(source, C)
    assert '        x = act(x, "relu")\n' in converted
