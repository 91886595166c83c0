"""A builder function's values computed before its model (issue 9): a class target moves the
model's code to module level, so what that code reads must move with it or be refused by name.

The moving case (an ``if``/``else`` of plain assignments that prepares the input shape) is proven
by the ``applications_weights`` fixture; here are the refusals and what stays convertible.
"""

from __future__ import annotations

import pytest

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert, refusal

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

SUMMED = """\
import keras
from keras import layers


def build(n):
    total = 0
    for i in range(n):
        total += i
    inputs = keras.Input((total,))
    outputs = layers.Dense(UNITS)(inputs)
    return keras.Model(inputs, outputs)
"""


def test_a_local_computed_by_a_loop_before_the_model_becomes_a_parameter_of_both_classes() -> None:
    # Checked by hand: the function passes the value its model read, where it made the model.
    text = SUMMED.replace("UNITS", "total")
    out = convert(text, C)
    assert "class MyModel(keras.Model):\n    def __init__(self, total, **kwargs):\n" in out
    assert "        self.dense = layers.Dense(total)\n" in out
    assert "        total += i\n    model = MyModel(total=total)\n    model(keras.Input((total,)))\n    return model\n" in out
    graph_class = convert(text, G)
    assert "    def __init__(self, total, **kwargs):\n        inputs = keras.Input((total,))\n" in graph_class
    assert "        total += i\n    return MyModel(total=total)\n" in graph_class
    assert convert(graph_class, G) == graph_class
    (model,) = [m for m in find_models(graph_class) if m.name == "MyModel"]
    lint(model.graph)


def test_an_input_shape_computed_before_the_model_stays_at_the_subclass_call_site() -> None:
    text = SUMMED.replace("UNITS", "2")
    # The subclass is built where the function was, which reads the local; only the graph class,
    # which makes its Input itself, takes it as a parameter.
    out = convert(text, C)
    assert "    model = MyModel()\n    model(keras.Input((total,)))\n    return model\n" in out
    assert "    return MyModel(total=total)\n" in convert(text, G)
    assert convert(text, S).count("total") == 3


@pytest.mark.parametrize(
    ("before", "local", "reason"),
    [
        ("def total():\n        return 4\n    ", "total", "is a function defined in `build` before the model, and the model uses it"),
        ("name = 'dense'\n    print(name)\n    ", "name", "is computed in `build` before the model"),
    ],
)
def test_a_local_that_is_no_plain_value_or_is_keras_own_argument_is_refused(before, local, reason) -> None:
    # A function defined there is code, not a value to pass; ``name`` is keras.Model's own.
    text = f"""\
import keras
from keras import layers


def build():
    {before}inputs = keras.Input((4,))
    outputs = layers.Dense(2, name={local} if isinstance({local}, str) else None)(inputs)
    return keras.Model(inputs, outputs)
"""
    (line,) = refusal(text, G)
    assert line.startswith("m.py:6:") and f"error: `{local}` {reason}" in line, line


def test_a_name_the_model_binds_itself_is_no_local_of_the_function() -> None:
    # ``units`` is bound before the model, and again by the model's own loop before it is read.
    text = """\
    import keras
    from keras import layers


    def build():
        units = None
        inputs = keras.Input((4,))
        x = inputs
        for units in (8, 4):
            x = layers.Dense(units)(x)
        return keras.Model(inputs, x)
    """
    out = convert(text, G)
    assert "for units in (8, 4):" in out
    (model,) = [m for m in find_models(out) if m.name == "MyModel"]
    lint(model.graph)


def test_a_data_format_if_before_the_model_moves_into_the_graph_class() -> None:
    text = """\
    import keras
    from keras import layers


    def build(classes=3):
        if keras.backend.image_data_format() == "channels_first":
            shape = (1, 8)
        elif classes > 10:
            shape = (8, 2)
        else:
            shape = (8, 1)
        inputs = keras.Input(shape)
        return keras.Model(inputs, layers.Dense(classes)(inputs))
    """
    out = convert(text, G)
    assert "    def __init__(self, classes=3, **kwargs):\n        if keras.backend" in out
    assert "        else:\n            shape = (8, 1)\n        inputs = keras.Input(shape)\n" in out
    assert convert(out, G) == out


def test_an_if_that_does_more_than_assign_is_no_preparation() -> None:
    text = """\
    import keras
    from keras import layers


    def build():
        if keras.backend.image_data_format() == "channels_first":
            shape = (1, 8)
            print("channels first")
        else:
            shape = (8, 1)
        inputs = keras.Input(shape)
        return keras.Model(inputs, layers.Dense(2)(inputs))
    """
    # The ``if`` stays in the function, which passes the shape it chose.
    out = convert(text, G)
    assert '        print("channels first")\n    else:\n        shape = (8, 1)\n    return MyModel(shape=shape)\n' in out
    assert "    def __init__(self, shape, **kwargs):\n        inputs = keras.Input(shape)\n" in out

BLOCK_DEFINED_AMONG_THE_MODEL_S_LINES = """\
import keras
from keras import layers


def build_model():
    inputs = keras.Input(shape=(8, 8, 3))

    def conv_block(x, filters):
        x = layers.Conv2D(filters, 3, padding="same")(x)
        return layers.Activation("relu")(x)

    x = conv_block(inputs, 4)
    outputs = layers.Conv2D(1, 1)(x)
    return keras.Model(inputs, outputs)
"""


def test_a_block_defined_among_a_builder_s_model_lines_is_a_layer_class_for_a_subclass() -> None:
    # It failed the safety check (an internal error): __init__ defined it, call() called it; then it
    # was refused.  It reads none of the builder's locals, so it is read as the module's helper it
    # could have been (parse/nested_helpers.py): a Layer class, verified equivalent in TensorFlow.
    subclass = convert(BLOCK_DEFINED_AMONG_THE_MODEL_S_LINES, C)
    assert "class ConvBlock(layers.Layer):\n" in subclass and "def conv_block" not in subclass
    assert "        self.conv_block = ConvBlock(4)\n" in subclass
    # The graph class runs the definition where its __init__ builds the graph, as the function did.
    assert "        def conv_block(x, filters):\n" in convert(BLOCK_DEFINED_AMONG_THE_MODEL_S_LINES, G)
