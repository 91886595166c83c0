"""A closure called at once, ``conv_bn(4)(x)``, is read as the helper ``conv_bn(x, 4)``
(parse/closure_helpers.py): a subclass makes it a Layer class. The whole case with its way back
is ``tests/fixtures/closure_helper_blocks``; these are the edges of the reading."""

from __future__ import annotations

import textwrap

from converting import C, F, convert, refusal
from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

CLOSURE = """\
    import keras
    from keras import layers


    def conv_bn(filters):
        def f(x):
            x = layers.Conv2D(filters, 3, padding="same")(x)
            return layers.BatchNormalization()(x)

        return f


    inputs = keras.Input(shape=(8, 8, 4))
    {body}
    outputs = layers.Dense(2)(layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    """


def _source(body: str, closure: str = CLOSURE) -> str:
    return textwrap.dedent(closure).replace("{body}", body)


def test_a_closure_called_inside_another_call_is_a_block_made_once() -> None:
    # Left in the expression, `conv_bn(4)(inputs)` would make new layers at every call():
    # an untracked convolution, another model.
    source = _source("x = layers.add([conv_bn(4)(inputs), inputs])")
    (model,) = find_models(source)
    lint(model.graph)
    converted = convert(source, C)
    assert "        self.conv_bn = ConvBN(4)\n" in converted
    assert "        x = self.conv_bn(inputs)\n" in converted
    assert "conv_bn(4)" not in converted
    assert convert(converted, C) == converted
    assert "x = ConvBN(4)(inputs)\nx = layers.Add()([x, inputs])\n" in convert(converted, F)


def test_a_closure_bound_to_a_name_first_is_still_a_callable_a_subclass_cannot_hold() -> None:
    source = _source("block = conv_bn(4)\nx = block(inputs)\nx = block(x)")
    (message,) = refusal(source, C)
    assert "`conv_bn(...)` gives no layer object but a callable that makes new layers" in message


def test_a_closure_of_keyword_settings_is_refused_for_its_parameters() -> None:
    source = _source("x = conv_bn(filters=4)(inputs)").replace(
        "def conv_bn(filters):\n", "def conv_bn(**conv_params):\n    filters = conv_params['filters']\n\n"
    )
    (message,) = refusal(source, C)
    assert "`conv_bn` takes `*args` or `**kwargs`" in message


def test_an_inner_function_with_a_default_stays_a_callable() -> None:
    # `f(x, training=None)` would take the outer call's first argument as `training`.
    source = _source("x = conv_bn(4)(inputs)").replace("def f(x):", "def f(x, scale=1.0):")
    (message,) = refusal(source, C)
    assert "gives no layer object but a callable" in message


def test_a_closure_that_defaults_a_setting_in_an_if_stays_a_callable() -> None:
    # keras-contrib's ResNet: `if dilation_rates is None: dilation_rates = [1] * blocks`. Written
    # out at its call, with the call's `None` in place of the parameter, it would assign to `None`:
    # to functional-subclass that was an internal error.
    source = _source("x = conv_bn(4)(inputs)").replace(
        "def conv_bn(filters):\n", "def conv_bn(filters, rate=None):\n    if rate is None:\n        rate = 1\n\n"
    ).replace('padding="same"', 'padding="same", dilation_rate=rate')
    converted = convert(source, FS)
    assert "x = conv_bn(4)(inputs)\n" in converted
    (message,) = refusal(source, C)
    assert "gives no layer object but a callable" in message
