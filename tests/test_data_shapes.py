"""The static shape reader of parse/data_shapes.py: each way a file may load or transform the data a
model is first fitted or called on, and the ones it must not read (a wrong shape is a different
model, converted without a word)."""

from __future__ import annotations

import pytest

from converting import F, convert, input_arguments, refusal

SEQUENTIAL = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from sklearn.model_selection import train_test_split
import matplotlib.pyplot as plt

{data}

model = keras.Sequential([layers.Flatten(), layers.Dense(10)])
model.compile(optimizer="adam", loss="mse")
model.{use}(x, y)
"""

SUBCLASS = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

{data}


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(10)

    def call(self, inputs):
        return self.dense(inputs)


model = Net()
model.compile(optimizer="adam", loss="mse")
{use}
"""

LOADED = "(x, y), (x_test, y_test) = keras.datasets.mnist.load_data()\n"


def shape_of(data: str, use: str = "fit") -> str:
    return input_arguments(SEQUENTIAL.format(data=data, use=use))


def no_shape(data: str, use: str = "fit") -> None:
    assert "this model has no input shape" in refusal(SEQUENTIAL.format(data=data, use=use), F)[0]


@pytest.mark.parametrize(
    ("dataset", "shape"),
    [
        ("mnist", "(28, 28)"),
        ("fashion_mnist", "(28, 28)"),
        ("cifar10", "(32, 32, 3)"),
        ("cifar100", "(32, 32, 3)"),
        ("boston_housing", "(13,)"),
    ],
)
def test_a_keras_data_set_gives_its_sample_shape(dataset, shape) -> None:
    assert shape_of(f"(x, y), (x_test, y_test) = keras.datasets.{dataset}.load_data()") == f"shape={shape}"


def test_the_test_part_and_a_module_alias_and_a_stored_result_unpack_alike() -> None:
    alias = "mnist = tf.keras.datasets.mnist\n(x_train, y_train), (x, y) = mnist.load_data()"
    stored = "data = keras.datasets.cifar10.load_data()\n(x, y), _ = data"
    assert shape_of(alias) == "shape=(28, 28)"
    assert shape_of(stored) == "shape=(32, 32, 3)"


def test_the_labels_of_a_data_set_are_not_its_images() -> None:
    # An array all the same, whose shape the Input reads where the model is made.
    assert shape_of("(y, x), (x_test, y_test) = keras.datasets.mnist.load_data()") == "shape=x.shape[1:]"
    # imdb's samples are lists of words of different lengths: no array of a sample shape.
    no_shape("(x, y), (x_test, y_test) = keras.datasets.imdb.load_data()")


def test_scaling_and_a_new_type_keep_the_shape() -> None:
    assert shape_of(LOADED + "x = x / 255.0") == "shape=(28, 28)"
    assert shape_of(LOADED + 'x = x.astype("float32")') == "shape=(28, 28)"
    assert shape_of(LOADED + "x = tf.cast(x, tf.float32)") == "shape=(28, 28)"
    assert shape_of(LOADED + "x, x_test = x / 255.0, x_test / 255.0") == "shape=(28, 28)"


def test_a_reshape_with_written_axes() -> None:
    assert shape_of(LOADED + "x = x.reshape(-1, 784)") == "shape=(784,)"
    assert shape_of(LOADED + "x = x.reshape(60000, 28, 28, 1)") == "shape=(28, 28, 1)"
    assert shape_of(LOADED + "x = x.reshape(-1, 28, 28, n)") == "shape=x.shape[1:]"


def test_a_reshape_reads_its_axes_through_names_bound_to_whole_numbers() -> None:
    # Hands-On Computer Vision's LeNet-5: `img_rows, img_cols, img_ch = 28, 28, 1`, `input_shape =
    # (img_rows, img_cols, img_ch)`, then `x.reshape(x.shape[0], *input_shape)`.  The axes are
    # written as the numbers, so the Input cannot read another binding of the names.
    sizes = "img_rows, img_cols, img_ch = 28, 28, 1\ninput_shape = (img_rows, img_cols, img_ch)\n"
    reshapes = ("x.reshape(x.shape[0], *input_shape)", "x.reshape((-1, *input_shape))", "x.reshape(-1, img_rows, 28, 1)")
    for reshape in reshapes:
        assert shape_of(sizes + LOADED + f"x = {reshape}") == "shape=(28, 28, 1)", reshape
    assert shape_of("n = 20\nx = np.zeros((1000, n))") == "shape=(20,)"
    # A class between binds its methods' parameters (`def build(self, input_shape)`) in its own
    # scope, not the module's.
    layer = "class Conv(keras.layers.Layer):\n    def build(self, input_shape):\n        self.k = input_shape[-1]\n"
    data = sizes + LOADED + "x = x.reshape(-1, *input_shape)\n" + layer
    assert "keras.Input(shape=(28, 28, 1))" in convert(SUBCLASS.format(data=data, use="model.predict(x[:10])"), F)
    # A list may change while it is bound: then the array's own shape is read where the model is made.
    grown = "shape = [28, 28]\nshape.append(1)\n" + LOADED + "x = x.reshape(-1, *shape)"
    assert shape_of(grown) == "shape=x.shape[1:]"
    # A name the read may see bound otherwise, or to a number that is not a whole one, is no such
    # axis: the array's own shape is read instead.
    for sizes in ("n = 20\nif np.random.rand() > 0.5:\n    n = 10\n", "n = 2.5\n"):
        assert shape_of(sizes + "x = np.zeros((1000, n))") == "shape=x.shape[1:]", sizes


