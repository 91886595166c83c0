"""Layers a helper sizes by a tensor's shape, made in its Layer class's ``build(input_shape)``.

The shape is read into a name first (``channels = x.shape[-1]``), spelled in the ways real
code spells it, through the block's locals, of any one of its tensors; what build() cannot
know (two tensors' shapes) leaves the block written out, and refused as before.  A model's
own layers sized by its input's shape are made in the model class's build() the same way; a
layer sized by any other tensor is refused, naming that tensor.
"""

from __future__ import annotations

import textwrap

import pytest

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style

GATE = """\
    import keras
    from keras import layers


    def gate(x, ratio=2):
        axis = -1
        channels = {read}
        h = layers.GlobalAveragePooling2D()(x)
        h = layers.Dense(channels // ratio, activation="relu")(h)
        h = layers.Dense(channels, activation="sigmoid")(h)
        return layers.Multiply()([x, h])


    inputs = keras.Input(shape=(8, 8, 4))
    x = layers.Conv2D(8, 3, padding="same")(inputs)
    x = gate(x)
    outputs = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, outputs)
    """


def _convert(source: str):
    return convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(), "m.py")


def _subclass(source: str) -> str:
    result = _convert(source)
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    return result.source


@pytest.mark.parametrize(
    ("read", "built"),
    [
        ("x.shape[-1]", "input_shape[-1]"),
        ("list(x.shape)[-1]", "list(input_shape)[-1]"),
        ("int(x.shape[-1])", "int(input_shape[-1])"),
        # TensorFlow's and the backend's spellings of the same static shape.
        ("x.get_shape().as_list()[-1]", "input_shape[-1]"),
        ("keras.backend.int_shape(x)[-1]", "input_shape[-1]"),
        # A local of the helper build() reads is stored in __init__, as one call() reads is.
        ("x.shape[axis]", "input_shape[self.axis]"),
    ],
)
def test_a_size_read_into_a_name_is_computed_again_in_build(read: str, built: str) -> None:
    out = _subclass(GATE.format(read=read))
    build = (
        "    def build(self, input_shape):\n"
        f"        channels = {built}\n"
        "        self.dense1 = layers.Dense(channels // self.ratio, activation=\"relu\")\n"
        "        self.dense2 = layers.Dense(channels, activation=\"sigmoid\")\n\n"
    )
    assert build in out
    # Only build() reads it: call() no longer computes it.
    assert "channels" not in out.split("def call(")[1]


def test_a_size_call_reads_too_is_computed_in_both() -> None:
    source = GATE.format(read="x.shape[-1]").replace(
        "return layers.Multiply()([x, h])", "h = keras.ops.reshape(h, (-1, 1, 1, channels))\n        return layers.Multiply()([x, h])"
    )
    out = _subclass(source)
    assert "    def build(self, input_shape):\n        channels = input_shape[-1]\n" in out
    call = out.split("def call(")[1]
    assert "channels = x.shape[-1]" in call and "(-1, 1, 1, channels)" in call


def test_the_tensor_whose_shape_sizes_the_layers_is_taken_first() -> None:
    source = """\
        import keras
        from keras import layers


        def fuse(low, high, mid):
            width = mid.shape[-1]
            low = layers.Conv2D(width, 1)(low)
            high = layers.Conv2D(width, 1)(high)
            return layers.Add()([low, high, mid])


        inputs = keras.Input(shape=(8, 8, 3))
        a = layers.Conv2D(4, 1)(inputs)
        b = layers.Conv2D(6, 1)(inputs)
        c = layers.Conv2D(5, 1)(inputs)
        outputs = fuse(a, b, c)
        model = keras.Model(inputs, outputs)
        """
    out = _subclass(source)
    assert "    def call(self, mid, low, high, training=None):\n" in out
    assert "        return self.fuse(c, a, b)\n" in out


def test_layers_sized_by_two_tensors_leave_the_block_written_out() -> None:
    source = """\
        import keras
        from keras import layers


        def fuse(low, high):
            low = layers.Conv2D(high.shape[-1], 1)(low)
            high = layers.Conv2D(low.shape[-1] + high.shape[-1], 1)(high)
            return layers.Concatenate()([low, high])


        inputs = keras.Input(shape=(8, 8, 3))
        a = layers.Conv2D(4, 1)(inputs)
        b = layers.Conv2D(6, 1)(inputs)
        model = keras.Model(inputs, fuse(a, b))
        """
    result = _convert(source)
    assert isinstance(result, Refused)
    assert [d.message for d in result.diagnostics][0].startswith("this layer is sized by a tensor's shape in `fuse`, which is written out")


MODEL = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(16, 6))
    x = layers.Dense(32)(inputs)
    x = layers.Reshape((-1, {size}))(x)
    outputs = layers.Dense(3)(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    """


def test_a_model_layer_sized_by_the_models_input_is_made_in_its_build() -> None:
    out = _subclass(MODEL.format(size="inputs.shape[-2] * keras.backend.int_shape(inputs)[-1]"))
    assert (
        "    def build(self, input_shape):\n"
        "        self.reshape = layers.Reshape((-1, input_shape[-2] * input_shape[-1]))\n"
        # Loading a saved model calls build() alone: the trace builds every layer before the weights.
        "        self.call(keras.Input(batch_shape=input_shape))\n\n"
    ) in out
    assert "self.dense1 = layers.Dense(32)\n" in out.split("def build(")[0]
    # Stable: the class reads back as the same model, and converts to itself.
    again = convert_source(out, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(again, Converted) and again.source == out
    back = convert_source(out, Style.FUNCTIONAL, Options(), "m.py")
    assert "x = layers.Reshape((-1, inputs.shape[-2] * inputs.shape[-1]))(x)\n" in back.source


def test_a_model_layer_sized_by_a_tensor_its_layers_make_is_refused_naming_it() -> None:
    result = _convert(MODEL.format(size="x.shape[-2] * x.shape[-1]"))
    assert isinstance(result, Refused)
    (diagnostic,) = result.diagnostics
    assert diagnostic.line == 6
    assert diagnostic.message.startswith("this layer is sized by `x.shape`, a tensor the model's layers make")
    assert "what sized the layer that made `x`" in diagnostic.hint


GLOBAL_SHAPE = """\
import keras
from keras import layers

input_shape = (4, 2)

inputs = keras.Input(shape=(8,))
x = layers.Normalization(mean=0.0, variance=1.0)(inputs)
x = layers.Reshape(input_shape)(x)
outputs = layers.Dense(1)(layers.Flatten()(x))
model = keras.Model(inputs, outputs)
"""


def test_a_layer_of_init_reading_a_module_name_called_as_builds_parameter_keeps_it() -> None:
    # The class's build(self, input_shape) (written for the Normalization) names its parameter as
    # the module's `input_shape` that __init__'s Reshape reads: read back, only build()'s own
    # layers take it for the input's shape (keras.io's supervised contrastive encoder).
    out = _subclass(GLOBAL_SHAPE)
    assert "        self.reshape = layers.Reshape(input_shape)\n" in out.split("def build(")[0]
    assert "    def build(self, input_shape):\n" in out
    again = convert_source(out, Style.SUBCLASS, Options(), "m.py")
    assert isinstance(again, Converted) and again.source == out
    back = convert_source(out, Style.FUNCTIONAL, Options(), "m.py")
    assert isinstance(back, Converted)
    assert "x = layers.Reshape(input_shape)(x)\n" in back.source
