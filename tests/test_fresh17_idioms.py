"""Idioms of real model code found by session 17's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh17"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# GAN book scripts: each builder names its input's shape in a local of its own first.
SHAPE_IN_A_BUILDER_LOCAL = """\
from keras import Input, Model
from keras.layers import Conv2D, Dense, Flatten


def build_critic():
    image_shape = (12, 12, 1)
    depth = 2
    inputs = Input(shape=image_shape)
    x = inputs
    for i in range(depth):
        x = Conv2D(4 * (i + 1), 3, strides=2, padding="same")(x)
    x = Flatten()(x)
    outputs = Dense(1)(x)
    return Model(inputs, outputs)


critic = build_critic()
"""


def test_a_shape_only_the_input_reads_stays_with_the_line_that_builds_the_instance() -> None:
    # Before: "internal error ... would read `image_shape`, which is not defined where it is
    # read": the statement went into the class's __init__, and the build line in the builder
    # read it there.  `depth`, which the layers read, is the class's.
    assert convert(SHAPE_IN_A_BUILDER_LOCAL, C) == """\
from keras import Input, Model, saving
from keras.layers import Conv2D, Dense, Flatten


@saving.register_keras_serializable(package="m")
class Critic(Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        depth = 2
        self.depth = depth
        self.conv_layers = [
            Conv2D(4 * (i + 1), 3, strides=2, padding="same") for i in range(depth)
        ]
        self.flatten = Flatten()
        self.dense = Dense(1)

    def call(self, inputs, training=None):
        x = inputs
        for conv in self.conv_layers:
            x = conv(x)
        x = self.flatten(x)
        return self.dense(x)


def build_critic():
    image_shape = (12, 12, 1)
    model = Critic()
    model(Input(shape=image_shape))
    return model


critic = build_critic()
"""


# The same, in a builder named like a class, which a class usually replaces outright.
SHAPE_IN_A_CLASS_LIKE_BUILDER = """\
from keras import Input, Model
from keras.layers import Dense


def Critic():
    features = (6,)
    inputs = Input(shape=features)
    outputs = Dense(1)(inputs)
    return Model(inputs, outputs)


critic = Critic()
critic.summary()
"""


def test_a_class_like_builder_whose_input_reads_its_local_stays_to_build_the_model() -> None:
    # Replaced by the class, the function's callers would make a model that nothing builds
    # (its local shape gone with it): it stays, as when the input reads its parameters.
    out = convert(SHAPE_IN_A_CLASS_LIKE_BUILDER, C)
    assert out[out.index("def Critic") :] == """\
def Critic():
    features = (6,)
    model = CriticModel()
    model(Input(shape=features))
    return model


critic = Critic()
critic.summary()
"""
