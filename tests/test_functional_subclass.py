"""The fourth style: what is read from a graph-building class, and what is refused by name."""

from __future__ import annotations


import pytest

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert, refusal

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
    assert '        return {**super().get_config(), "width": self.width, "depth": self.depth}\n' in again


def test_a_method_reading_a_layer_attribute_keeps_it_in_the_fourth_style() -> None:
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
    # Made just before its call, as keras-hub makes its layers (emit/layer_attributes.py).
    assert "        self.out = layers.Dense(1)\n        outputs = self.out(hidden)\n" in convert(source, FS)


EARLY_HEAD = BACKBONE.replace(
    "        outputs = layers.Dense(1)(x)\n", "        self.head = layers.Dense(1)\n        outputs = self.head(x)\n"
)


def test_a_layer_kept_as_an_attribute_before_super_is_the_layer_it_names() -> None:
    (model,) = find_models(EARLY_HEAD)
    assert model.problem is None
    lint(model.graph)
    assert [layer.name for layer in model.graph.layers][-1] == "head"
    functional = convert(EARLY_HEAD, Style.FUNCTIONAL)
    assert "    head = layers.Dense(1)\n    outputs = head(x)\n" in functional
    assert "self" not in functional
    subclass = convert(EARLY_HEAD, Style.SUBCLASS)
    assert "        self.head = layers.Dense(1)\n" in subclass
    assert "        return self.head(x)\n" in subclass


def test_the_file_reading_a_layer_attribute_keeps_it_a_class() -> None:
    reads = EARLY_HEAD + "weights = model.head.kernel\n"
    assert refusal(reads, Style.FUNCTIONAL) == [
        "m.py:19:11: error: `model.head` reads an attribute the class sets in __init__; a functional model"
        " has no such attribute (hint: keep this model a subclass, or reach the layer by its name"
        " (`model.get_layer(...)`))"
    ]
    assert "        self.head = layers.Dense(1)\n" in convert(reads, Style.SUBCLASS)


@pytest.mark.parametrize(
    ("before", "message"),
    [
        (
            "        register(self)\n",
            "m.py:7:18: error: this statement passes `self` on before `super().__init__(...)`",
        ),
        (
            "        scale = self.scale\n",
            "m.py:7:17: error: `self.scale` is read before `super().__init__(...)` but not set there",
        ),
        (
            "        self.width_ = width\n        self.inputs_ = 1\n        inputs_ = self.inputs_\n",
            "m.py:8:9: error: `self.inputs_` and the name `inputs_` are both used in `__init__`",
        ),
    ],
)
def test_self_before_super_that_is_not_a_layer_name_is_refused_by_line(before: str, message: str) -> None:
    source = BACKBONE.replace("        inputs = keras.Input(shape=(16,))\n", before + "        inputs = keras.Input(shape=(16,))\n")
    assert refusal(source, Style.FUNCTIONAL)[0].startswith(message)


COMPILED = BACKBONE.replace(
    "        self.depth = depth\n",
    "        self.depth = depth\n        self.compile(loss=\"mse\")  # set up\n        self.scale = 2.0\n",
)


def test_what_follows_super_sets_the_model_up_in_every_style() -> None:
    subclass = convert(COMPILED, Style.SUBCLASS)
    assert (
        '        self.compile(loss="mse")  # set up\n        self.scale = 2.0\n\n    def call(self, inputs' in subclass
    )
    functional = convert(COMPILED, Style.FUNCTIONAL)
    assert functional.endswith(
        "    model = keras.Model(inputs=inputs, outputs=outputs, **kwargs)\n"
        '    model.compile(loss="mse")  # set up\n    model.scale = 2.0\n    return model\n\n\n'
        "model = Backbone(width=8)\n"
    )
    assert (
        '        self.depth = depth\n        self.compile(loss="mse")  # set up\n        self.scale = 2.0\n\n'
        in convert(subclass, FS)
    )


def test_setup_reading_the_graphs_tensors_is_refused_by_line() -> None:
    late = COMPILED.replace("        self.scale = 2.0\n", "        self.width_out = outputs.shape[-1]\n")
    for target in (Style.FUNCTIONAL, Style.SUBCLASS):
        assert refusal(late, target) == [
            "m.py:16:9: error: `self.width_out = outputs.shape[-1]` after `super().__init__(...)` reads `outputs`,"
            " which the graph code made; no other style has it there (hint: read it from the model"
            " (`self.get_layer(...)`, `self.output`), or keep this model in its current style)"
        ]


