"""Idioms of real model code found by session 14's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh14"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S = Style.FUNCTIONAL, Style.SEQUENTIAL

# A tutorial script: the Sequential model first, then "the same model with the functional API",
# whose imports of `Input` and `Model` come only with that second half.
IMPORTED_FURTHER_DOWN = """\
from keras.models import Sequential
from keras.layers import Dense

seq = Sequential()
seq.add(Dense(4, activation="relu", input_shape=(8,)))
seq.add(Dense(1))

from keras.layers import Input
from keras.models import Model

inp = Input(shape=(8,))
out = Dense(1)(Dense(4, activation="relu")(inp))
graph = Model(inputs=inp, outputs=out)
"""


def test_graph_code_among_a_script_refuses_names_imported_below_it() -> None:
    # Before, the Sequential became `Input(...)`/`Model(...)` code above the lines that import
    # them, and the safety check caught kconvert's own output (a NameError as written).
    assert refusal(IMPORTED_FURTHER_DOWN, F) == [
        "m.py:8:1: error: `Input` is bound only here, after `seq`; the functional code written there"
        " reads `Input` as it runs (hint: move this import to the top of the file, above `seq`)"
    ]


def test_graph_code_in_a_builder_reads_its_names_when_called() -> None:
    # A builder function runs after the whole module is imported: a late import is no problem.
    source = IMPORTED_FURTHER_DOWN.replace("seq = Sequential()", "def build():\n    seq = Sequential()")
    source = source.replace("seq.add(Dense(4", "    seq.add(Dense(4").replace("seq.add(Dense(1))", "    seq.add(Dense(1))\n    return seq")
    assert "inputs = Input(shape=(8,))" in convert(source, F)


def test_a_sequential_target_reads_only_what_the_top_binds() -> None:
    # `graph` to Sequential needs only `Sequential`, imported at the top.
    assert "graph = Sequential(" in convert(IMPORTED_FURTHER_DOWN, S).replace("\n    ", "")


# A VAE script: the sampling function of its Lambda unpacks `z_mean, z_log_var = args`, the
# same names as the encoder's tensors, at module level among the model's statements.
SAMPLING_FUNCTION_SHADOWS = """\
import keras
from keras import layers

inputs = keras.Input(shape=(8,))
h = layers.Dense(16, activation="relu")(inputs)
z_mean = layers.Dense(2)(h)
z_log_var = layers.Dense(2)(h)


def sample(args):
    z_mean, z_log_var = args
    return z_mean + keras.ops.exp(z_log_var / 2)


z = layers.Lambda(sample)([z_mean, z_log_var])
encoder = keras.Model(inputs, z)
"""


def test_a_def_among_the_model_reads_only_its_free_names() -> None:
    # Before: "tensors are used inside a `functiondef` statement" for the function's own locals.
    # The function stays a module-level function above the class, as the keras.io VAE writes its
    # sampling function, not a local of __init__ that takes `z_mean` from the class's code.
    out = convert(SAMPLING_FUNCTION_SHADOWS, Style.SUBCLASS)
    assert """\
from keras import layers


def sample(args):
    z_mean, z_log_var = args
    return z_mean + keras.ops.exp(z_log_var / 2)


