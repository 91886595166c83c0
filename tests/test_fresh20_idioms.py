"""Idioms of real model code found by session 20's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh20"``): the
expected output is checked by hand, or the refusal must name the line.
The U-Net whose blocks return pairs is the fixture ``helper_pair_subscripts``.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS

# A subclass that keeps a block's two results as a pair and names one of them before using it.
PAIR_PICKED_BY_NAME = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(8, 3, padding="same")
        self.pool1 = layers.MaxPooling2D()
        self.conv2 = layers.Conv2D(8, 3, padding="same")
        self.up = layers.UpSampling2D()
        self.merge = layers.Concatenate()

    def call(self, inputs):
        conv = self.conv1(inputs)
        pooled = self.pool1(conv)
        pair = (pooled, conv)
        first = pair[0]
        x = self.conv2(first)
        x = self.up(x)
        return self.merge([x, pair[1]])


model = Net()
model(keras.Input((32, 32, 3)))
"""


def test_a_tensor_picked_out_of_a_pair_by_name_is_that_tensor() -> None:
    # Before: caught (internal error): `first = pair[0]` was read as an expression of its own,
    # and the Functional code written back (`first = pooled`, an alias) as none.
    assert convert(PAIR_PICKED_BY_NAME, F) == """\
import keras
from keras import layers

inputs = keras.Input((32, 32, 3))
conv = layers.Conv2D(8, 3, padding="same")(inputs)
pooled = layers.MaxPooling2D()(conv)
x = layers.Conv2D(8, 3, padding="same")(pooled)
x = layers.UpSampling2D()(x)
outputs = layers.Concatenate()([x, conv])
model = keras.Model(inputs=inputs, outputs=outputs)
"""


# A helper given a part of a layer's output: the layer belongs to the caller's graph, and the
# helper's written-out body cannot make it a second time.
LAYER_CALL_ARGUMENT = """\
import keras
from keras import layers


def block(x, filters):
    return layers.Conv2D(filters, 3, padding="same")(x)


inputs = keras.Input((16, 16, 3))
outputs = block(layers.Conv2D(4, 1)(inputs)[..., :2], 8)
model = keras.Model(inputs, outputs)
"""


def test_a_helper_argument_that_calls_a_layer_is_still_refused_to_subclass() -> None:
    assert refusal(LAYER_CALL_ARGUMENT, C) == [
        "m.py:10:17: error: `block` cannot be written out in a subclass: `layers.Conv2D(4, 1)(inputs)[..., :2]`"
        " is an expression of tensors passed to `block` (hint: compute it on a line of its own and pass"
        " `block` the tensor's name)"
    ]


# 3D CNN and YOLO builders take the input tensor from their caller.
INPUT_FROM_CALLER = """\
import keras
from keras import layers


def classifier(inputs, num_classes):
    x = layers.Conv3D(8, 3, activation="relu")(inputs)
    x = layers.GlobalAveragePooling3D()(x)
    x = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=x)
"""


def test_a_builder_given_its_input_tensor_is_refused_saying_so() -> None:
    # Before: "the model input `inputs` is not made by `keras.Input(...)` in this block".
    assert refusal(INPUT_FROM_CALLER, C) == [
        "m.py:9:31: error: the model input `inputs` is a parameter of `classifier`, a tensor its caller"
        " makes: the model is built on whatever tensor is passed, and kconvert converts a model only when"
        " it makes its inputs with `keras.Input(...)` (hint: keep `classifier` Functional (--model picks"
        " the models to convert), or give `classifier` the input's shape and make `inputs` inside it with"
        " keras.Input)"
    ]


# The SSD builders: one graph, and the model of the mode asked for made in each branch.
MODEL_PER_BRANCH = """\
import keras
from keras import layers


def build(mode):
    x = keras.Input((8,))
    y = layers.Dense(4)(x)
    if mode == "training":
        model = keras.Model(inputs=x, outputs=y)
    else:
        model = keras.Model(inputs=x, outputs=layers.Softmax()(y))
    return model
"""


def test_a_model_made_in_a_branch_on_an_input_made_before_it_is_refused_saying_so() -> None:
    assert refusal(MODEL_PER_BRANCH, C) == [
        "m.py:9:36: error: the model is made inside the `if` on line 8, and its input `x` before that"
        " block: kconvert reads a model's lines in one block (hint: make the model after the block (choose"
        " only its outputs in the branches), or keep it Functional)",
        "m.py:11:36: error: the model is made inside the `else` on line 10, and its input `x` before that"
        " block: kconvert reads a model's lines in one block (hint: make the model after the block (choose"
        " only its outputs in the branches), or keep it Functional)",
    ]


