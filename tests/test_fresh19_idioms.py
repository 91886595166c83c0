"""Idioms of real model code found by session 19's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh19"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

C, FS = Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

# A Kaggle tabular model: a helper encodes each column of the input on its own, looping over
# the input's static width, and the builder concatenates the encodings.
PER_COLUMN_ENCODER = """\
import keras
from keras import layers


def encode_columns(inputs, size):
    encoded = []
    for col in range(inputs.shape[1]):
        column = keras.ops.expand_dims(inputs[:, col], -1)
        encoded.append(layers.Dense(size)(column))
    return encoded


def build(size):
    inputs = keras.Input(shape=(4,))
    columns = encode_columns(inputs, size)
    outputs = layers.Dense(3)(layers.Concatenate()(columns))
    return keras.Model(inputs=inputs, outputs=outputs)


model = build(8)
"""


def test_a_helper_looping_over_its_input_width_converts_to_functional_subclass() -> None:
    # Before: CRASH (IndexError in every direction): the helper's loop draws only from tensors, so
    # it has no iterable of its own, and the empty iterable was parsed to put the call's arguments in.
    expected = PER_COLUMN_ENCODER.replace(
        """\
def build(size):
    inputs = keras.Input(shape=(4,))
    columns = encode_columns(inputs, size)
    outputs = layers.Dense(3)(layers.Concatenate()(columns))
    return keras.Model(inputs=inputs, outputs=outputs)
""",
        """\
@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, size, **kwargs):
        inputs = keras.Input(shape=(4,))
        columns = encode_columns(inputs, size)
        outputs = layers.Dense(3)(layers.Concatenate()(columns))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.size = size

    def get_config(self):
        return {**super().get_config(), "size": self.size}


def build(size):
    return MyModel(size=size)
""",
    )
    assert convert(PER_COLUMN_ENCODER, FS) == expected


def test_a_helper_looping_over_its_input_width_is_refused_for_a_subclass_at_the_loop() -> None:
    (line,) = refusal(PER_COLUMN_ENCODER, C)
    assert line.startswith("m.py:7:5: error: the loop makes layers once per tensor of a list")


# A sleep-apnea classifier's builder sets two hyper-parameters at once (`ENCODER_COUNT =
# DECODER_COUNT = 1`) before the layers that read them.
CHAINED_LOCALS = """\
import keras
from keras import layers


def build(input_shape):
    inputs = keras.Input(shape=input_shape)
    WIDTH = DEPTH = 8
    x = layers.Dense(WIDTH)(inputs)
    x = layers.Dense(DEPTH)(x)
    return keras.Model(inputs=inputs, outputs=x)


model = build((4,))
"""

CHAINED_LOCALS_SUBCLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        WIDTH = DEPTH = 8
        self.dense1 = layers.Dense(WIDTH)
        self.dense2 = layers.Dense(DEPTH)

    def call(self, inputs, training=None):
        x = self.dense1(inputs)
        return self.dense2(x)


def build(input_shape):
    model = MyModel()
    model(keras.Input(shape=input_shape))
    return model


model = build((4,))
"""


def test_a_chained_assignment_of_builder_locals_goes_to_init() -> None:
    # Before: caught: the subclass's reader refused its own `WIDTH = DEPTH = 8` in __init__
    # (an assignment of more than one target was taken for one of several attributes).
    assert convert(CHAINED_LOCALS, C) == CHAINED_LOCALS_SUBCLASS


def test_a_chained_assignment_in_init_reads_back_as_a_local() -> None:
    functional = convert(CHAINED_LOCALS_SUBCLASS, Style.FUNCTIONAL)
    assert "    inputs = keras.Input(shape=input_shape)\n    WIDTH = DEPTH = 8\n    x = layers.Dense(WIDTH)(inputs)\n" in functional


