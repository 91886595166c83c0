"""A class made only by one builder function comes back to a graph style as that function's code.

to-subclass writes ``def build_model(...): model = Cls(...); model(keras.Input(...)); return
model``; the way back writes the model's code as ``build_model``'s body, with no second function
named like the class (rewrite/builder_site.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconvert.types import Style

from converting import convert

F, S, C, FS = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS
BUILDER = Path(__file__).parent / "fixtures" / "builder_function"


@pytest.mark.parametrize(("source", "style"), [("functional", F), ("sequential", S)])
def test_a_builder_comes_back_from_a_subclass_byte_for_byte(source: str, style: Style) -> None:
    text = (BUILDER / f"{source}.py").read_text()
    assert convert(convert(text, C), style) == text


CLASS = """\
    import keras
    from keras import layers


    class MLP(keras.Model):
        def __init__(self, hidden=32, **kwargs):
            super().__init__(**kwargs)
            self.hidden = hidden
            self.dense = layers.Dense(hidden, activation="relu")
            self.head = layers.Dense(1)

        def call(self, inputs):
            x = self.dense(inputs)
            return self.head(x)


    BUILD"""


def test_each_argument_is_the_parameter_in_its_place_and_the_docstring_stays() -> None:
    build = (
        "def make(width):\n"
        '        """An MLP twice as wide as asked."""\n'
        "        model = MLP(width * 2)\n"
        "        model(keras.Input(shape=(4,)))\n"
        "        return model\n\n\n"
        "    model = make(8)\n"
    )
    assert convert(CLASS.replace("BUILD", build), F) == (
        "import keras\n"
        "from keras import layers\n\n\n"
        "def make(width):\n"
        '    """An MLP twice as wide as asked."""\n'
        "    inputs = keras.Input(shape=(4,))\n"
        '    x = layers.Dense((width * 2), activation="relu")(inputs)\n'
        "    outputs = layers.Dense(1)(x)\n"
        "    return keras.Model(inputs=inputs, outputs=outputs)\n\n\n"
        "model = make(8)\n"
    )


def test_a_builder_that_does_more_keeps_the_function_named_like_the_class() -> None:
    build = (
        "def make(width=8):\n"
        "        model = MLP(hidden=width)\n"
        "        model(keras.Input(shape=(4,)))\n"
        '        model.compile(loss="mse")\n'
        "        return model\n\n\n"
        "    model = make()\n"
    )
    out = convert(CLASS.replace("BUILD", build), F)
    assert "def MLP(hidden=32, **kwargs):" in out
    assert "    model = MLP(hidden=width)\n" in out


def test_the_models_code_does_not_rebind_a_parameter_of_the_builder() -> None:
    build = "def make(x=8):\n        model = MLP(hidden=x)\n        model(keras.Input(shape=(4,)))\n        return model\n"
    out = convert(CLASS.replace("BUILD", build), F)
    assert out.endswith(
        "def make(x=8):\n"
        "    inputs = keras.Input(shape=(4,))\n"
        '    x_1 = layers.Dense(x, activation="relu")(inputs)\n'
        "    outputs = layers.Dense(1)(x_1)\n"
        "    return keras.Model(inputs=inputs, outputs=outputs)\n"
    )
