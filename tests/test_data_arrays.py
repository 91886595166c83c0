"""A model with no input shape first fitted (or called) on an array whose shape the file does not
write gets ``keras.Input(shape=X.shape[1:])``, read where the model is made (parse/data_arrays.py);
every case here where that would read other data than Keras builds on, or no array, is refused
as before."""

from __future__ import annotations

import pytest

from converting import F, C, convert, input_arguments, refusal

SEQUENTIAL = """\
import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from tensorflow import keras
from tensorflow.keras import layers

frame = pd.read_csv("data.csv")
{data}
model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
{between}
model.fit(X, y, epochs=2)
"""

NO_SHAPE = "this model has no input shape"


def shape_of(data: str, between: str = "") -> str:
    return input_arguments(SEQUENTIAL.format(data=data, between=between))


def refused(data: str, between: str = "") -> None:
    assert NO_SHAPE in refusal(SEQUENTIAL.format(data=data, between=between), F)[0]


@pytest.mark.parametrize(
    "data",
    [
        'X = frame.drop(columns=["y"]).values',
        'X = frame[["a", "b"]].to_numpy()',
        "X = np.load('x.npy')",
        "X = np.loadtxt('x.csv', delimiter=',')[:, :-1]",
        "X = tf.constant(np.load('x.npy'))",
        "raw = frame.values\nX = (raw - raw.mean(axis=0)) / raw.std(axis=0)",
        "X = frame.values\nX /= 255.0",
        'X = np.load("x.npy").reshape(-1, rows, cols).astype("float32")',
        "X_all = frame.values\nX, X_test, y, y_test = train_test_split(X_all, frame.y.values)",
        "scaler = StandardScaler()\nX = scaler.fit_transform(frame.values)",
        "X = StandardScaler().fit_transform(frame.values)",
        "X = keras.utils.pad_sequences(sequences, maxlen=maxlen)",
        "from sklearn.datasets import fetch_california_housing\nhousing = fetch_california_housing()\n"
        "X, X_test, y, y_test = train_test_split(housing.data, housing.target)",
        "(X, y), _ = keras.datasets.mnist.load_data()\nX = X.reshape(X.shape[0], rows * cols)",
    ],
)
def test_an_array_of_an_unwritten_shape_is_read_where_the_model_is_made(data) -> None:
    assert shape_of(data) == "shape=X.shape[1:]"


def test_reads_between_the_model_and_the_fit_that_only_look() -> None:
    assert shape_of("X = frame.values", between="print(X.shape)\nnp.mean(X)") == "shape=X.shape[1:]"


def test_a_first_call_builds_on_the_whole_shape() -> None:
    source = SEQUENTIAL.format(data="X = frame.values", between="").replace("model.fit(X, y, epochs=2)", "model(X)")
    assert "keras.Input(batch_shape=X.shape)" in convert(source, F)


@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("a Python list", "X = [[0.0, 1.0], [1.0, 0.0]]"),
        ("a DataFrame", 'X = frame.drop(columns=["y"])'),
        ("a split of a DataFrame", 'X, X_test, y, y_test = train_test_split(frame.drop(columns=["y"]), frame.y)'),
        ("a dict of columns", 'X = {"a": frame.a.values, "b": frame.b.values}'),
        ("a dict's values", "X = columns.values()"),
        ("a tf.data Dataset", "X = tf.data.Dataset.from_tensor_slices((frame.values, frame.y.values)).batch(32)"),
        ("a generator", "X = (row for row in frame.values)"),
        ("an unknown function", "X = prepare(frame)"),
        ("a scaler not known to give an array", "X = vectorizer.fit_transform(texts)"),
        ("imdb's lists of words", "(X, y), _ = keras.datasets.imdb.load_data()"),
        ("a scikit-learn data set as frames", "from sklearn import datasets\niris = datasets.load_iris(as_frame=True)\nX = iris.data"),
        ("bound in a branch", "if small:\n    X = frame.values[:100]\nelse:\n    X = frame.values"),
    ],
)
def test_data_that_is_not_certainly_an_array_is_refused(case, data) -> None:
    refused(data)


@pytest.mark.parametrize(
    "between",
    [
        "X = frame.values[:, :3]",
        "X, y = X[:, :2], y[:100]",
        "X /= 255.0",
        "X.resize((100, 4))",
        "X.shape = (100, 2, 2)",
        "scale(X)",
    ],
)
def test_data_rebound_or_changed_between_the_model_and_the_fit_is_refused(between) -> None:
    # The Input would read the array as it was when the model was made, not the one Keras builds on.
    refused("X = frame.values", between=between)


@pytest.mark.parametrize("between", ["X, y = X[:100], y[:100]", "X_val = X[:10]\nX = X[10:]"])
def test_rows_of_the_data_taken_after_the_model_have_its_sample_shape(between) -> None:
    # `X[10:]` has the rows' shape of the `X` the model's line sees, which the Input reads.
    assert shape_of("X = frame.values", between=between) == "shape=X.shape[1:]"


def test_rows_taken_after_the_model_of_data_changed_since_are_refused() -> None:
    refused("X = frame.values", between="X_all = X\nX_all.resize((10, 2))\nX = X_all[10:]")
    refused("X = frame.values", between="X = X[:, 1:][10:]")


def test_data_bound_after_the_model_is_refused() -> None:
    source = SEQUENTIAL.format(data="", between="X = frame.values")
    assert NO_SHAPE in refusal(source, F)[0]


BUILDER = """\
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

X = pd.read_csv("data.csv").values


def build_model():
    model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


model = build_model()
model.fit(X, X[:, :1], epochs=2)
"""