# The recommender-systems lab's subclasses take a list of user and item ids and index it in call().
INDEXED_INPUTS = """\
import numpy as np
import keras
from keras import layers


class Recommender(keras.Model):
    def __init__(self, size, users, items):
        super().__init__()
        self.user_embedding = layers.Embedding(users, size)
        self.item_embedding = layers.Embedding(items, size)
        self.flatten = layers.Flatten()
        self.dot = layers.Dot(axes=1)

    def call(self, inputs):
        user_inputs = inputs[0]
        item_inputs = inputs[1]
        user_vecs = self.flatten(self.user_embedding(user_inputs))
        item_vecs = self.flatten(self.item_embedding(item_inputs))
        return self.dot([user_vecs, item_vecs])


user_ids = np.array([[1], [2], [3]])
item_ids = np.array([[4], [5], [6]])
model = Recommender(8, 10, 10)
preds = model.predict([user_ids, item_ids])
"""

INDEXED_INPUTS_FUNCTIONAL = """\
import numpy as np
import keras
from keras import layers


def Recommender(size, users, items):
    user_inputs = keras.Input(shape=(1,))
    item_inputs = keras.Input(shape=(1,))
    flatten = layers.Flatten()
    user_embedding = layers.Embedding(users, size)(user_inputs)
    user_vecs = flatten(user_embedding)
    item_embedding = layers.Embedding(items, size)(item_inputs)
    item_vecs = flatten(item_embedding)
    outputs = layers.Dot(axes=1)([user_vecs, item_vecs])
    return keras.Model(inputs=[user_inputs, item_inputs], outputs=outputs)


user_ids = np.array([[1], [2], [3]])
item_ids = np.array([[4], [5], [6]])
model = Recommender(8, 10, 10)
preds = model.predict([user_ids, item_ids])
"""


def test_inputs_indexed_in_call_are_the_models_list_of_inputs() -> None:
    # Before: "call() reads 1 inputs but the model is built with 2" (no hint): only
    # `a, b = inputs` and `x = inputs["key"]` were read as the inputs' names.
    assert convert(INDEXED_INPUTS, Style.FUNCTIONAL) == INDEXED_INPUTS_FUNCTIONAL


def test_inputs_read_again_after_indexing_them_are_refused_at_the_read() -> None:
    # Before: caught (the graph read `inputs`, which no longer names anything there), for keys too.
    reread = INDEXED_INPUTS.replace(
        "return self.dot([user_vecs, item_vecs])", 'return self.dot([user_vecs, item_vecs]) + keras.ops.cast(inputs[0], "float32")'
    )
    keyed = reread.replace("inputs[0]\n", 'inputs["user"]\n').replace("inputs[1]\n", 'inputs["item"]\n')
    keyed = keyed.replace("[user_ids, item_ids]", '{"user": user_ids, "item": item_ids}')
    for text in (reread, keyed):
        assert refusal(text, Style.FUNCTIONAL) == [
            "m.py:19:9: error: call() reads `inputs` again after taking its inputs out of it"
            " (hint: use the names the first lines of call() give the inputs instead of `inputs`)"
        ]


def test_one_indexed_input_is_not_a_list() -> None:
    # `x = inputs[0]` alone may pick a tensor's first row: the input stays `inputs`.
    one = INDEXED_INPUTS.replace("        item_inputs = inputs[1]\n", "").replace("item_inputs)", "user_inputs)")
    assert refusal(one, Style.FUNCTIONAL) == ["m.py:6:1: error: call() reads 1 inputs but the model is built with 2"]


# The OpenVaccine notebook picks its recurrent layers by a flag, each branch a loop `for _ in ...`.
LOOP_IN_EACH_BRANCH = """\
import keras
from keras import layers


def build(rnn="gru", depth=2):
    inputs = keras.Input(shape=(6, 3))
    hidden = inputs
    if rnn == "gru":
        for _ in range(depth):
            hidden = layers.GRU(4, return_sequences=True)(hidden)
    elif rnn == "lstm":
        for _ in range(depth):
            hidden = layers.LSTM(4, return_sequences=True)(hidden)
    outputs = layers.Dense(2)(hidden)
    return keras.Model(inputs=inputs, outputs=outputs)


model = build()
"""

