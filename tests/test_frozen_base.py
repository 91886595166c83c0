"""A frozen model stored by a subclass (issue 9): the transfer-learning idiom ``base = ...``,
``base.trainable = False``, ``self.base = base``.

Reading it back took ``base.trainable = False`` for a new binding of ``base``, so the layer
was an unknown name and every other style was refused by kconvert's own safety check. In the
Functional forms the freeze stands before the graph calls the base, as a Keras user writes it.
The expected outputs are written as a Keras user would write them.
"""

from __future__ import annotations

import pytest

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

SUBCLASS = """\
import keras
from keras import layers


class Classifier(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        base = keras.Sequential(
            [layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D()],
            name="base",
        )
        base.trainable = False
        self.base = base
        self.head = layers.Dense(num_classes)

    def call(self, inputs):
        return self.head(self.base(inputs))


model = Classifier()
model(keras.Input(shape=(32, 32, 3)))
"""

FUNCTIONAL = """\
import keras
from keras import layers


def Classifier(num_classes=10):
    inputs = keras.Input(shape=(32, 32, 3))
    base = keras.Sequential(
        [layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D()],
        name="base",
    )
    base.trainable = False
    x = base(inputs)
    outputs = layers.Dense(num_classes)(x)
    return keras.Model(inputs=inputs, outputs=outputs)


model = Classifier()
"""

GRAPH_CLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Classifier(keras.Model):
    def __init__(self, num_classes=10, **kwargs):
        inputs = keras.Input(shape=(32, 32, 3))
        base = keras.Sequential(
            [layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D()],
            name="base",
        )
        base.trainable = False
        x = base(inputs)
        outputs = layers.Dense(num_classes)(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.num_classes = num_classes

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


model = Classifier()
"""

# The base is no layer of the list's own making: it is made and frozen before the model.
SEQUENTIAL = """\
import keras
from keras import layers


def Classifier(num_classes=10):
    base = keras.Sequential(
        [layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D()],
        name="base",
    )
    base.trainable = False
    return keras.Sequential(
        [
            keras.Input(shape=(32, 32, 3)),
            base,
            layers.Dense(num_classes),
        ]
    )


model = Classifier()
"""

EXPECTED = {F: FUNCTIONAL, G: GRAPH_CLASS, S: SEQUENTIAL}


@pytest.mark.parametrize("target", [F, G, S], ids=str)
def test_a_frozen_base_stored_by_a_subclass_converts(target: Style) -> None:
    out = convert(SUBCLASS, target)
    assert out == EXPECTED[target]
    for model in find_models(out):
        lint(model.graph)
    assert convert(out, target) == out


def test_the_way_back_freezes_the_base_on_its_attribute() -> None:
    # As the Keras transfer learning guide writes it in a class, and as the reader takes it back.
    out = convert(FUNCTIONAL, C)
    assert (
        "        self.base = keras.Sequential(\n"
        "            [layers.Conv2D(8, 3, activation=\"relu\"), layers.GlobalAveragePooling2D()],\n"
        "            name=\"base\",\n"
        "        )\n"
        "        self.base.trainable = False\n"
        "        self.dense = layers.Dense(num_classes)\n"
    ) in out
    assert "        x = self.base(inputs)\n" in out
    assert "    base.trainable = False\n    x = base(inputs)\n" in convert(out, F)


@pytest.mark.parametrize(
    "made",
    [
        # The local stored, then frozen through the attribute.
        ("        base.trainable = False\n        self.base = base\n", "        self.base = base\n        self.base.trainable = False\n"),
        # Made on the attribute and frozen there: the reader names the layer by its attribute.
        ("        base = keras.Sequential(", "        self.base = keras.Sequential("),
    ],
    ids=["stored-then-frozen", "made-on-the-attribute"],
)
def test_a_layer_changed_through_its_attribute_converts(made: tuple[str, str]) -> None:
    text = SUBCLASS.replace(*made)
    if made[1].startswith("        self.base = keras"):
        text = text.replace("        base.trainable = False\n        self.base = base\n", "        self.base.trainable = False\n")
    assert convert(text, F) == FUNCTIONAL


@pytest.mark.tensorflow
@pytest.mark.parametrize("target", [F, G, S], ids=str)
def test_the_converted_model_is_the_same_frozen_model(target: Style) -> None:
    from kconvert.verify import verify_sources

    report = verify_sources(SUBCLASS, EXPECTED[target])
    assert report.exit_code == 0, report.render()


SIAMESE = """\
import keras
from keras import layers


class Siamese(keras.Model):
    def __init__(self):
        super().__init__()
        self.base = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(4)])
        self.base.trainable = False
        self.head = layers.Dense(1)

    def call(self, inputs):
        a, b = inputs
        return self.head(self.base(a) - self.base(b))


model = Siamese()
model([keras.Input(shape=(3,)), keras.Input(shape=(3,))])
"""

SIAMESE_FUNCTIONAL = """\
import keras
from keras import layers

a = keras.Input(shape=(3,))
b = keras.Input(shape=(3,))
base = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(4)])
base.trainable = False
x = base(a)
x_1 = base(b)
outputs = layers.Dense(1)(x - x_1)
model = keras.Model(inputs=[a, b], outputs=outputs)
"""


def test_a_frozen_base_called_twice_is_made_once_and_stays_frozen() -> None:
    # A siamese pair through one frozen base. The reader crashed (KeyError on a node it had made
    # for the local it reads `self.base.trainable = False` as); past that, the graph made the base
    # a second time after the freeze, `base = keras.Sequential(...)` again, so both calls went
    # through a trainable copy, and the safety check, which compares no statements, let it pass.
    assert convert(SIAMESE, F) == SIAMESE_FUNCTIONAL
    graph_class = convert(SIAMESE, G)
    assert graph_class.count("base = keras.Sequential(") == 1
    assert "        base.trainable = False\n        x = base(a)\n        x_1 = base(b)\n" in graph_class


def test_the_verifier_pairs_the_class_s_sequential_inside_the_model_written_from_it() -> None:
    # `self.base = keras.Sequential(...)` becomes `base = keras.Sequential(...)` among the
    # Functional model's lines: one more model of the converted file, compared inside `model`,
    # not an error for a model the original has no partner of ("no model named 'base'").
    from kconvert.verify.plan import plan

    planned = plan(((SIAMESE, "a.py"), (SIAMESE_FUNCTIONAL, "b.py")), None, (1e-4, 1e-4), None)
    assert not planned.report.problem
    assert [(pair[0].name, pair[1].name) for pair in planned.pairs] == [("model", "model")]
    assert planned.report.models == ()


@pytest.mark.tensorflow
def test_the_siamese_pair_is_the_same_frozen_model() -> None:
    from kconvert.verify import verify_sources

    report = verify_sources(SIAMESE, SIAMESE_FUNCTIONAL)
    assert report.exit_code == 0, report.render()