def test_a_model_made_in_a_builder_while_the_data_is_at_module_level_is_refused() -> None:
    # The builder cannot read the caller's data (it may be called on other data, or from another
    # file); giving it an `input_shape` parameter is the user's call, which the hint names.
    message = refusal(BUILDER, F)[0]
    assert NO_SHAPE in message and "keras.Input(shape=...)" in message


SUBCLASS = """\
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, inputs):
        return self.dense(inputs)


{use}
"""


def test_a_subclass_made_where_its_class_sees_the_data() -> None:
    use = 'X = pd.read_csv("data.csv").values\nmodel = Net()\nmodel.compile(loss="mse")\nmodel.fit(X, X[:, :1])'
    assert "inputs = keras.Input(shape=X.shape[1:])" in convert(SUBCLASS.format(use=use), F)
    called = 'X = pd.read_csv("data.csv").values\ny = Net()(X)'
    assert "inputs = keras.Input(shape=X.shape[1:])" in convert(SUBCLASS.format(use=called), F)


def test_a_subclass_made_in_a_function_whose_data_its_class_cannot_see_is_refused() -> None:
    use = (
        "def main():\n"
        '    X = pd.read_csv("data.csv").values\n'
        "    model = Net()\n"
        '    model.compile(loss="mse")\n'
        "    model.fit(X, X[:, :1])\n"
    )
    assert NO_SHAPE in refusal(SUBCLASS.format(use=use), F)[0]


def test_the_subclass_target_builds_on_the_data_where_the_model_is_made() -> None:
    converted = convert(SEQUENTIAL.format(data="X = frame.values", between=""), C)
    assert "model = MyModel()\nmodel(keras.Input(shape=X.shape[1:]))\n" in converted


def test_a_subclass_of_two_inputs_fitted_on_a_tuple_of_arrays() -> None:
    # Hands-On ML's wide-and-deep model: each input reads its own array; a dict stays unread
    # (Keras matches its keys to the inputs by name).
    two = SUBCLASS.replace("return self.dense(inputs)", "wide, deep = inputs\n        return self.dense(deep) + wide")
    use = 'X = pd.read_csv("data.csv").values\nX_a, X_b = X[:, :5], X[:, 2:]\nmodel = Net()\nmodel.fit((X_a, X_b), X[:, :1])'
    converted = convert(two.format(use=use), F)
    assert "keras.Input(shape=X_a.shape[1:])" in converted and "keras.Input(shape=X_b.shape[1:])" in converted
    keyed = use.replace("model.fit((X_a, X_b)", 'model.fit({"wide": X_a, "deep": X_b}')
    assert NO_SHAPE in refusal(two.format(use=keyed), F)[0]


OWN = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers


{function}


X = prepare(sequences)
model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, labels, epochs=2)
"""

VECTORIZE = """\
def prepare(sequences, dimension=10000):
    results = np.zeros((len(sequences), dimension))
    for i, sequence in enumerate(sequences):
        for j in sequence:
            results[i, j] = 1.0
    return results"""


@pytest.mark.parametrize(
    "function",
    [
        VECTORIZE,
        "def prepare(rows):\n    if not rows:\n        return np.zeros((0, 4))\n    return np.stack(rows).astype('float32')",
        "def prepare(rows):\n    return np.asarray(rows) / 255.0",
    ],
)
def test_the_files_own_function_that_always_returns_an_array(function) -> None:
    assert "keras.Input(shape=X.shape[1:])" in convert(OWN.format(function=function), F)


@pytest.mark.parametrize(
    ("case", "function"),
    [
        ("a list on one path", "def prepare(rows):\n    if not rows:\n        return []\n    return np.stack(rows)"),
        ("None at the end", "def prepare(rows):\n    if rows:\n        return np.stack(rows)"),
        ("a bare return", "def prepare(rows):\n    if not rows:\n        return\n    return np.stack(rows)"),
        ("a generator", "def prepare(rows):\n    yield np.stack(rows)\n    return np.stack(rows)"),
        ("a decorator", "@cache\n" + VECTORIZE),
        ("a coroutine", "async " + VECTORIZE),
        ("rebound in the function", VECTORIZE.replace("    return", "    results = results.tolist()\n    return")),
        ("bound by a loop", VECTORIZE.replace("for j in sequence", "for results in sequence")),
        ("a parameter", "def prepare(rows, results=None):\n    return results"),
        ("defined twice", VECTORIZE + "\n\n\ndef prepare(rows):\n    return rows"),
        ("rebound at module level", VECTORIZE + "\n\n\nprepare = str"),
    ],
)
def test_a_function_that_may_return_something_else_is_refused(case, function) -> None:
    assert NO_SHAPE in refusal(OWN.format(function=function), F)[0]


def test_made_up_data_of_scikit_learn() -> None:
    data = "from sklearn.datasets import make_circles\nX, y = make_circles(1000, noise=0.03)"
    assert shape_of(data) == "shape=X.shape[1:]"
    # A function of the file that takes the data does not bind it.
    plotting = data + "\n\n\ndef plot(model, X, y):\n    X = X[:, :1]\n    print(model, X, y)\n\n\nplot(None, X, y)"
    assert shape_of(plotting) == "shape=X.shape[1:]"
    refused("from sklearn.datasets import make_circles\nX, y = make_circles(1000)\ny, X = X, y")


def test_rows_taken_after_the_model_for_a_first_call_are_refused() -> None:
    # A call builds on the whole batch, rows and all: `X[:3]` is not `X`'s batch.  Read so in
    # every style, a subclass's reading of the same call agrees (the safety check compares them).
    source = SEQUENTIAL.format(data="X = frame.values", between="").replace(
        "model.fit(X, y, epochs=2)", "X_new = X[:3]\nmodel(X_new)"
    )
    assert NO_SHAPE in refusal(source, F)[0]
    assert "class MyModel(keras.Model)" in convert(source, C)