LOOP_IN_EACH_BRANCH_SUBCLASS = """\
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class MyModel(keras.Model):
    def __init__(self, rnn="gru", depth=2, **kwargs):
        super().__init__(**kwargs)
        self.rnn = rnn
        self.depth = depth
        if rnn == "gru":
            self.gru_layers = [
                layers.GRU(4, return_sequences=True) for _ in range(depth)
            ]
        elif rnn == "lstm":
            self.lstm_layers = [
                layers.LSTM(4, return_sequences=True) for _ in range(depth)
            ]
        self.dense = layers.Dense(2)

    def call(self, inputs, training=None):
        hidden = inputs
        if self.rnn == "gru":
            for gru in self.gru_layers:
                hidden = gru(hidden)
        elif self.rnn == "lstm":
            for lstm in self.lstm_layers:
                hidden = lstm(hidden)
        return self.dense(hidden)

    def get_config(self):
        return {**super().get_config(), "rnn": self.rnn, "depth": self.depth}


def build(rnn="gru", depth=2):
    model = MyModel(rnn=rnn, depth=depth)
    model(keras.Input(shape=(6, 3)))
    return model


model = build()
"""


def test_a_loop_variable_bound_in_each_branch_is_not_a_tensor_read_first() -> None:
    # Before: "a branch of this `if` reads `_` before it binds it (a tensor an earlier pass of a
    # loop made)": the `for` was taken to read its own target.
    assert convert(LOOP_IN_EACH_BRANCH, C) == LOOP_IN_EACH_BRANCH_SUBCLASS
    assert "        if rnn == \"gru\":\n            for _ in range(depth):\n" in convert(LOOP_IN_EACH_BRANCH, FS)


# A Kaggle notebook spells its model `tf.keras` but also imports `keras.backend as K`; its builder
# reshapes a tensor with `tf.reshape`, which the graph writes with `keras.ops`.
OPS_OF_THE_MODELS_PATH = """\
import tensorflow as tf
import keras.backend as K


def build(seq_len=10):
    inputs = tf.keras.layers.Input(shape=(seq_len, 3))
    embed = tf.keras.layers.Embedding(input_dim=4, output_dim=2)(inputs)
    flat = tf.reshape(embed, shape=(-1, embed.shape[1], embed.shape[2] * embed.shape[3]))
    out = tf.keras.layers.Dense(5)(flat)
    return tf.keras.Model(inputs=inputs, outputs=out)


model = build()
"""


def test_ops_are_spelled_from_the_models_keras_path() -> None:
    # Before: caught ("the converted code would read `ops`"): `keras.backend` made the file's Keras
    # `keras`, whose `ops` it does not import, while the code is written from `tf.keras`.
    for target in (C, FS):
        assert "        flat = tf.keras.ops.reshape(\n" in convert(OPS_OF_THE_MODELS_PATH, target)


def test_an_input_unpacked_under_the_structures_own_name_is_read_as_that_input() -> None:
    # keras-io's endpoint layer pattern, written back as a subclass: `inputs, targets = inputs`
    # rebinds `inputs`, so a later read is the first input, not the list (the check must not refuse).
    text = """\
import numpy as np
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)
        self.add = layers.Add()

    def call(self, inputs):
        inputs, targets = inputs
        return self.add([self.dense(inputs), targets])


model = Net()
preds = model.predict([np.zeros((2, 4)), np.zeros((2, 1))])
"""
    functional = convert(text, Style.FUNCTIONAL)
    assert "\ninputs = keras.Input(shape=(4,))\ntargets = keras.Input(shape=(1,))\n" in functional
