"""Idioms of session 35's fresh real-world files (benchmarks/realworld, ``session = "fresh35"``)."""

from __future__ import annotations

from converting import C, F, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS
S = Style.SEQUENTIAL

PIX2PIX = """\
    from keras.layers import Concatenate, Conv2D
    from keras.models import Input, Model


    def define_discriminator(image_shape):
        in_src = Input(shape=image_shape)
        in_target = Input(shape=image_shape)
        merged = Concatenate()([in_src, in_target])
        out = Conv2D(1, 4, padding="same")(merged)
        return Model([in_src, in_target], out)


    model = define_discriminator((32, 32, 3))
    """


def test_keras_2s_input_from_keras_models_is_an_input() -> None:
    # Keras 2 exported Input from `keras.models` too; it was "the model input `in_src` is not made by
    # `keras.Input(...)` in this block".
    converted = convert(PIX2PIX, C)
    assert "class Discriminator(Model):\n" in converted
    assert "        in_src, in_target = inputs\n" in converted
    assert "    model([Input(shape=image_shape), Input(shape=image_shape)])\n" in converted
    graph_class = convert(PIX2PIX, FS)
    # The file's own spelling of Input is kept.
    assert "        in_src = Input(shape=image_shape)\n" in graph_class
    assert "from keras.models import Input, Model\n" in graph_class