def test_setup_reading_what_a_subclass_has_only_once_built_is_refused_for_it() -> None:
    late = COMPILED.replace("        self.scale = 2.0\n", "        self.count = len(self.layers)\n")
    assert refusal(late, Style.SUBCLASS) == [
        "m.py:16:9: error: `self.count = len(self.layers)` names `self.layers`, which a subclass has only once"
        " it is built (hint: rename that attribute, or keep this model in its current style)"
    ]
    assert "    model.count = len(model.layers)\n" in convert(late, Style.FUNCTIONAL)


def test_a_class_already_in_the_fourth_style_is_left_as_it_is() -> None:
    assert convert(BACKBONE, FS) == BACKBONE


IMPORTED_BASE = EARLY_HEAD.replace("from keras import layers\n", "from keras import layers\nfrom keras_hub.models import Backbone\n").replace(
    "class Backbone(keras.Model):", "class TinyBackbone(Backbone):"
).replace("model = Backbone(width=8)", "model = TinyBackbone(width=8)")


def test_a_class_of_an_imported_model_base_is_read_as_the_fourth_style_and_kept_in_it() -> None:
    (model,) = find_models(IMPORTED_BASE)
    assert model.style is FS and model.problem is None
    lint(model.graph)
    assert convert(IMPORTED_BASE, FS) == IMPORTED_BASE
    for target in (Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS):
        assert refusal(IMPORTED_BASE, target) == [
            "m.py:6:20: error: `TinyBackbone` is a `Backbone`, a model class imported from elsewhere that kconvert"
            f" cannot read; a {target} model cannot be shown to be of that class (hint: keep this model a"
            " functional-subclass, or derive it from keras.Model to convert it)"
        ]


PICKED_CLASS = """\
import keras


class Net(keras.Model):
    def __init__(self, kind, units):
        inputs = keras.Input(shape=(5, 3))
        rnn = {
            "LSTM": keras.layers.LSTM,\x20
            "GRU": keras.layers.GRU
        }[kind](units, return_sequences=True)
        outputs = keras.layers.Dense(1)(rnn(inputs))
        super().__init__(inputs=inputs, outputs=outputs)


model = Net("GRU", 4)
"""


def test_a_layer_class_picked_by_a_multiline_expression_is_the_same_class_once_black_lays_it_out() -> None:
    functional = convert(PICKED_CLASS, Style.FUNCTIONAL)
    assert '    rnn = {"LSTM": keras.layers.LSTM, "GRU": keras.layers.GRU}[kind](\n' in functional
    assert "class Net(keras.Model):" in convert(PICKED_CLASS, Style.SUBCLASS)


BUILDER_GOES_ON = """\
import keras


def Net(units, **kwargs):
    inputs = keras.Input(shape=(4,))
    outputs = keras.layers.Dense(units)(inputs)
    model = keras.Model(inputs=inputs, outputs=outputs, **kwargs)
    model.compile(loss="mse")
    return model


model = Net(3, name="net")
"""


@pytest.mark.parametrize("target", [Style.SUBCLASS, FS])
def test_a_builder_that_goes_on_after_its_model_passes_its_kwargs_to_the_class(target: Style) -> None:
    assert "    model = MyModel(units=units, **kwargs)\n" in convert(BUILDER_GOES_ON, target)


NESTED = """\
import keras


class Pair(keras.Model):
    def __init__(self):
        super().__init__()
        self.first = Pair.Half()

    class Half(keras.Model):
        def __init__(self):
            inputs = keras.Input(shape=(3,))
            super().__init__(inputs=inputs, outputs=keras.layers.Dense(2)(inputs))
"""


def test_a_model_class_nested_in_a_class_is_refused_by_line_not_left_silently() -> None:
    for target in (Style.FUNCTIONAL, Style.SUBCLASS):
        assert refusal(NESTED, target) == [
            "m.py:9:5: error: the model class `Half` is defined inside the class `Pair`; kconvert converts model"
            " classes the module defines (hint: move `Half` to module level (`Pair` can still make it), or keep"
            " it in its current style)"
        ]
    assert convert(NESTED, FS) == NESTED


def test_a_method_of_the_class_called_before_super_is_read_where_it_is_called() -> None:
    source = BACKBONE.replace("        x = inputs\n", "        x = self.stem(inputs)\n").replace(
        "        self.depth = depth\n", "        self.depth = depth\n\n    def stem(self, x):\n        return layers.Dense(4)(x)\n"
    )
    assert "    x = layers.Dense(4)(inputs)\n" in convert(source, Style.FUNCTIONAL)