@pytest.mark.parametrize("index", ["[..., np.newaxis]", "[..., None]", "[:, :, :, tf.newaxis]", "[:, :, None]"])
def test_a_new_axis(index) -> None:
    expected = "shape=(28, 1, 28)" if index == "[:, :, None]" else "shape=(28, 28, 1)"
    assert shape_of(LOADED + f"x = x{index}") == expected


@pytest.mark.parametrize("call", ["np.expand_dims(x, -1)", "tf.expand_dims(x, axis=-1)", "np.expand_dims(x, 3)"])
def test_expand_dims(call) -> None:
    assert shape_of(LOADED + f"x = {call}") == "shape=(28, 28, 1)"


def test_rows_of_the_data() -> None:
    assert shape_of(LOADED + "x = x[:5000]") == "shape=(28, 28)"
    assert shape_of(LOADED + "x = x[5000:] / 255.") == "shape=(28, 28)"
    # A part of another axis, or one sample, is not read: the Input reads the array's own.
    assert shape_of(LOADED + "x = x[:, :5]") == "shape=x.shape[1:]"
    assert shape_of(LOADED + "x = x[0]") == "shape=x.shape[1:]"


@pytest.mark.parametrize(("rows", "batch"), [("[0]", "1"), ("[0, 5, 9]", "3")])
def test_rows_picked_by_a_list_keep_the_sample_shape(rows, batch) -> None:
    # A call builds the model on the array's whole shape: the rows picked are its batch axis.
    source = SEQUENTIAL.format(data=LOADED + "x = x[..., None] / 255.0", use="build").replace(
        "model.build(x, y)", f"y_first = model(x[{rows}])"
    )
    assert input_arguments(source) == f"batch_shape=({batch}, 28, 28, 1)"
    # Rows picked by a name, or a list of anything but whole numbers, are not read.
    for other in ("[i]", "[0, j]"):
        unknown = source.replace(f"x[{rows}]", f"x[{other}]")
        assert "this model has no input shape" in refusal(unknown, F)[0]


def test_train_test_split_keeps_the_sample_shape() -> None:
    split = "x_all = np.random.random((100, 8))\nx, x_valid, y, y_valid = train_test_split(x_all, np.zeros(100))"
    assert shape_of(split) == "shape=(8,)"
    labels = "x_all = np.random.random((100, 8))\ny, y_valid, x, x_valid = train_test_split(np.zeros(100), x_all)"
    assert shape_of(labels) == "shape=(8,)"


@pytest.mark.parametrize(
    "maker", ["tf.range(-100, 100, 4)", "np.arange(10)", "np.linspace(0.0, 1.0, 20)", "np.arange(-1.0, 1.0, 0.1)"]
)
def test_a_range_of_literal_numbers_is_one_axis(maker) -> None:
    assert shape_of(f"x = tf.expand_dims({maker}, axis=-1)") == "shape=(1,)"
    no_shape(f"x = {maker}")  # one axis: a sample has no shape to give an Input


def test_a_literal_array() -> None:
    assert shape_of("x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])") == "shape=(3,)"
    assert shape_of("x = np.array([[-1, 2], [3, 4]], dtype=float)") == "shape=(2,)"
    assert shape_of("x = np.array([[1, 2], [3]])") == "shape=x.shape[1:]"
    assert shape_of("x = np.array(values)") == "shape=x.shape[1:]"


def test_evaluate_builds_as_fit_does_but_predict_on_its_first_batch() -> None:
    # Keras 3 builds an unbuilt Sequential with `(None, 8)` in fit and evaluate, `(32, 8)` in predict.
    assert shape_of("x = np.random.random((100, 8))", use="evaluate") == "shape=(8,)"
    no_shape("x = np.random.random((100, 8))", use="predict")


