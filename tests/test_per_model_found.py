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


def test_a_builders_sequential_made_a_class_is_still_the_model_the_builder_calls() -> None:
    generator = converted(BUILDERS, Style.FUNCTIONAL_SUBCLASS, "cnn:6")
    assert "    cnn = CNN(latent_size=latent_size)\n" in generator
    discriminator = converted(BUILDERS, Style.FUNCTIONAL_SUBCLASS, "cnn:17")
    assert "    cnn = CNN()\n" in discriminator


# Keras' bAbI memory network: three encoders, each a Sequential built by `.add()` among the lines
# of the model that calls them, which kconvert cannot read.  Converting one encoder alone changes
# which line that model is first refused at, not that it is refused: the check compared the
# reasons' text and refused its own output.
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


def test_an_encoder_built_among_an_unreadable_models_lines_converts_alone() -> None:
    for target in (Style.FUNCTIONAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
        out = converted(ENCODERS, target, "story_encoder")
        assert "question_encoder = keras.Sequential()\nquestion_encoder.add(" in out
        assert "story_encoder.add(" not in out


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
