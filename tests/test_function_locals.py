"""A builder function's values computed before its model (issue 9): a class target moves the
model's code to module level, so what that code reads must move with it or be refused by name.

The moving case (an ``if``/``else`` of plain assignments that prepares the input shape) is proven
by the ``applications_weights`` fixture; here are the refusals and what stays convertible.
"""

from __future__ import annotations

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


def _refused(target: Style, style: str) -> list[str]:
    return [
        f"m.py:6:5: error: `total` is computed in `build` before the model, and the model reads it; a {style}"
        " model is a class at module level, which cannot read the function's locals (hint: compute `total`"
        " inside the model's code, make it a parameter of `build`, or keep this model Functional)"
    ]


def test_a_layer_argument_computed_by_a_loop_before_the_model_is_refused_by_both_classes() -> None:
    text = SUMMED.replace("UNITS", "total")
    assert refusal(text, C) == _refused(C, "subclass")
    assert refusal(text, G) == _refused(G, "functional-subclass")


def test_an_input_shape_computed_before_the_model_stays_at_the_subclass_call_site() -> None:
    text = SUMMED.replace("UNITS", "2")
    # The graph class makes its Input inside the class; the subclass is built where the function was.
    assert refusal(text, G) == _refused(G, "functional-subclass")
    out = convert(text, C)
    assert "    model = Build()\n    model(keras.Input((total,)))\n    return model\n" in out
    assert convert(text, S).count("total") == 3


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
    (model,) = [m for m in find_models(out) if m.name == "Build"]
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
    (line,) = refusal(text, G)
    assert line.startswith("m.py:7:9: error: `shape` is computed in `build` before the model")
