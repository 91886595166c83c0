"""A Sequential whose first layer is made apart, above the model (``encoder = Dense(8,
input_shape=[4])`` then ``Sequential([encoder, ...])``, TF Hub's ``hub.KerasLayer`` in the
TensorFlow tutorials): the Input its ``input_shape=`` gives takes no comment of the line that
lists the layer, which goes with the layer's call, and what titled the Sequential's statement
goes above the Input, where the model's code starts now (it went under the layers, above
``keras.Model(...)``)."""

from __future__ import annotations

from converting import F, convert
from kconvert.ir.lint import lint
from kconvert.parse.finder import find_sites
from kconvert.parse.source import SourceFile
from kconvert.types import Options, Style

APART = """\
import keras
from keras import layers

# A layer made apart
encoder = layers.Dense(8,
                       input_shape=[4], # four features
                       name="enc") # the encoder


# Create the model
model = keras.Sequential([
    encoder, # encode
    layers.Dense(1),
])
model.summary()
"""

APART_FUNCTIONAL = """\
import keras
from keras import layers

# A layer made apart
# four features
encoder = layers.Dense(8, name="enc")  # the encoder

# Create the model
inputs = keras.Input(shape=[4])
x = encoder(inputs)  # encode
outputs = layers.Dense(1)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.summary()
"""

APART_GRAPH_CLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        # A layer made apart
        # four features
        encoder = layers.Dense(8, name="enc")  # the encoder

        # Create the model
        inputs = keras.Input(shape=[4])
        x = encoder(inputs)  # encode
        outputs = layers.Dense(1)(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


model = MyModel()
model.summary()
"""


def test_the_graph_of_a_layer_made_apart_lints():
    (site,) = find_sites(SourceFile.parse(APART), Options())
    lint(site.graph)


def test_a_functional_model_titles_its_input_and_says_the_listed_layers_comment_at_its_call():
    assert convert(APART, F) == APART_FUNCTIONAL


def test_a_graph_class_does_the_same_in_its_constructor():
    assert convert(APART, Style.FUNCTIONAL_SUBCLASS) == APART_GRAPH_CLASS
