"""A Sequential model that adds other layers in each branch of an ``if`` / ``else`` (issue 9):
the Keras 2 examples' ``if K.image_data_format() == "channels_first": model.add(...) else:
model.add(...)`` between other adds.

Reading it gives the IR's ``Cond`` with an ``orelse``, which the Functional and class writers
already write (the Keras Applications heads); the Sequential writer writes it back as the same
``if`` / ``elif`` / ``else`` of ``add()`` calls. The expected outputs are written as a Keras user
would write them.
"""

from __future__ import annotations

import pytest

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert, refusal

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

SEQUENTIAL = """\
import keras
from keras import backend as K
from keras import layers

num_classes = 10

model = keras.Sequential()
model.add(keras.Input(shape=(28, 28, 1)))
model.add(layers.Conv2D(8, 3, activation="relu"))
if K.image_data_format() == "channels_first":
    model.add(layers.MaxPooling2D(2, data_format="channels_first"))
else:
    model.add(layers.MaxPooling2D(2))
    model.add(layers.BatchNormalization())
model.add(layers.Flatten())
model.add(layers.Dense(num_classes, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
"""

FUNCTIONAL = """\
import keras
from keras import backend as K
from keras import layers

num_classes = 10

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3, activation="relu")(inputs)
if K.image_data_format() == "channels_first":
    x = layers.MaxPooling2D(2, data_format="channels_first")(x)
else:
    x = layers.MaxPooling2D(2)(x)
    x = layers.BatchNormalization()(x)
x = layers.Flatten()(x)
outputs = layers.Dense(num_classes, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(loss="categorical_crossentropy", optimizer="adam")
"""

SUBCLASS = """\
import keras
from keras import backend as K
from keras import layers

num_classes = 10


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(8, 3, activation="relu")
        if K.image_data_format() == "channels_first":
            self.pool1 = layers.MaxPooling2D(2, data_format="channels_first")
        else:
            self.pool2 = layers.MaxPooling2D(2)
            self.bn = layers.BatchNormalization()
        self.flatten = layers.Flatten()
        self.dense = layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=None):
        x = self.conv(inputs)
        if K.image_data_format() == "channels_first":
            x = self.pool1(x)
        else:
            x = self.pool2(x)
            x = self.bn(x, training=training)
        x = self.flatten(x)
        return self.dense(x)


model = MyModel()
model(keras.Input(shape=(28, 28, 1)))
model.compile(loss="categorical_crossentropy", optimizer="adam")
"""

GRAPH_CLASS = """\
import keras
from keras import backend as K
from keras import layers

num_classes = 10


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        inputs = keras.Input(shape=(28, 28, 1))
        x = layers.Conv2D(8, 3, activation="relu")(inputs)
        if K.image_data_format() == "channels_first":
            x = layers.MaxPooling2D(2, data_format="channels_first")(x)
        else:
            x = layers.MaxPooling2D(2)(x)
            x = layers.BatchNormalization()(x)
        x = layers.Flatten()(x)
        outputs = layers.Dense(num_classes, activation="softmax")(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


model = MyModel()
model.compile(loss="categorical_crossentropy", optimizer="adam")
"""

EXPECTED = {F: FUNCTIONAL, C: SUBCLASS, G: GRAPH_CLASS}


@pytest.mark.parametrize("target", [F, C, G], ids=str)
def test_adds_in_both_branches_of_an_if_convert(target: Style) -> None:
    out = convert(SEQUENTIAL, target)
    assert out == EXPECTED[target]
    (model,) = find_models(out)
    lint(model.graph)
    assert convert(out, target) == out


def test_the_sequential_reading_is_an_if_with_an_else() -> None:
    (model,) = find_models(SEQUENTIAL)
    lint(model.graph)
    (cond,) = [node for node in model.graph.body if type(node).__name__ == "Cond"]
    assert [len(cond.body), len(cond.orelse)] == [1, 2]


def test_an_elif_stays_an_elif() -> None:
    text = SEQUENTIAL.replace("else:\n", 'elif K.image_data_format() == "channels_last":\n')
    assert (
        'elif K.image_data_format() == "channels_last":\n'
        "    x = layers.MaxPooling2D(2)(x)\n"
        "    x = layers.BatchNormalization()(x)\n"
    ) in convert(text, F)


def test_an_else_that_adds_nothing_is_not_read_as_layers() -> None:
    text = SEQUENTIAL.replace(
        "    model.add(layers.MaxPooling2D(2))\n    model.add(layers.BatchNormalization())\n",
        '    print("channels last")\n',
    )
    assert refusal(text, F)


def test_the_way_back_to_sequential_is_the_source() -> None:
    assert convert(FUNCTIONAL, S) == SEQUENTIAL


def test_an_elif_comes_back_as_an_elif() -> None:
    text = SEQUENTIAL.replace("else:\n", 'elif K.image_data_format() == "channels_last":\n')
    assert convert(convert(text, F), S) == text


def test_an_else_branch_that_leaves_the_chain_is_refused_at_its_if() -> None:
    text = FUNCTIONAL.replace("    x = layers.BatchNormalization()(x)\n", "    y = layers.BatchNormalization()(x)\n")
    assert refusal(text, S) == [
        "m.py:9:1: error: the block does not carry the previous layer's output on: a branch or pass leaves"
        " the chain (hint: keep this model in the Functional API, or convert it to a subclass)"
    ]


@pytest.mark.tensorflow
@pytest.mark.parametrize("target", [F, C, G], ids=str)
def test_the_branches_build_the_same_model(target: Style) -> None:
    from kconvert.verify import verify_sources

    report = verify_sources(SEQUENTIAL, EXPECTED[target])
    assert report.exit_code == 0, report.render()
