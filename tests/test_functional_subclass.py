"""The fourth style: what is read from a graph-building class, and what is refused by name."""

from __future__ import annotations

import textwrap

import pytest

from kconvert.convert import convert_source
from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Converted, Options, Refused, Style

FS = Style.FUNCTIONAL_SUBCLASS

BACKBONE = """\
import keras
from keras import layers


class Backbone(keras.Model):
    def __init__(self, width=64, depth=2, **kwargs):
        inputs = keras.Input(shape=(16,))
        x = inputs
        for _ in range(depth):
            x = layers.Dense(width, activation="relu")(x)
        outputs = layers.Dense(1)(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.width = width
        self.depth = depth


model = Backbone(width=8)
"""


def convert(text: str, target: Style) -> str:
    result = convert_source(textwrap.dedent(text), target, Options(), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result.source


def refusal(text: str, target: Style) -> list[str]:
    result = convert_source(textwrap.dedent(text), target, Options(), "m.py")
    assert isinstance(result, Refused), result.source
    return [diagnostic.render() for diagnostic in result.diagnostics]


@pytest.mark.parametrize("spelling", ["functional-subclass", "functional_subclass", "FunctionalSubclass"])
def test_the_style_has_one_name_however_it_is_spelled(spelling: str) -> None:
    assert Style.parse(spelling) is FS
    assert FS.stem == "functional_subclass"


def test_the_constructor_parameters_become_the_graph_params() -> None:
    (model,) = find_models(BACKBONE)
    assert model.style is FS and model.problem is None
    lint(model.graph)
    assert [(param.name, param.star) for param in model.graph.params] == [("width", ""), ("depth", ""), ("kwargs", "**")]


def test_to_functional_is_a_builder_with_the_same_parameters_and_back() -> None:
    functional = convert(BACKBONE, Style.FUNCTIONAL)
    assert "def Backbone(width=64, depth=2, **kwargs):\n" in functional
    assert "    return keras.Model(inputs=inputs, outputs=outputs, **kwargs)\n" in functional
    assert "model = Backbone(width=8)\n" in functional
    again = convert(functional, FS)
    assert again.startswith(BACKBONE[: BACKBONE.index("class")] + '@keras.saving.register_keras_serializable(package="m")\n')
    assert '        config.update({"width": self.width, "depth": self.depth})\n' in again


def test_a_method_reading_a_layer_attribute_is_refused_for_the_fourth_style() -> None:
    source = """\
        import keras
        from keras import layers


        class Regressor(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.hidden = layers.Dense(4)
                self.out = layers.Dense(1)

            def call(self, inputs):
                return self.out(self.hidden(inputs))

            def train_step(self, data):
                self.out.trainable = False
                return super().train_step(data)


        model = Regressor()
        model.build((None, 8))
        """
    assert refusal(source, FS) == [
        "m.py:14:5: error: `train_step` reads the layer `self.out`, which a functional-subclass does not keep"
        " as an attribute (hint: read it with `self.get_layer(...)`, or keep this model a subclass)"
    ]


def test_self_before_super_and_unstored_state_after_it_are_refused_by_line() -> None:
    early = BACKBONE.replace("        outputs = layers.Dense(1)(x)\n", "        self.head = layers.Dense(1)\n        outputs = self.head(x)\n")
    assert refusal(early, Style.FUNCTIONAL)[0].startswith(
        "m.py:11:9: error: this statement uses `self` before `super().__init__(...)`"
    )
    late = BACKBONE.replace("        self.depth = depth\n", "        self.depth = depth\n        self.scale = 2.0\n")
    assert refusal(late, Style.SUBCLASS) == [
        "m.py:15:9: error: `self.scale = 2.0` after `super().__init__(...)` would be lost: only storing a"
        " constructor parameter (`self.width = width`) is kept (hint: keep this model in its current style)"
    ]


def test_a_class_already_in_the_fourth_style_is_left_as_it_is() -> None:
    assert convert(BACKBONE, FS) == BACKBONE
