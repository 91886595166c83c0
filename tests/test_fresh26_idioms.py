"""Idioms of real model code found by session 26's fresh sample.

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh26"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.parse import find_models
from kconvert.types import Style
from kconvert.verify.source import ParseFailure, index_source

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A file saved by a Windows editor starts with a UTF-8 byte-order mark, which Python reads as no
# text; it was refused as "invalid non-printable character U+FEFF" in every direction, and the
# verifier could not parse it either.
BOM_SEQUENTIAL = """\
from tensorflow import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
"""

BOM_FUNCTIONAL = """\
from tensorflow import keras

inputs = keras.Input(shape=(3,))
outputs = keras.layers.Dense(2)(inputs)
model = keras.Model(inputs=inputs, outputs=outputs)
"""


def test_a_byte_order_mark_is_kept_and_not_read_as_code():
    assert convert("\ufeff" + BOM_SEQUENTIAL, F) == "\ufeff" + BOM_FUNCTIONAL
    assert convert("\ufeff" + BOM_FUNCTIONAL, F) == "\ufeff" + BOM_FUNCTIONAL
    assert not isinstance(index_source("\ufeff" + BOM_SEQUENTIAL, "m.py"), ParseFailure)
    assert [info.name for info in find_models("\ufeff" + BOM_SEQUENTIAL)] == ["model"]


# A U-Net builder collects its skips in a list, then `skip_x.reverse()` (and `num_filters.reverse()`)
# so that the decoder's loop reads the deepest skip first: the list's reversal was refused as "uses a
# tensor but is not part of the model's graph" in the three other styles; it is a change of the
# list like `append`.  The subclass stores the filter list its call() loops over after it is
# reversed (stored at once, the model's copy would miss the reversal).
UNET = """from tensorflow import keras
from tensorflow.keras import layers


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return x


def build_model():
    num_filters = [8, 16]
    inputs = keras.Input(shape=(32, 32, 3))
    skip_x = []
    x = inputs
    for f in num_filters:
        x = conv_block(x, f)
        skip_x.append(x)
        x = layers.MaxPool2D(2)(x)
    x = conv_block(x, num_filters[-1])
    num_filters.reverse()
    skip_x.reverse()  # the decoder reads the deepest skip first
    for i, f in enumerate(num_filters):
        x = layers.UpSampling2D(2)(x)
        x = layers.Concatenate()([x, skip_x[i]])
        x = conv_block(x, f)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


model = build_model()
"""

UNET_SUBCLASS = """from tensorflow import keras
from tensorflow.keras import layers


@keras.utils.register_keras_serializable(package="m")
class ConvBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.conv = layers.Conv2D(filters, 3, padding="same", activation="relu")

    def call(self, x, training=None):
        return self.conv(x)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters}


@keras.utils.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        num_filters = [8, 16]
        self.conv_block_1_layers = [ConvBlock(f) for f in num_filters]
        self.pool_layers = [layers.MaxPool2D(2) for _ in num_filters]
        self.conv_block = ConvBlock(num_filters[-1])
        num_filters.reverse()
        self.num_filters = num_filters
        self.up_sampling_layers = [
            layers.UpSampling2D(2) for i, f in enumerate(num_filters)
        ]
        self.concatenate_layers = [
            layers.Concatenate() for i, f in enumerate(num_filters)
        ]
        self.conv_block_2_layers = [ConvBlock(f) for i, f in enumerate(num_filters)]
        self.conv = layers.Conv2D(1, 1, activation="sigmoid")

    def call(self, inputs, training=None):
        skip_x = []
        x = inputs
        for conv_block_1, pool in zip(self.conv_block_1_layers, self.pool_layers):
            x = conv_block_1(x)
            skip_x.append(x)
            x = pool(x)
        x = self.conv_block(x)
        skip_x.reverse()  # the decoder reads the deepest skip first
        for (i, f), up_sampling, concatenate, conv_block_2 in zip(
            enumerate(self.num_filters),
            self.up_sampling_layers,
            self.concatenate_layers,
            self.conv_block_2_layers,
        ):
            x = up_sampling(x)
            x = concatenate([x, skip_x[i]])
            x = conv_block_2(x)
        return self.conv(x)


def build_model():
    model = MyModel()
    model(keras.Input(shape=(32, 32, 3)))
    return model


model = build_model()
"""


def test_a_list_of_skips_reversed_before_the_decoder_reads_it():
    assert convert(UNET, C) == UNET_SUBCLASS
    assert convert(UNET_SUBCLASS, C) == UNET_SUBCLASS
    built = convert(UNET, FS)
    assert "        skip_x.reverse()  # the decoder reads the deepest skip first\n" in built
    assert "is a list of tensors the model fills and reads again" in refusal(UNET, S)[0]
