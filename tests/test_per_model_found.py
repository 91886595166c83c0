"""Models found by converting each model of the real files alone (benchmarks/realworld/per_model.py),
as a mixed file's refusal tells the user to with --model: the safety check must read back the file
kconvert wrote, with the one model converted and the others as they were."""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Style

# Keras' ACGAN example: each builder makes a Sequential `cnn` and calls it in the Functional model
# it returns.  Converted alone to the fourth style, `cnn` becomes a class at module level, made in
# the builder with what it read there; the check read that instance as a layer of its own.
BUILDERS = """\
import keras
from keras import layers


def build_generator(latent_size):
    cnn = keras.Sequential()
    cnn.add(layers.Dense(8, input_dim=latent_size, activation="relu"))
    cnn.add(layers.Dense(4))
    latent = keras.Input(shape=(latent_size,))
    label = keras.Input(shape=(1,), dtype="int32")
    cls = layers.Flatten()(layers.Embedding(10, latent_size)(label))
    h = layers.multiply([latent, cls])
    return keras.Model([latent, label], cnn(h))


def build_discriminator():
    cnn = keras.Sequential()
    cnn.add(layers.Dense(8, input_shape=(4,)))
    cnn.add(layers.Dense(4))
    image = keras.Input(shape=(4,))
    features = cnn(image)
    return keras.Model(image, [layers.Dense(1)(features), layers.Dense(10)(features)])
"""


def converted(text: str, target: Style, model: str) -> str:
    result = convert_source(textwrap.dedent(text), target, Options(model=model), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result.source


def test_a_builders_sequential_is_converted_with_the_builders_model() -> None:
    # The `cnn` each builder grows before its inputs is the builder's model's own layer (as
    # `cnn = Sequential([...])` is): converted alone it was a class at module level the builder
    # made; now it moves with its model, and alone it is refused with that remedy.
    result = convert_source(textwrap.dedent(BUILDERS), Style.FUNCTIONAL_SUBCLASS, Options(model="cnn:6"), "m.py")
    assert not isinstance(result, Converted)
    assert result.diagnostics[0].render().startswith(
        "m.py:6:5: error: `cnn` is made among the lines of `build_generator`, which uses it as a layer"
    )
    generator = converted(BUILDERS, Style.FUNCTIONAL_SUBCLASS, "build_generator")
    assert "        cnn = keras.Sequential()\n        cnn.add(layers.Dense(8, input_dim=latent_size" in generator
    subclass = converted(BUILDERS, Style.SUBCLASS, "build_discriminator")
    assert "        self.cnn = keras.Sequential()\n        self.cnn.add(layers.Dense(8, input_shape=(4,)))\n" in subclass


# Keras' bAbI memory network: three encoders, each a Sequential built by `.add()` among the lines
# of the model that calls them.  They are that model's layers: converting one alone would change
# the model's code, and the model converts with them.
ENCODERS = """\
import keras
from keras import layers

story = keras.Input((20,))
question = keras.Input((5,))
story_encoder = keras.Sequential()
story_encoder.add(layers.Embedding(input_dim=50, output_dim=8))
story_encoder.add(layers.Dropout(0.3))
question_encoder = keras.Sequential()
question_encoder.add(layers.Embedding(input_dim=50, output_dim=8))
question_encoder.add(layers.Dropout(0.3))
match = layers.dot([story_encoder(story), question_encoder(question)], axes=(2, 2))
answer = layers.Dense(50)(layers.Flatten()(match))
model = keras.Model([story, question], answer)
"""


def test_encoders_built_among_a_models_lines_convert_with_that_model() -> None:
    for target in (Style.FUNCTIONAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
        result = convert_source(ENCODERS, target, Options(model="story_encoder"), "m.py")
        assert not isinstance(result, Converted), result.source
        assert "`story_encoder` is made among the lines of `model`" in result.diagnostics[0].render()
    for target in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
        out = converted(ENCODERS, target, "model")
        assert "question_encoder = keras.Sequential()\n" in out
        assert "question_encoder.add(layers.Embedding(input_dim=50, output_dim=8))\n" in out


# The colorization network of Rabbit1010's tutorial: a builder's model, made by another builder
# and called on two inputs.  Its class made by a function call, not a model the original bound to
# that name, stays what the original made it.
SHARED_BUILDER = """\
import tensorflow as tf
from tensorflow.keras import layers


def Low_Level():
    inputs = tf.keras.Input(shape=(8,))
    outputs = layers.Dense(4)(inputs)
    return tf.keras.Model(inputs, outputs, name="low")


def network():
    a = tf.keras.Input(shape=(8,))
    b = tf.keras.Input(shape=(8,))
    shared = Low_Level()
    x = shared(a)
    y = shared(b)
    outputs = layers.Dense(1)(layers.concatenate([x, y]))
    return tf.keras.Model(inputs=[a, b], outputs=outputs)
"""


def test_a_builders_model_another_builder_calls_twice_converts_to_the_fourth_style() -> None:
    result = convert_source(SHARED_BUILDER, Style.FUNCTIONAL_SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