@keras.saving.register_keras_serializable(package="m")
class Encoder(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(16, activation="relu")
        self.z_mean = layers.Dense(2)
        self.z_log_var = layers.Dense(2)
        self.lambda_layer = layers.Lambda(sample)

    def call(self, inputs, training=None):
        h = self.dense(inputs)
        z_mean = self.z_mean(h)
        z_log_var = self.z_log_var(h)
        return self.lambda_layer([z_mean, z_log_var])
""" in out


# A script defines its residual helper between the model's first lines and the calls of it.
HELPER_DEFINED_AMONG_THE_MODEL = """\
import keras
from keras import layers

inputs = keras.Input(shape=(16, 16, 3))
x = layers.Conv2D(8, 3, padding="same")(inputs)


def block(x, filters):
    shortcut = x
    x = layers.Conv2D(filters, 3, padding="same")(x)
    if filters != shortcut.shape[-1]:
        shortcut = layers.Conv2D(filters, 1)(shortcut)
    return layers.add([x, shortcut])


x = block(x, 8)
x = block(x, 16)
outputs = layers.Dense(1)(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs=inputs, outputs=outputs)
"""


def test_a_helper_defined_among_the_model_stays_at_module_level() -> None:
    # Before: to-functional-subclass nested the helper in __init__ and failed its own safety check
    # (reading it back gave another graph); to-subclass took the helper's own `shortcut = ...` for a
    # change of a module-level name and refused.
    graph_class = convert(HELPER_DEFINED_AMONG_THE_MODEL, Style.FUNCTIONAL_SUBCLASS)
    assert graph_class.startswith("""\
import keras
from keras import layers


def block(x, filters):
    shortcut = x
    x = layers.Conv2D(filters, 3, padding="same")(x)
    if filters != shortcut.shape[-1]:
        shortcut = layers.Conv2D(filters, 1)(shortcut)
    return layers.add([x, shortcut])


@keras.saving.register_keras_serializable(package="m")
""")
    assert """\
    def __init__(self, **kwargs):
        inputs = keras.Input(shape=(16, 16, 3))
        x = layers.Conv2D(8, 3, padding="same")(inputs)
        x = block(x, 8)
        x = block(x, 16)
        outputs = layers.Dense(1)(layers.GlobalAveragePooling2D()(x))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
""" in graph_class
    # The subclass writes the helper as a Layer class and, nothing else calling it, drops it.
    subclass = convert(HELPER_DEFINED_AMONG_THE_MODEL, Style.SUBCLASS)
    assert "def block(" not in subclass
    assert """\
    def call(self, inputs, training=None):
        x = self.conv(inputs)
        x = self.block1(x)
        x = self.block2(x)
""" in subclass


def test_a_def_that_reads_the_model_tensors_is_still_refused() -> None:
    source = SAMPLING_FUNCTION_SHADOWS.replace("    z_mean, z_log_var = args\n", "")
    assert refusal(source, Style.SUBCLASS)[0].startswith(
        "m.py:10:1: error: tensors are used inside a `functiondef` statement"
    )


# A DCGAN discriminator: `tf.nn.leaky_relu(h, alpha=0.2)` between its layers.
LEAKY_AT_DEFAULT = """\
import tensorflow as tf
from tensorflow import keras

inputs = keras.Input(shape=(16,))
h = keras.layers.Dense(8)(inputs)
h = tf.nn.leaky_relu(h, alpha=0.2)
outputs = keras.layers.Dense(1)(h)
model = keras.Model(inputs=inputs, outputs=outputs)
"""


def test_a_leaky_relu_at_the_default_slope_is_an_activation_layer() -> None:
    # keras.activations.leaky_relu's slope is 0.2: the same function `Activation` calls.
    assert 'keras.layers.Activation("leaky_relu"),' in convert(LEAKY_AT_DEFAULT, S)


def test_a_leaky_relu_at_another_slope_is_refused_with_the_layer_to_write() -> None:
    assert refusal(LEAKY_AT_DEFAULT.replace("0.2", "0.3"), S) == [
        "m.py:6:5: error: `h` is computed by an expression, not by a layer; a Sequential model holds only"
        " layers (hint: write it as the layer `keras.layers.LeakyReLU(negative_slope=...)`, or keep the"
        " Functional API)"
    ]


def test_a_def_that_declares_a_tensor_global_reads_it() -> None:
    source = SAMPLING_FUNCTION_SHADOWS.replace("    z_mean, z_log_var = args\n", "    global z_mean\n    z_mean, z_log_var = args\n")
    assert "tensors are used inside a `functiondef` statement" in refusal(source, Style.SUBCLASS)[0]