def test_reads_between_that_only_look_at_the_data() -> None:
    looks = LOADED + "print(x.shape)\nx\nx, y\nplt.imshow(x[0])\nfirst = x[0]"
    assert shape_of(looks) == "shape=(28, 28)"
    # numpy and TensorFlow make new arrays; an earlier model trains on the same data.
    uses = LOADED + "np.mean(x)\nflat = tf.expand_dims(x, -1)\nearlier.fit(x, y)\nearlier.predict(x)\nz = -x + 10\nx > 0"
    assert shape_of(uses) == "shape=(28, 28)"
    # A function whose `x` is its own parameter; a loop and a branch that only look.
    blocks = LOADED + "def show(x):\n    x.resize((1, 1))\nfor i in range(3):\n    plt.imshow(x[i])\nif verbose:\n    print(x.shape)"
    assert shape_of(blocks) == "shape=(28, 28)"


@pytest.mark.parametrize(
    "between",
    [
        "x.resize((60000, 784))",
        "np.ndarray.resize(x, (60000, 784))",
        "x.shape = (60000, 784)",
        "prepare(x)",
        "def shrink():\n    x.resize((10, 784))",
        "x[0] = 0",
        "for image in x:\n    show(image)",
    ],
)
def test_a_use_between_that_may_change_the_data_gives_no_shape(between) -> None:
    # Before the model, the Input reads the array as they leave it; between the model and the fit,
    # the model would be built on other data than the Input read.
    source = SEQUENTIAL.format(data=LOADED, use="fit").replace("model.fit(x, y)", f"{between}\nmodel.fit(x, y)")
    assert "this model has no input shape" in refusal(source, F)[0]
    if not between.startswith(("for", "x.shape")):
        assert shape_of(LOADED + between) == "shape=x.shape[1:]"


def test_an_unknown_step_gives_no_shape() -> None:
    assert shape_of(LOADED + "x = x - x.mean()") == "shape=x.shape[1:]"
    no_shape(LOADED + "x = augment(x)")
    no_shape(LOADED + "if flat:\n    x = x.reshape(-1, 784)")


def test_a_build_through_a_tensor_shape() -> None:
    data = "shape = (28, 28, 1)\nx = None"
    source = SEQUENTIAL.format(data=data, use="fit").replace(
        "model.fit(x, y)", "model.build(tf.TensorShape((None, *shape)))"
    )
    assert "keras.Input(shape=(28, 28, 1))" in convert(source, F)
    named = SEQUENTIAL.format(data="x = None", use="fit").replace(
        "model.fit(x, y)", "batched = tf.TensorShape([None, 13])\nmodel.build(input_shape=batched)"
    )
    assert "keras.Input(shape=(13,))" in convert(named, F)


@pytest.mark.parametrize(
    "use",
    [
        "model.fit(x, y)",
        "model.predict(x)",
        "model.evaluate(x, y)",
        "model(x)",
        "model.build(tf.TensorShape((None, 28, 28, 1)))",
        "model.build(input_shape=[None, 28, 28, 1])",
    ],
)
def test_a_subclass_gets_the_shape_of_its_first_use(use) -> None:
    data = LOADED + "x = x[..., np.newaxis] / 255.0"
    assert "keras.Input(shape=(28, 28, 1))" in convert(SUBCLASS.format(data=data, use=use), F)


def test_a_subclass_first_used_on_unknown_data_gives_no_shape() -> None:
    data = LOADED + "x = x[..., np.newaxis] / 255.0"
    source = SUBCLASS.format(data=data, use="model.predict(batch)\nmodel.fit(x, y)")
    assert "this model has no input shape" in refusal(source, F)[0]
    # A literal that is not a shape: `tf.constant((1., 2.))` is two numbers, not a (2,) sample.
    constant = SUBCLASS.format(data="", use="model(tf.constant((1.0, 2.0)))")
    assert "this model has no input shape" in refusal(constant, F)[0]


def test_scaling_in_place_keeps_the_shape() -> None:
    # `x /= 255` is `x / 255` for a shape; centring on the mean of the rows keeps it too.
    assert shape_of(LOADED + "x = x.astype('float32')\nx /= 255") == "shape=(28, 28)"
    centred = "mean = x.mean(axis=0)\nx -= mean\nstd = x.std(axis=0)\nx /= std"
    assert shape_of(LOADED + centred) == "shape=(28, 28)"
    source = SEQUENTIAL.format(data=LOADED, use="fit").replace("model.fit(x, y)", "x /= 255\nmodel.fit(x, y)")
    assert "keras.Input(shape=(28, 28))" in convert(source, F)


