"""Idioms of real model code found by session 13's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh13"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.ir.lint import lint
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.types import Options, Style

from converting import convert, refusal

FS = Style.FUNCTIONAL_SUBCLASS

# A course notebook's graded builder: the answer's `return model`, then the template's own
# `return model` below it, never reached.
BUILDER_WITH_DEAD_RETURN = """\
import keras
from keras import layers


def build(width):
    inputs = keras.Input(shape=(8,))
    x = layers.Dense(width, activation="relu")(inputs)
    outputs = layers.Dense(1)(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model

    return model


net = build(4)
"""


def test_a_builder_keeps_its_model_name_when_code_after_the_return_reads_it() -> None:
    # Before, `model = ...; return model` became `return MyModel(...)`, and the dead
    # `return model` read a name nothing bound: the safety check refused kconvert's output.
    assert convert(BUILDER_WITH_DEAD_RETURN, FS) == """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, width, **kwargs):
        inputs = keras.Input(shape=(8,))
        x = layers.Dense(width, activation="relu")(inputs)
        outputs = layers.Dense(1)(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.width = width

    def get_config(self):
        return {**super().get_config(), "width": self.width}


def build(width):
    model = MyModel(width=width)
    return model

    return model


net = build(4)
"""
    (site,) = find_sites(SourceFile.parse(BUILDER_WITH_DEAD_RETURN), Options())
    lint(site.graph)


def test_without_code_after_the_return_the_builder_returns_the_instance() -> None:
    source = BUILDER_WITH_DEAD_RETURN.replace("    return model\n\n    return model\n", "    return model\n")
    assert "def build(width):\n    return MyModel(width=width)\n" in convert(source, FS)


def test_a_model_bound_to_an_attribute_of_a_module_is_refused_where_it_is_made() -> None:
    # A tutorial series binds its models to the TensorFlow module itself; it was "no Keras model
    # found in this file" at 1:1.
    source = """\
    import tensorflow as tf

    tf.net = tf.keras.Sequential()
    tf.net.add(tf.keras.layers.Dense(4, input_dim=2))
    tf.net.compile(loss="mse", optimizer="sgd")
    """
    for target in Style:
        assert refusal(source, target) == [
            "m.py:3:10: error: this `tf.keras.Sequential(...)` is bound to `tf.net`, an attribute of"
            " another object: kconvert converts a model bound to a name (or to `self.<name>` in a"
            " method) or returned by a function"
            " (hint: bind it to a name (`model = tf.keras.Sequential(...)`), then use the name)"
        ]


def test_a_layer_imported_under_another_layers_name_is_named_as_imported() -> None:
    # A course script swaps in the cuDNN LSTM of Keras 2 under the name `LSTM` when a GPU is
    # there; the refusal asked "did you mean `LSTM`?" of code that says `LSTM`.
    source = """\
    import keras
    from keras.layers import Dense, LSTM

    try:
        from keras.layers import CuDNNLSTM as LSTM
    except ImportError:
        pass

    inputs = keras.Input(shape=(10, 3))
    x = LSTM(8)(inputs)
    outputs = Dense(1)(x)
    model = keras.Model(inputs, outputs)
    """
    assert refusal(source, Style.SUBCLASS) == [
        "m.py:10:5: error: `LSTM` is layers.CuDNNLSTM (imported under that name), which Keras 3 does"
        " not have (hint: import `LSTM` itself)"
    ]


def test_a_value_the_subclass_keeps_is_not_called_a_layer_in_the_hint() -> None:
    # A book's autoencoder keeps its loss history on the model (`self.history = []`) and plots
    # it; the hint said to reach "the layer" by its name.
    source = """\
    import keras
    from keras import layers


    class AE(keras.Model):
        def __init__(self):
            super().__init__()
            self.history = []
            self.code = layers.Dense(4)
            self.out = layers.Dense(8)

        def call(self, x):
            return self.out(self.code(x))


    autoencoder = AE()
    autoencoder(keras.Input(shape=(8,)))
    print(autoencoder.history)
    """
    assert refusal(source, Style.FUNCTIONAL) == [
        "m.py:18:7: error: `autoencoder.history` reads an attribute the class sets in __init__; a"
        " functional model has no such attribute (hint: keep this model a subclass, or set"
        " `autoencoder.history` after making the model)"
    ]


UNET_HEAD = """\
import keras
import numpy as np
from keras import layers


def tiny_unet(shape):
    inputs = keras.Input(shape)
    down = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    up = layers.Conv2D(4, 3, padding="same", activation="relu")(down)
    merged = layers.concatenate([down, up])
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(merged)
    return keras.Model(inputs=[inputs], outputs=[outputs])


model = tiny_unet((16, 16, 1))
images = np.zeros((2, 16, 16, 1))
"""


def test_a_model_listing_its_one_input_becomes_a_subclass_that_takes_the_tensor() -> None:
    # keras-unet's U-Nets and a Kaggle U-Net write `inputs=[inputs], outputs=[outputs]`; a graph
    # model unpacks both, so the class's call() takes and returns the tensor itself.
    converted = convert(UNET_HEAD + "model.fit(images, images)\n", Style.SUBCLASS)
    assert """\
    def call(self, inputs, training=None):
        down = self.down(inputs)
        up = self.up(down)
        merged = self.merged([down, up])
        return self.conv(merged)
""" in converted
    assert converted.endswith("model.fit(images, images)\n")


def test_handing_the_model_its_one_input_in_a_list_is_refused_to_a_subclass() -> None:
    # The graph model unpacks `[images]`; a subclass's call() would get the list.
    for listed in ("model.fit([images], images)", "model.predict(x=[images])", "model((images,))"):
        (message,) = refusal(UNET_HEAD + listed + "\n", Style.SUBCLASS)
        called = listed.split("(")[0]
        assert message == (
            f"m.py:17:1: error: `{called}(...)` hands the model its one input in a list, which a"
            " functional model unpacks and a subclass's call() would get as written"
            " (hint: pass the input itself, or keep this model functional)"
        )


def test_a_list_of_values_given_to_the_model_is_its_data_not_its_input_in_a_list() -> None:
    # `model.predict([17.0])` (a regression notebook) and `predict([["some text"]])` hand the
    # model one sample, which a subclass takes as the graph model does.
    for data in ("[17.0]", "[[0.5] * 16]", '[["a sentence"]]'):
        assert convert(UNET_HEAD + f"model.predict({data})\n", Style.SUBCLASS).endswith(f"model.predict({data})\n")
