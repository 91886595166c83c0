"""Idioms of session 32's fresh real-world files (benchmarks/realworld, ``session = "fresh32"``)."""

from __future__ import annotations

from converting import C, F, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

INPUT_LISTED = """\
from tensorflow.keras import layers, models

inputs = layers.Input(shape=(40, 1))
model = models.Sequential([
    inputs,
    layers.Conv1D(8, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""


def test_an_input_made_before_a_sequential_and_listed_first_is_its_input() -> None:
    # A deepfake-audio classifier: `inputs = layers.Input(...)` then `Sequential([inputs, ...])`,
    # which Keras reads as that input layer. kconvert took the line for a layer's and refused
    # "unknown layer `layers.Input`: Keras 3 has no layers.Input", which it has.
    functional = convert(INPUT_LISTED, F)
    assert 'layers.Input(shape=(40, 1))\nx = layers.Conv1D(8, 3, activation="relu")(inputs' in functional
    assert functional.count("layers.Input(") == 1
    subclass = convert(INPUT_LISTED, C)
    assert "model(layers.Input(shape=(40, 1)))\n" in subclass
    assert "self.input" not in subclass
    assert "        inputs = layers.Input(shape=(40, 1))\n" in convert(INPUT_LISTED, FS)


def test_an_input_listed_first_and_read_later_stays_and_is_no_layer_of_the_class() -> None:
    # Read after the model, the line stays; the class must not keep the tensor as a layer and call
    # it (`self.input_layer = inputs`, then `self.input_layer(inputs)` in call(): exit 0, and a
    # model that fails when called).
    text = INPUT_LISTED.replace('model.compile(optimizer="adam", loss="binary_crossentropy")\n', "print(inputs.shape)\n")
    subclass = convert(text, C)
    assert "self.input_layer" not in subclass
    assert subclass.startswith("from tensorflow.keras import layers, models, utils\n\ninputs = layers.Input(shape=(40, 1))\n")
    assert "model(layers.Input(shape=(40, 1)))\nprint(inputs.shape)\n" in subclass
    functional = convert(text, F)
    assert functional.count("layers.Input(shape=(40, 1))") == 2
    assert "print(inputs.shape)\n" in functional


def test_an_input_made_apart_and_listed_after_the_first_layer_is_refused() -> None:
    text = """\
from tensorflow.keras import layers, models

inputs = layers.Input(shape=(40,))
model = models.Sequential([layers.Flatten(), inputs, layers.Dense(1)])
"""
    for target in (F, C, FS):
        (line,) = refusal(text, target)
        assert line.startswith("m.py:4:46: error: an input can only be the first element of a Sequential model")


NESTED_BY_NAME = """\
from tensorflow.keras import layers, models


def make(size):
    encoder = models.Sequential([
        layers.Dense(16, activation="relu", input_shape=(size,)),
        layers.Dense(4, activation="relu"),
    ])
    decoder = models.Sequential([
        layers.Dense(16, activation="relu", input_shape=(4,)),
        layers.Dense(size, activation="sigmoid"),
    ])
    model = models.Sequential([encoder, decoder])
    model.compile(optimizer="adam", loss="mse")
    return model
"""


def test_a_sequential_of_two_sequentials_made_by_name_takes_the_first_ones_input() -> None:
    # An autoencoder written `Sequential([encoder, decoder])`, `encoder`'s first layer with
    # `input_shape=`: Keras builds the outer model from `encoder`'s input, kconvert refused that it
    # has none (to Functional and functional-subclass) and made the class without its build line.
    functional = convert(NESTED_BY_NAME, F)
    assert (
        "    inputs = layers.Input(shape=(size,))\n"
        "    x = encoder(inputs)\n"
        "    outputs = decoder(x)\n"
        "    model = models.Model(inputs=inputs, outputs=outputs)\n"
    ) in functional
    assert "    model = MyModel(size=size)\n    model(layers.Input(shape=(size,)))\n" in convert(NESTED_BY_NAME, C)
    assert "        inputs = layers.Input(shape=(size,))\n        x = encoder(inputs)\n" in convert(NESTED_BY_NAME, FS)


def test_a_sequential_of_two_module_level_sequentials_takes_the_first_ones_input() -> None:
    text = """\
from tensorflow.keras import layers, models

encoder = models.Sequential([layers.Dense(4, input_shape=(32,))])
decoder = models.Sequential([layers.Dense(32, input_shape=(4,))])
autoencoder = models.Sequential([encoder, decoder])
"""
    assert (
        "inputs = layers.Input(shape=(32,))\n"
        "x = encoder(inputs)\n"
        "outputs = decoder(x)\n"
        "autoencoder = models.Model(inputs=inputs, outputs=outputs)\n"
    ) in convert(text, F)


GUARDED = """\
import keras
from keras import layers

VARIANTS = {"small": 8}


def build(variant):
    inputs = keras.Input(shape=(4,))
    if variant not in VARIANTS:
        print("unknown variant")
        return None
    outputs = layers.Dense(VARIANTS[variant])(inputs)
    return keras.Model(inputs, outputs)


model = build("small")
"""


def test_a_return_in_a_branch_before_the_model_is_refused_for_what_it_does() -> None:
    # An arithmetic network's builder returns None for an unknown variant: the refusal said that
    # what follows never runs, which is true only of a return outside any branch.
    for target in (C, FS):
        assert refusal(GUARDED, target) == [
            "m.py:11:9: error: `return None` returns before the model is made, when its branch runs;"
            " kconvert keeps no return among the model's lines (hint: remove the early return (raise an"
            " error there instead), or keep the model in its current style)"
        ]
    raising = GUARDED.replace("        return None\n", "        raise ValueError(variant)\n")
    assert "        raise ValueError(variant)\n" in convert(raising, FS)


def test_a_test_of_how_the_model_is_called_is_refused_for_what_it_is() -> None:
    # halimelsaputra's CVAE encoder: `if isinstance(inputs, (list, tuple)):` in call() was refused
    # to a graph as an `if` that "depends on tensor values"; it asks how the model is called.
    source = """\
    import keras
    from keras import layers


    class Encoder(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = layers.Dense(4)
            self.concat = layers.Concatenate()

        def call(self, inputs):
            if isinstance(inputs, (list, tuple)):
                inputs = self.concat(inputs)
            return self.dense(inputs)


    model = Encoder()
    model([keras.Input(shape=(3,)), keras.Input(shape=(2,))])
    """
    assert refusal(source, F) == [
        "m.py:12:9: error: this `if` tests the type of a tensor argument (`isinstance`), how the model is"
        " called; a graph model is built for one structure of inputs, which decides it once (hint: remove"
        " the test for the structure the model is built with, or keep the model a subclass)"
    ]
