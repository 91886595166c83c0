"""``model.layers[i]`` after a model whose style changes (issue 9): a graph model lists its
InputLayer first and a Sequential model does not, so the same layer is renumbered by one, as a
person converting by hand would; positions of a subclass's layers are never carried over, except to
a subclass written from a Sequential chain, whose constructor makes the layers in the list's order."""

from __future__ import annotations

import pytest

from kconvert.types import Style

from converting import convert, refusal

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

SEQUENTIAL = """\
import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input((28, 28)),
        layers.Flatten(),
        layers.Dense(30, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
hidden1 = model.layers[1]
last = model.layers[-1]
weights, biases = model.layers[2].get_weights()
"""

USES_IN_A_GRAPH = """\
hidden1 = model.layers[2]
last = model.layers[-1]
weights, biases = model.layers[3].get_weights()
"""


@pytest.mark.parametrize("target", [F, G], ids=str)
def test_positions_from_the_start_move_past_the_input_layer(target: Style) -> None:
    out = convert(SEQUENTIAL, target)
    assert out.endswith(USES_IN_A_GRAPH)
    # Back in Sequential (a builder named like the class, from the graph class), as the source numbered.
    assert convert(out, S).endswith(SEQUENTIAL[SEQUENTIAL.index("hidden1 =") :])
    if target is F:
        assert convert(out, S) == SEQUENTIAL


def test_a_graph_and_its_graph_class_list_the_same_layers() -> None:
    graph = convert(SEQUENTIAL, F)
    assert convert(graph, G).endswith(USES_IN_A_GRAPH)


def test_the_input_layer_has_no_place_in_a_sequential_model() -> None:
    graph = convert(SEQUENTIAL, F).replace("model.layers[2]", "model.layers[0]")
    assert refusal(graph, S) == [
        "m.py:9:11: error: `model.layers[0]` is the model's InputLayer, which a sequential model does not"
        " list among its layers (hint: keep this model functional, or reach the input as `model.inputs[0]`)"
    ]


def test_a_subclass_made_from_a_chain_keeps_its_positions() -> None:
    # Its constructor makes the layers in the list's order, one attribute each.
    out = convert(SEQUENTIAL, C)
    assert out.endswith(SEQUENTIAL[SEQUENTIAL.index("hidden1 =") :])


LOOP = """\
import keras
from keras import layers

model = keras.Sequential()
model.add(keras.Input((8,)))
for units in (16, 8):
    model.add(layers.Dense(units))
model.add(layers.Dense(1))
last_hidden = model.layers[1]
"""


def test_a_subclass_holding_layers_in_a_list_is_not_renumbered() -> None:
    assert refusal(LOOP, C) == [
        "m.py:9:15: error: `model.layers[1]` picks a layer by its position, which the conversion changes:"
        " only a Functional model lists its InputLayer, and a subclass lists layers in the order its"
        " constructor makes them (hint: keep this model sequential, or pick the layer by name (`get_layer(...)`))"
    ]


ASSIGNED_OUT_OF_ORDER = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.head = layers.Dense(2)
        self.body = layers.Dense(8)

    def call(self, inputs):
        return self.head(self.body(inputs))


model = Net()
model.build((None, 4))
last = model.layers[-1]
"""


@pytest.mark.parametrize("target", [F, G, S], ids=str)
def test_a_subclass_layer_picked_from_the_end_is_refused(target: Style) -> None:
    # The subclass lists [head, body]; a graph lists [input, body, head]: `layers[-1]` is another layer.
    assert refusal(ASSIGNED_OUT_OF_ORDER, target) == [
        "m.py:17:8: error: `model.layers[-1]` picks a layer by its position: a subclass lists its layers in"
        f" the order its constructor assigns them, a {target} model in the order the graph calls them"
        " (hint: pick the layer by name (`model.get_layer(...)`), or keep this model a subclass)"
    ]


@pytest.mark.tensorflow
@pytest.mark.parametrize("target", [F, G, C], ids=str)
def test_the_renumbered_position_names_the_same_layer(target: Style) -> None:
    def picked(code: str) -> list[tuple[str, int | None]]:
        space: dict = {}
        exec(compile(code, "m.py", "exec"), space)
        return [(type(space[name]).__name__, getattr(space[name], "units", None)) for name in ("hidden1", "last")]

    assert picked(convert(SEQUENTIAL, target)) == picked(SEQUENTIAL) == [("Dense", 30), ("Dense", 10)]


# keras.io's near-duplicate search picks a layer of another model for its own: the new code of the
# second model is kconvert's, where no renumbering reaches (found silently wrong to Functional).
PICKED_BY_A_MODEL = """\
import keras
from keras import layers

base = keras.Sequential([keras.Input((8,)), layers.Dense(8), layers.Dense(8, activation="relu")])

model = keras.Sequential([keras.Input((8,)), layers.Rescaling(0.5), base.layers[1], layers.Dense(3)])
"""


@pytest.mark.parametrize("target", [F, G], ids=str)
def test_a_position_picked_inside_another_models_code_is_refused(target: Style) -> None:
    assert refusal(PICKED_BY_A_MODEL, target)[0] == (
        "m.py:6:69: error: `base.layers[1]` picks a layer of `base` by its position inside another model's"
        f" code, and the conversion to {target} moves it: only a graph model lists its InputLayer (hint: pick"
        " the layer by name (`base.get_layer(...)`), or keep `base` sequential (--model picks the models to"
        " convert))"
    )


def test_a_layer_picked_from_a_loaded_model_is_a_subclass_attribute_of_its_own() -> None:
    loaded = PICKED_BY_A_MODEL.replace(PICKED_BY_A_MODEL.splitlines()[3], 'base = keras.models.load_model("base.keras")')
    assert "        self.base_layers_1 = base.layers[1]\n" in convert(loaded, C)
