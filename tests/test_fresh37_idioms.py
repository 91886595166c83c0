"""Idioms of session 37's fresh real-world files (benchmarks/realworld, ``session = "fresh37"``)."""

from __future__ import annotations

import textwrap

from converting import C, F, S, convert, refusal

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Style

FS = Style.FUNCTIONAL_SUBCLASS

# A handwriting recogniser's plain class keeps its graph's input tensor on the object, then makes
# its inference model from that attribute; a method joins the same tensors into a training model.
KEPT = """\
    from keras.layers import Dense, Input
    from keras.models import Model


    class Recogniser:
        def __init__(self, size):
            inp = Input(shape=(size,))
            scores = Dense(4)(inp)
            self.graph_input = inp
            self.scores = scores
            self.inference_model = Model(inputs=self.graph_input, outputs=scores)
    """


def test_an_input_kept_on_the_object_by_its_own_block_is_no_view_of_another_model() -> None:
    # Was left as "a view of the graph of `self`" with exit 0 to functional-subclass: a model left
    # in another style. `self.graph_input` is the block's own Input, so the model is refused.
    for target in (S, C, FS):
        (message,) = refusal(KEPT, target)
        assert message.startswith("m.py:11:45: error: the model input `self.graph_input` is the block's tensor `inp`")
        assert "kept on the object" in message and "(hint: keep this model Functional" in message
    assert convert(KEPT, F) == textwrap.dedent(KEPT)


def test_an_attribute_kept_from_another_models_tensor_is_still_a_view() -> None:
    # `self.graph_input = base.input`: the attribute holds another model's tensor.
    viewing = KEPT.replace("self.graph_input = inp", "self.graph_input = base.input").replace(
        "    def __init__(self, size):", "    def __init__(self, size, base):"
    )
    (message,) = refusal(viewing, C)
    assert "is built from another model's tensors (`self.graph_input`)" in message


# The same class's inference model written with Keras 1's `output=`, next to a model kconvert reads.
KERAS1_BESIDE = """\
    from keras.layers import Dense, Input
    from keras.models import Model

    inp = Input(shape=(3,))
    y = Dense(4)(inp)
    old = Model(input=inp, output=y)

    inp2 = Input(shape=(3,))
    y2 = Dense(4)(inp2)
    new = Model(inputs=inp2, outputs=y2)
    """


def test_a_keras_1_model_beside_a_readable_one_fails_the_file_in_every_other_style() -> None:
    # Was exit 0 to S, C and FS with `old` left Functional: only a file with no other model said why.
    for target in (S, C, FS):
        assert refusal(KERAS1_BESIDE, target) == [
            "m.py:6:7: error: `Model(input=..., output=...)` is Keras 1's spelling, which Keras 3 does not"
            " accept (hint: write `inputs=` and `outputs=`)"
        ]
    # To the Functional API nothing is left in another style: `new` is Functional already.
    assert convert(KERAS1_BESIDE, F) == textwrap.dedent(KERAS1_BESIDE)


def test_a_keras_1_model_beside_the_model_picked_by_name_is_left_as_asked() -> None:
    result = convert_source(textwrap.dedent(KERAS1_BESIDE), C, Options(model="new"), "m.py")
    assert isinstance(result, Converted)
    assert "old = Model(input=inp, output=y)\n" in result.source
    assert "class New(Model):\n" in result.source


# A few-shot library's encoders: `conv_block(*args, **kwargs)` hands its arguments to the first
# layer, and the backbones pass theirs on to the model's constructor.
LAYER_KWARGS = """\
    from tensorflow.keras import Sequential
    from tensorflow.keras.layers import Dense


    def build(**kwargs):
        model = Sequential()
        model.add(Dense(4, input_shape=(3,), **kwargs))
        model.add(Dense(2))
        return model
    """


def test_a_builders_kwargs_read_by_a_layer_is_refused_in_the_class_styles() -> None:
    # Was exit 0: the class dropped them, `build(activation="relu")` made a Dense without its activation.
    for target in (C, FS):
        (message,) = refusal(LAYER_KWARGS, target)
        assert message.startswith("m.py:6:5: error: the model's layers read `**kwargs` of `build`, which a")
        assert "(hint: name the parameters the layers need in `build`, or keep this model as it is)" in message
    assert "    outputs = Dense(2)(x)\n" in convert(LAYER_KWARGS, F)


def test_a_builders_args_read_by_a_layer_is_refused_in_the_class_styles() -> None:
    # Was caught by the safety check: the class read an `args` it did not have.
    text = LAYER_KWARGS.replace("def build(**kwargs)", "def build(*args, **kwargs)").replace(
        "Dense(4, input_shape=(3,), **kwargs)", "Dense(4, *args, input_shape=(3,))"
    )
    (message,) = refusal(text, C)
    assert "the model's layers read `*args` of `build`" in message


def test_a_builders_kwargs_passed_to_the_model_itself_still_converts() -> None:
    text = """\
    from tensorflow.keras import Sequential
    from tensorflow.keras.layers import Dense


    def build(**kwargs):
        return Sequential([Dense(4, input_shape=(3,)), Dense(2)], **kwargs)
    """
    assert convert(text, FS).endswith("\n\ndef build(**kwargs):\n    return MyModel(**kwargs)\n")


STARRED_MODEL_ARGS = """\
    from tensorflow.keras import Sequential
    from tensorflow.keras.layers import Dense


    def build(input_shape=(8,), *args, **kwargs):
        return Sequential([Dense(4, input_shape=input_shape), Dense(2)], *args, **kwargs)
    """


def test_positional_model_arguments_passed_on_are_refused_in_every_other_style() -> None:
    # Sequential's next positional parameter is `trainable`, Model's `name`, and a class takes
    # keywords: to C and FS the class read an `args` it did not have (caught), and to F the
    # output was `Model(inputs=inputs, outputs=outputs, *args, **kwargs)`, a TypeError for any args.
    for target in (F, C, FS):
        (message,) = refusal(STARRED_MODEL_ARGS, target)
        assert message.startswith(
            "m.py:6:5: error: `*args` passes positional arguments to `Sequential(...)` after its layers, which the"
        )
        assert "(hint: pass them by keyword (`name=...`, `**kwargs`), or keep this model as it is)" in message


def test_a_loop_target_in_parentheses_is_the_same_loop_without_them() -> None:
    # EfficientNet-Lite's `for (i, args) in enumerate(blocks_args)`: black writes `for i, args in`,
    # which the safety check read as another loop (caught to functional-subclass).
    text = """\
    import keras
    from keras import layers


    def build(widths=(8, 4)):
        inputs = keras.Input(shape=(3,))
        x = inputs
        for (i, width) in enumerate(widths):
            x = layers.Dense(width, name=f"dense_{i}")(x)
        return keras.Model(inputs, x)
    """
    converted = convert(text, FS)
    assert "        for i, width in enumerate(widths):\n" in converted
    assert "        super().__init__(inputs=inputs, outputs=x, **kwargs)\n" in converted
    assert "    for i, width in enumerate(widths):\n" in convert(text, S)
