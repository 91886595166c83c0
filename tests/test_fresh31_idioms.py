"""Idioms of session 31's fresh real-world files (benchmarks/realworld, ``session = "fresh31"``)."""

from __future__ import annotations

from converting import C, F, convert

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

SPARSE = """\
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

x_in = Input(shape=(8,))
a_in = Input((4,), sparse=True)
h = Dense(4)(x_in)
out = Dense(2)([h, a_in])
model = Model(inputs=[x_in, a_in], outputs=out)
"""


def test_inputs_written_one_with_a_keyword_shape_one_with_a_positional_one_compare() -> None:
    # spektral's citation_gat: the safety check sorted the inputs' argument tuples, whose keyword
    # is None for a positional shape: an internal error (TypeError) in every class style.
    for target in (C, FS):
        converted = convert(SPARSE, target)
        assert "Input((4,), sparse=True)" in converted
        assert convert(converted, target) == converted


NESTED = """\
import tensorflow as tf


def encoder_block(inputs, n_filters):
    f = tf.keras.layers.Conv2D(n_filters, 3, padding="same")(inputs)
    p = tf.keras.layers.MaxPooling2D()(f)
    return f, p


def encoder(inputs):
    f1, p1 = encoder_block(inputs, 8)
    f2, p2 = encoder_block(p1, 16)
    return p2, (f1, f2)


def decoder_block(inputs, skip, n_filters):
    u = tf.keras.layers.Conv2DTranspose(n_filters, 3, strides=2, padding="same")(inputs)
    return tf.keras.layers.concatenate([u, skip])


def decoder(inputs, convs):
    f1, f2 = convs
    x = decoder_block(inputs, f2, 16)
    x = decoder_block(x, f1, 8)
    return tf.keras.layers.Conv2D(3, 1, activation="softmax")(x)


def unet():
    inputs = tf.keras.layers.Input(shape=(32, 32, 3))
    encoder_output, convs = encoder(inputs)
    outputs = decoder(encoder_output, convs)
    return tf.keras.Model(inputs=inputs, outputs=outputs)
"""


def test_a_block_returning_a_tensor_and_a_tuple_of_skips_is_unpacked_into_the_two() -> None:
    # The Coursera U-Net: `encoder` returns `p4, (f1, f2, f3, f4)`. Read back as a Layer class,
    # the caller's `encoder_output, convs = self.encoder(x)` bound `convs` to `f1` alone, and the
    # safety check refused kconvert's own (right) output.
    converted = convert(NESTED, C)
    assert "        return p2, (f1, f2)\n" in converted or "        outputs = (f1, f2)\n" in converted
    assert "        encoder_output, convs = self.encoder(inputs)\n" in converted
    assert convert(converted, C) == converted


WRAPPER = """\
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential
from .dnn import DNN


class LSTM(DNN):
    def __init__(self, model: Sequential, trained: bool = False) -> None:
        super(LSTM, self).__init__(model, trained)

    @classmethod
    def make(cls, n_feats: int, n_classes: int = 6):
        model = Sequential()
        model.add(Dense(16, input_shape=(n_feats,)))
        model.add(Dense(n_classes, activation="softmax"))
        return cls(model)
"""


def test_a_class_of_an_imported_base_handing_a_given_model_to_it_builds_no_graph() -> None:
    # Renovamen's speech-emotion models: `super().__init__(model, trained)` of a wrapper was read
    # as a graph class's `(inputs, outputs)` and every direction was refused; the Sequential its
    # classmethod builds is the model.
    converted = convert(WRAPPER, F)
    assert "        model = Model(inputs=inputs, outputs=outputs)\n" in converted
    assert "    def __init__(self, model: Sequential, trained: bool = False) -> None:\n" in converted


def test_a_name_read_only_in_a_parameters_annotation_keeps_its_import() -> None:
    # `model: Sequential` is read when the function is defined: the import of `Sequential` went
    # away with the model's own `Sequential()`, and the safety check refused the output.
    converted = convert(WRAPPER, F)
    assert "from tensorflow.keras.models import Model, Sequential\n" in converted
    assert convert(converted, F) == converted