# The Coursera U-Net notebook: test models at module level call the graded helper with a global
# the next cell binds again.
GLOBAL_READ_BY_A_HELPER = """\
import keras
from keras import layers


def block(x, filters, pool=True):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    if pool:
        x = layers.MaxPooling2D()(x)
    return x


filters = 8
inputs = keras.Input((16, 16, 3))
model = keras.Model(inputs, block(inputs, filters * 2, POOL))
filters = 4
"""



def test_a_global_a_helper_gives_its_layers_is_read_once() -> None:
    # Before: refused ("the model reads `filters` once, when it is built, and the file binds it more
    # than once"): the helper's call was counted as code of call(), though a subclass writes the
    # helper's body (or its block) there, and `filters * 2` goes to what __init__ makes.
    text = GLOBAL_READ_BY_A_HELPER.replace("POOL", "True")
    assert convert(text, C) == """\
import keras
from keras import layers


filters = 8


@keras.saving.register_keras_serializable(package="m")
class Block(layers.Layer):
    def __init__(self, filters, pool=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.pool = pool
        self.conv = layers.Conv2D(filters, 3, padding="same")
        if pool:
            self.pool_layer = layers.MaxPooling2D()

    def call(self, x, training=None):
        x = self.conv(x)
        if self.pool:
            x = self.pool_layer(x)
        return x

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "pool": self.pool}


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.block = Block(filters * 2, True)

    def call(self, inputs, training=None):
        return self.block(inputs)


model = MyModel()
model(keras.Input((16, 16, 3)))
filters = 4
"""


def test_a_global_a_helper_tests_in_its_body_is_still_refused() -> None:
    text = "POOL = True\n" + GLOBAL_READ_BY_A_HELPER.replace("filters = 4", "POOL = False")
    assert refusal(text, C) == [
        "m.py:8:5: error: the model reads `POOL` once, when it is built, and the file binds it more than"
        " once (line 16); a subclass's call() would read it again each time the model runs (hint: give each"
        " value of `POOL` its own name, or keep this model functional)"
    ]


# gamma-capsule-network's PrimaryCapsule: an `assert` on the parameters in __init__, and `squash`,
# a function of tensors from a module of the repository, on the output.
PRIMARY_CAPSULES = """\
import keras
from keras import layers
from capsules.ops import squash


class PrimaryCaps(keras.Model):
    def __init__(self, channels=32, dim=8, **kwargs):
        super().__init__(**kwargs)
        assert channels % dim == 0, "channels must be a multiple of dim"
        self.conv = layers.Conv2D(channels * dim, 9, strides=2)
        self.reshape = layers.Reshape((-1, dim))

    def call(self, inputs):
        x = self.conv(inputs)
        x = self.reshape(x)
        return squash(x)


model = PrimaryCaps()
model(keras.Input((28, 28, 1)))
"""


def test_an_assert_on_the_parameters_in_init_runs_where_it_stands() -> None:
    # Before: refused ("`assert ...` in __init__ cannot be converted").
    assert convert(PRIMARY_CAPSULES, F) == """\
import keras
from keras import layers
from capsules.ops import squash


def PrimaryCaps(channels=32, dim=8, **kwargs):
    inputs = keras.Input((28, 28, 1))
    assert channels % dim == 0, "channels must be a multiple of dim"
    x = layers.Conv2D(channels * dim, 9, strides=2)(inputs)
    x = layers.Reshape((-1, dim))(x)
    outputs = squash(x)
    return keras.Model(inputs=inputs, outputs=outputs, **kwargs)


model = PrimaryCaps()
"""


def test_a_callable_imported_from_an_unread_module_is_no_sequential_layer() -> None:
    # Before the assert was read, the first refusal; read, the Sequential model listed `squash`,
    # which Keras refuses when the model is made (the same from a Functional model, on main).
    expected = [
        "m.py:16:16: error: `squash` comes from `capsules.ops`, which kconvert does not read: a Sequential"
        " model holds only layer objects, and `squash` may be a function (hint: wrap it in a layer"
        " (`keras.layers.Lambda(squash)`) if it is a function, or keep this model in its current style)"
    ]
    assert refusal(PRIMARY_CAPSULES, S) == expected
    assert refusal(convert(PRIMARY_CAPSULES, F), S) == [expected[0].replace("16:16", "11:15")]
