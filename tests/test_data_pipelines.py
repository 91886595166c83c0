"""Input shapes read through ``tf.data`` and the code that hands the data on (parse/data_pipelines.py):
a dataset made from arrays and batched once, a ``for`` over it, a function every call of which
passes the data.  Each way that could hand on other data is no answer."""

from __future__ import annotations

import pytest

from converting import F, convert, input_arguments, refusal

DATA = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train[..., tf.newaxis].astype("float32") / 255
x_test = x_test[..., tf.newaxis].astype("float32") / 255
"""

SUBCLASS = DATA + """\
{data}


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.flatten = layers.Flatten()
        self.dense = layers.Dense(10)

    def call(self, x):
        return self.dense(self.flatten(x))


model = Net()
{use}
"""

QUICKSTART = SUBCLASS.format(
    data="""\
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000).batch(32)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(32)""",
    use="""

@tf.function
def train_step(images, labels):
    with tf.GradientTape() as tape:
        predictions = model(images, training=True)
        loss = keras.losses.sparse_categorical_crossentropy(labels, predictions)
    return loss


def test_step(images, labels):
    return model(images, training=False)


for epoch in range(5):
    for images, labels in train_ds:
        train_step(images, labels)
    for test_images, test_labels in test_ds:
        test_step(test_images, test_labels)""",
)

SEQUENTIAL = DATA + """\
{data}
model = keras.Sequential([layers.Flatten(), layers.Dense(10)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
{use}
"""


def subclass_shape(data: str, use: str) -> str:
    return input_arguments(SUBCLASS.format(data=data, use=use))


def sequential_shape(data: str, use: str = "model.fit(train_ds, epochs=2)") -> str:
    return input_arguments(SEQUENTIAL.format(data=data, use=use))


def no_shape(source: str) -> None:
    assert "this model has no input shape" in refusal(source, F)[0]


def test_the_quickstart_loop_gives_a_subclass_its_shape() -> None:
    assert input_arguments(QUICKSTART) == "shape=(28, 28, 1)"
    # The rest of the file still calls the model it made, now a Functional one.
    out = convert(QUICKSTART, F)
    assert "model = keras.Model(" in out and "train_step(images, labels)" in out


@pytest.mark.parametrize(
    "data",
    [
        "train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)",
        "train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(100).batch(32).prefetch(2)",
        "ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))\ntrain_ds = ds.shuffle(1000)\ntrain_ds = train_ds.batch(64).repeat()",
        "from tensorflow.data import Dataset\ntrain_ds = Dataset.from_tensor_slices((x_train, y_train)).cache().batch(8)",
    ],
)
def test_a_batched_dataset_of_arrays_gives_one_row(data) -> None:
    assert sequential_shape(data) == "shape=(28, 28, 1)"


def test_a_dataset_written_in_the_fit_call() -> None:
    use = "model.fit(tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32))"
    assert subclass_shape("", use) == "shape=(28, 28, 1)"


def test_a_custom_loop_over_enumerate_and_a_function_given_the_batch() -> None:
    loop = (
        "def step(batch):\n    model(batch, training=True)\n\n"
        "for i, (xb, yb) in enumerate(train_ds):\n    step(xb)"
    )
    data = "train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)"
    assert subclass_shape(data, loop) == "shape=(28, 28, 1)"


def test_a_function_given_arrays_at_every_call() -> None:
    use = "def run(data, labels):\n    model.fit(data, labels)\n\nrun(x_train, y_train)\nrun(x_test, y_test)"
    assert subclass_shape("", use) == "shape=(28, 28, 1)"


BATCHED = "train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)"


@pytest.mark.parametrize(
    ("data", "use"),
    [
        # The elements change, or are not batches of rows.
        ("train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(augment).batch(32)", None),
        ("train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))", None),
        ("train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(4).batch(8)", None),
        ("train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).padded_batch(32)", None),
        ("train_ds = tf.data.Dataset.from_tensor_slices({'image': x_train}).batch(32)", None),
        # The labels of each batch are not its images.
        (BATCHED, "for xb, yb in train_ds:\n    model(yb)"),
        # The loop rebinds or may change the batch before the model reads it.
        (BATCHED, "for xb, yb in train_ds:\n    xb = xb[:, ::2]\n    model(xb)"),
        (BATCHED, "for i, (xb, yb) in train_ds:\n    model(xb)"),
        # Other data reaches the function, or it is handed on as a value.
        (BATCHED, "def step(batch):\n    model(batch)\n\nfor xb, yb in train_ds:\n    step(xb)\nstep(np.zeros((1, 7)))"),
        (BATCHED, "def step(batch):\n    model(batch)\n\nfor xb, yb in train_ds:\n    strategy.run(step, args=(xb,))"),
        (BATCHED, "def step(batch):\n    model(batch)\n\nfor xb, yb in train_ds:\n    step(xb)\nother = step"),
        (BATCHED, "def step(batch=None):\n    model(batch)\n\nfor xb, yb in train_ds:\n    step()"),
        # The function may change the array before the model sees it.
        ("", "def run(data):\n    data.resize((10, 784))\n    model.fit(data, y_train)\n\nrun(x_train)"),
        ("", "def run(data):\n    if small:\n        data = data[:, :14]\n    model.fit(data, y_train)\n\nrun(x_train)"),
    ],
)
def test_what_may_hand_on_other_data_gives_no_shape(data, use) -> None:
    use = use or "model.fit(train_ds, epochs=2)"
    no_shape(SUBCLASS.format(data=data, use=use))
    if "def " not in use:
        no_shape(SEQUENTIAL.format(data=data, use=use))