@pytest.mark.parametrize("data", ["x -= x.mean(axis=1)", "x = x - x.mean(axis=-1)"])
def test_a_reduction_of_each_sample_gives_no_written_shape(data) -> None:
    # The mean of each sample broadcasts over the rows only by chance: no literal shape, but x
    # stays an array, whose own shape the Input reads.
    assert shape_of(LOADED + data) == "shape=x.shape[1:]"


@pytest.mark.parametrize("data", ["x @= w", "x -= other.mean(axis=0)", "x += noise"])
def test_in_place_steps_with_unknown_data_give_no_shape(data) -> None:
    no_shape(LOADED + data)


FOLDS = """(train_data, train_targets), _ = keras.datasets.boston_housing.load_data()
train_data -= train_data.mean(axis=0)
n = len(train_data) // 4
for i in range(4):
    folds = np.concatenate([train_data[:i * n], train_data[(i + 1) * n:]], axis=0)
    print(i)
for i in range(4):
    {fold}
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="rmsprop", loss="mse")
    model.fit(x, train_targets[:len(x)])
"""


@pytest.mark.parametrize(
    "fold",
    [
        "x = np.concatenate([train_data[:i * n], train_data[(i + 1) * n:]], axis=0)",
        "x = np.concatenate((train_data[:i * n], train_data[(i + 1) * n:]))",
        "x = tf.concat([train_data[:i * n], train_data[(i + 1) * n:]], axis=0)",
    ],
)
def test_rows_joined_in_a_loop_that_binds_nothing_else(fold) -> None:
    # The loop reads `train_data` as bound before it; a loop that only reads it between is a look.
    source = SEQUENTIAL.format(data=FOLDS.format(fold=fold), use="fit").split("\nmodel = keras.Sequential")[0]
    assert "keras.Input(shape=(13,))" in convert(source + "\n", F)


@pytest.mark.parametrize(
    "fold",
    [
        # Joined along another axis, or parts of different shapes, or a loop that rebinds the data.
        "x = np.concatenate([train_data, train_data], axis=1)",
        "x = np.concatenate([train_data, train_data[:, :5]])",
        "x = tf.concat([train_data[:n], train_data[n:]])",
        "train_data = train_data[:n]\n    x = np.concatenate([train_data, train_data])",
        "x = np.concatenate([train_data[:n], extra])",
    ],
)
def test_rows_joined_in_a_way_of_unknown_shape_give_no_written_shape(fold) -> None:
    # Still an array made in the loop, before the model: the Input reads its shape there.
    source = SEQUENTIAL.format(data=FOLDS.format(fold=fold), use="fit").split("\nmodel = keras.Sequential")[0]
    assert "keras.Input(shape=x.shape[1:])" in convert(source + "\n", F)


BUILDER = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

(x, y), _ = keras.datasets.boston_housing.load_data()


def build_model():
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="rmsprop", loss="mse")
    {then}


model = build_model()
model.fit(x, y)
"""


def test_a_builder_that_compiles_before_it_returns_gets_its_callers_shape() -> None:
    # compile() does not build the model: every caller still fits it first, on (13,) rows.
    assert "    inputs = keras.Input(shape=(13,))" in convert(BUILDER.format(then="return model"), F)
    # Any other use before the return may build it, on data no caller shows.
    used_inside = "warm_up(model)\n    return model"
    assert "this model has no input shape" in refusal(BUILDER.format(then=used_inside), F)[0]


PLOT = "def plot(train_data=x, labels=None):\n    plt.scatter(train_data[:, 0], labels)\n    {more}\n\n\n"


@pytest.mark.parametrize("call", ["plot()", "plot(x, y)", "plot(labels=y, train_data=x)"])
def test_the_files_own_function_that_only_looks_at_the_data(call) -> None:
    # The array reaches the body as `train_data`, by default or by argument; plotting only looks.
    assert shape_of(LOADED + PLOT.format(more="print(labels)") + call) == "shape=(28, 28)"


@pytest.mark.parametrize(
    "more", ["train_data.resize((1, 784))", "train_data.shape = (1, 784)", "plot(train_data)", "shrink(train_data)"]
)
def test_the_files_own_function_that_may_change_the_data_gives_no_written_shape(more) -> None:
    # Defined after the data with `x` as a default, then called with it: the body may reshape it
    # in place (a recursion is not followed).  The Input then reads x where the model is made.
    assert shape_of(LOADED + PLOT.format(more=more) + "plot(x)") == "shape=x.shape[1:]"

