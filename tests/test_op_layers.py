"""Expressions between a Sequential model's layers: the layer that computes each exactly, or why not.

The goldens (`activation_functions`, `activation_ops`, `reshape_batch_kept`) are proven in
TensorFlow; these pin the table's edges and the reasons of what stays refused (issue 9).
"""

from __future__ import annotations

from kconvert.ir.op_layers import LayerOf, layers_of, op_hint
from kconvert.ir.source_text import Code

from converting import S, convert, refusal


def _of(text: str) -> tuple[LayerOf, ...]:
    return layers_of(Code(text, (("_t", "v1"),)))


def test_activations_with_keras_defaults_are_activation_layers() -> None:
    assert _of("keras.ops.relu(_t)") == (LayerOf("Activation", '"relu"'),)
    assert _of("tf.keras.activations.tanh(_t)") == (LayerOf("Activation", '"tanh"'),)
    assert _of("keras.ops.exp(_t)") == (LayerOf("Activation", '"exponential"'),)
    # keras.ops.gelu approximates unless told; the activation does not.
    assert _of("keras.ops.gelu(_t, approximate=False)") == (LayerOf("Activation", '"gelu"'),)
    assert _of("keras.ops.gelu(_t)") == ()


def test_other_arguments_modules_and_tensors_are_no_layer() -> None:
    assert _of("keras.ops.leaky_relu(_t, negative_slope=0.1)") == ()
    assert _of("keras.ops.softmax(_t, axis=1)") == ()
    # A file's own module named ops is not Keras'.
    assert _of("ops.relu(_t)") == ()
    assert _of("keras.ops.relu(_t + 1)") == ()
    assert layers_of(Code("keras.ops.relu(_t) + _u", (("_t", "v1"), ("_u", "v2")))) == ()


def test_a_reshape_that_keeps_the_batch_axis_is_reshape() -> None:
    assert _of("keras.ops.reshape(_t, [-1, 28 * 28])") == (LayerOf("Reshape", "(28 * 28,)"),)
    assert _of("keras.ops.reshape(_t, newshape=(-1, 4, n))") == (LayerOf("Reshape", "(4, n)"),)
    assert _of("keras.ops.reshape(_t, [batch, 16])") == ()
    assert _of("keras.ops.reshape(_t, [-1, 4, -1])") == ()
    assert _of("keras.ops.reshape(_t, shape)") == ()


def test_a_nested_call_is_its_layers_innermost_first() -> None:
    assert _of("keras.ops.leaky_relu(keras.ops.reshape(_t, [-1, 3, 3, 8]))") == (
        LayerOf("Reshape", "(3, 3, 8)"),
        LayerOf("Activation", '"leaky_relu"'),
    )
    assert _of("keras.ops.relu(keras.ops.cast(_t, 'float32'))") == ()


def test_hints_name_the_layer_that_does_nearly_the_same() -> None:
    assert "keras.layers.Rescaling(1 / 255.0)" in op_hint(Code("_t / 255.0", (("_t", "v1"),)))
    assert "keras.layers.Rescaling(1, offset=-1)" in op_hint(Code("_t - 1", (("_t", "v1"),)))
    # A name added may be a tensor: no Rescaling then.
    assert "Lambda" in op_hint(Code("_t + position", (("_t", "v1"),)))
    assert "Rescaling(1 / 127.5, offset=-1)" in op_hint(
        Code("keras.applications.mobilenet_v2.preprocess_input(_t)", (("_t", "v1"),))
    )
    assert "Lambda" in op_hint(Code("keras.applications.vgg16.preprocess_input(_t)", (("_t", "v1"),)))
    assert "ZeroPadding2D" in op_hint(Code("keras.ops.pad(_t, [[0, 0], [1, 1], [1, 1], [0, 0]])", (("_t", "v1"),)))
    assert "Lambda" in op_hint(Code('keras.ops.pad(_t, [[0, 0], [3, 3], [3, 3], [0, 0]], "reflect")', (("_t", "v1"),)))


MODEL = """\
import keras
from keras import layers

inputs = keras.Input(shape=(20,))
x = layers.Dense(32)(inputs)
x = keras.ops.relu(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
"""


def test_a_layer_picked_by_position_after_the_model_is_refused() -> None:
    # Functional lists [InputLayer, Dense, Dense], the Sequential [Dense, Activation, Dense]: renumbered
    # for the missing InputLayer alone, `layers[2]` would become `layers[1]`, the Activation.
    assert refusal(MODEL + "weights = model.layers[2].get_weights()\n", S) == [
        "m.py:9:11: error: `model.layers[2]` picks a layer by its position, which the conversion changes:"
        " the Sequential model lists a layer (`Activation`) for each expression between its layers"
        " (hint: pick the layer by name (`model.get_layer(...)`), or keep this model functional)"
    ]
    assert 'layers.Activation("relu"),' in convert(MODEL + "print(model.get_layer('dense'))\n", S)


def test_refusals_say_what_the_expression_is() -> None:
    merged = MODEL.replace("x = keras.ops.relu(x)", "x = x + inputs")
    assert "`x` is computed from 2 tensors (`x`, `inputs`)" in refusal(merged, S)[0]
    shape = MODEL.replace("x = keras.ops.relu(x)", "width = x.shape[-1]\nx = layers.Dense(width)(x)")
    assert "`width` is read from a tensor's shape" in refusal(shape, S)[0]
    returned = MODEL.replace("model = keras.Model(inputs, outputs)", "model = keras.Model(inputs, outputs + x)")
    assert "the model's output is computed from 2 tensors (`outputs`, `x`)" in refusal(returned, S)[0]
    two = MODEL.replace("model = keras.Model(inputs, outputs)", "model = keras.Model(inputs, [outputs, x])")
    assert "the model has 2 outputs (`outputs`, `x`)" in refusal(two, S)[0]
