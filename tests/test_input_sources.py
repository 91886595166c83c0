"""Where a model that gives no input shape of its own gets one (issue 9: the largest refusal on real
code), and what the refusal says when nothing in the file answers for certain."""

from __future__ import annotations

import textwrap

import pytest

from converting import C, F, convert, refusal
from kconvert.types import Style
from kconvert.verify import Verdict, Worker, verify_sources

REBOUND = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

X = np.zeros((4, 8))
layer = layers.Dense(4, input_shape=(3,))
first = keras.Sequential([layer, layers.Dense(1)])
{between}
model = keras.Sequential([layer, layers.Dense(1)])
"""

HINT = (
    " (hint: pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),"
    " and --model model:LINE with this error's line, or make keras.Input(shape=...) its first layer;"
    " nothing after it in this file uses it)"
)


def test_a_name_bound_again_gives_the_shape_of_the_binding_the_model_sees() -> None:
    # handson-ml3 chapter 10 makes `norm_layer = Normalization(input_shape=X_train.shape[1:])`
    # before each of its models: the scope binds the name twice, the model's line sees the last.
    source = REBOUND.format(between="layer = layers.Normalization(input_shape=X.shape[1:])\nlayer.adapt(X)")
    assert "inputs = keras.Input(shape=X.shape[1:])\nx = layer(inputs)" in convert(source, F)


def test_a_normalization_adapted_only_after_the_model_is_read_as_one() -> None:
    # handson-ml3's order.  The binding the model's line sees is a Normalization, so the class
    # styles know it makes its mean and variance while it is built: built on `keras.Input` inside
    # a trace, the first real call would fail ("out of scope"), so the class gets a build() that
    # builds each layer before its symbolic call (emit/subclass/build.py).
    source = REBOUND.format(between="layer = layers.Normalization(input_shape=X.shape[1:])") + "layer.adapt(X)\n"
    assert "inputs = keras.Input(shape=X.shape[1:])\nx = layer(inputs)" in convert(source, F)
    subclass = convert(source, C)
    assert "    def build(self, input_shape):\n" in subclass
    assert "model = MyModel()\nmodel(keras.Input(shape=X.shape[1:]))\n" in subclass
    dense = REBOUND.format(between="layer = layers.Dense(4, input_shape=X.shape[1:])")
    assert "inputs = keras.Input(shape=X.shape[1:])\nx = layer(inputs)" in convert(dense, F)
    assert "def build(" not in convert(dense, C)


def test_a_binding_the_model_may_or_may_not_see_gives_no_shape() -> None:
    maybe = "if X.sum() > 0:\n    layer = layers.Dense(4, input_shape=X.shape[1:])"
    walrus = "print(layer := layers.Dense(4, input_shape=X.shape[1:]))"
    for between in (maybe, walrus):
        line = REBOUND.format(between=between).splitlines().index("model = keras.Sequential([layer, layers.Dense(1)])")
        messages = refusal(REBOUND.format(between=between), F)
        assert messages[0] == (
            f"m.py:{line + 1}:27: error: this model has no input shape, and kconvert does not run code to find one"
            + HINT
        )


def test_data_rebound_between_the_layer_and_the_model_gives_no_shape() -> None:
    # The Input would read `X.shape[1:]` after `X` changed: not the shape the layer was made with.
    source = REBOUND.format(between="layer = layers.Dense(4, input_shape=X.shape[1:])\nX = X[:, :5]")
    assert "this model has no input shape" in refusal(source, F)[0]


def test_a_function_that_may_rebind_the_layer_gives_no_shape() -> None:
    source = REBOUND.format(
        between="def reset():\n    global layer\n    layer = layers.Dense(4, input_shape=(2,))\n\n\nreset()"
    )
    assert "this model has no input shape" in refusal(source, F)[0]


FITTED = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

x = {data}
model = keras.Sequential([layers.Dense(4), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
{between}
model.fit(x, np.zeros((100, 1)), epochs=1)
"""


def test_fit_on_data_of_a_written_shape_gives_the_shape_keras_builds_with() -> None:
    cases = {
        "np.random.random((100, 20))": "(20,)",
        "np.random.rand(100, 5, 3)": "(5, 3)",
        "np.random.randint(0, 2, size=(100, 7))": "(7,)",
        "np.random.normal(0, 1, (100, 6))": "(6,)",
        "tf.random.uniform((100, 9))": "(9,)",
        "np.zeros((60000, 28, 28)).reshape(-1, 28 * 28)": "(28 * 28,)",
        "np.ones((60000, 28, 28)).reshape((60000, 28, 28, 1)).astype('float32') / 255": "(28, 28, 1)",
        "np.reshape(np.ones((10, 4)), (-1, 2, 2))[:50] * 2.0 - 1.0": "(2, 2)",
    }
    for data, shape in cases.items():
        converted = convert(FITTED.format(data=data, between=""), F)
        assert f"inputs = keras.Input(shape={shape})\n" in converted, data


def test_fit_on_data_of_an_unwritten_shape_or_after_another_use_gives_no_shape() -> None:
    unread = {
        "a dataset's elements mapped": ("tf.data.Dataset.from_tensor_slices(np.zeros((100, 4))).map(f).batch(8)", ""),
        "axis not a number": ("np.zeros((100, 28, 28)).reshape(-1, n)", "n = 784"),
        "called first on unwritten data": ("np.zeros((100, 4))", "model(np.load('x.npy'))"),
        "summary first": ("np.zeros((100, 4))", "model.summary()"),
        "a function that uses it": (
            "np.zeros((100, 4))",
            "def warm():\n    model.predict(np.zeros((1, 3)))\n\n\nwarm()",
        ),
        "data changed in place": ("np.zeros((100, 4))", "x.shape = (100, 2, 2)"),
    }
    for case, (data, between) in unread.items():
        messages = refusal(FITTED.format(data=data, between=between), F)
        assert "this model has no input shape" in messages[0], case
    # A first call on an array of a written shape builds the model on it, batch axis and all.
    called = convert(FITTED.format(data="np.zeros((100, 4))", between="model(np.zeros((1, 3)))"), F)
    assert "inputs = keras.Input(batch_shape=(1, 3))\n" in called
    # An axis the file does not write: the Input reads the array's own shape where the model is made.
    free = convert(FITTED.format(data="np.zeros((100, 28, 28)).reshape(100, -1)", between=""), F)
    assert "inputs = keras.Input(shape=x.shape[1:])\n" in free


def test_a_first_call_may_stand_inside_an_expression() -> None:
    # A study script's `print(network(x))`: the call builds the model as a line of its own would,
    # on the array's whole shape; the line must mention the model nowhere else.
    for between in ("print(model(np.zeros((2, 3))))", "print(model(np.zeros((2, 3))).shape)"):
        called = convert(FITTED.format(data="np.zeros((100, 4))", between=between), F)
        assert "inputs = keras.Input(batch_shape=(2, 3))\n" in called
    unread = {
        "in a comprehension": "print([model(x).shape for x in [np.zeros((2, 3))]])",
        "in a lambda": "probe = lambda x: model(x)",
        "the model twice": "print(model(np.zeros((2, 3))), model)",
        # Keras 3 builds on predict's first batch, batch axis and all (`batch_shape=(1, 4)` for
        # one row): its size depends on the rows and `batch_size`, which kconvert does not follow.
        "predict first": "model.predict(x[:1])",
    }
    for case, between in unread.items():
        messages = refusal(FITTED.format(data="np.zeros((100, 4))", between=between), F)
        assert "this model has no input shape" in messages[0], case


BUILDER = """\
from tensorflow import keras
from tensorflow.keras import layers


def create_model():
    return keras.Sequential([layers.Dense(4), layers.Dense(1)])


model = create_model()
model.compile(optimizer="adam", loss="mse")
model.build((None, 13))
{more}
"""


def test_a_builder_whose_callers_all_build_its_model_alike_gives_that_shape() -> None:
    more = "other = create_model()\nother.build(input_shape=[None, 13])"
    assert "def create_model():\n    inputs = keras.Input(shape=(13,))\n" in convert(BUILDER.format(more=more), F)


def test_a_builder_used_otherwise_or_built_with_other_shapes_gives_no_shape() -> None:
    unread = {
        "other shape": "other = create_model()\nother.build((None, 7))",
        "passed on": "callbacks = [create_model]",
        "in a list": "models = [(create_model(), 'a')]",
        "used first": "other = create_model()\nother.summary()\nother.build((None, 13))",
    }
    for case, more in unread.items():
        assert "this model has no input shape" in refusal(BUILDER.format(more=more), F)[0], case


def test_another_librarys_layer_class_made_apart_gives_its_input_shape() -> None:
    # A course notebook's `encoder = hub.KerasLayer(url, input_shape=[], dtype=tf.string)`, then
    # `Sequential([encoder, ...])`: written inline the same layer gave the shape, made apart it did not.
    source = """\
    import tensorflow as tf
    import tensorflow_hub as hub
    from tensorflow.keras import layers

    encoder = hub.KerasLayer("https://tfhub.dev/x/4", input_shape=[], dtype=tf.string)
    model = tf.keras.Sequential([encoder, layers.Dense(1)])
    """
    assert "inputs = tf.keras.Input(shape=[])\nx = encoder(inputs)\n" in convert(source, F)
    # A function's `input_shape=` is a parameter of its own: Keras reads no shape from what it returns.
    built = source.replace("hub.KerasLayer(", "hub.load_encoder(")
    assert "this model has no input shape" in refusal(built, F)[0]


@pytest.mark.tensorflow
def test_a_normalization_adapted_after_the_model_is_proven_in_every_direction() -> None:
    source = textwrap.dedent(REBOUND.format(between="layer = layers.Normalization(input_shape=X.shape[1:])")) + (
        "layer.adapt(X)\n"
    )
    with Worker() as worker:
        for target in (F, C, Style.FUNCTIONAL_SUBCLASS):
            report = verify_sources(source, convert(source, target), worker=worker)
            assert report.verdict is Verdict.EQUIVALENT, (target, report.render())


NAMED_USE = """\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([layers.Dense(30), layers.Dense(1)])
model.compile(loss="mse")
{use}
"""


def test_the_hint_names_the_line_that_first_uses_a_shapeless_model() -> None:
    # Most real refusals of this kind fit on data loaded from files: the hint says where that data
    # is, the line whose sample shape `--input-shape` wants (parse/first_use.py).
    uses = {
        "history = model.fit(\n    train_ds,\n    validation_data=valid_ds,\n    epochs=10,\n)": (
            "; the first line after it that uses it: `model.fit(train_ds, validation_data=valid_ds, epochs=10)` at line 7"
        ),
        "model.fit(train_ds, validation_data=valid_ds, epochs=10, callbacks=[stop])": (
            "; the first line after it that uses it: `model.fit(train_ds, ...)` at line 7"
        ),
        "model.summary()": "; the first line after it that uses it: `model.summary()` at line 7",
        "model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1)])": "; nothing after it in this file uses it",
        # A use in a function or in a block that may bind the name again is not followed.
        "def train(x):\n    model.fit(x)": "",
        "if np.random.rand() > 0.5:\n    model = None\nmodel.fit(train_ds)": "",
    }
    for use, tail in uses.items():
        message = refusal(NAMED_USE.format(use=use), F)[0]
        assert message.endswith(f"its first layer{tail})"), (use, message)


def test_a_builder_built_on_sizes_the_file_names() -> None:
    # Python Machine Learning's GAN chapter: `z_size = 20`, `image_size = (28, 28)`, then inside
    # `with tf.device(device_name):` `gen_model.build(input_shape=(None, z_size))` and
    # `disc_model.build(input_shape=(None, np.prod(image_size)))`.  Each axis is written as the
    # numbers, so the builder's Input reads no name of its callers' scope.
    sizes = "import numpy as np\nimport tensorflow as tf\nz_size = 20\nimage_size = (28, 28)\n"
    built = {"(None, z_size)": "(20,)", "(None, np.prod(image_size))": "(28 * 28,)"}
    for shape, written in built.items():
        source = sizes + BUILDER.replace("model.build((None, 13))", f"model.build(input_shape={shape})").format(more="")
        assert f"    inputs = keras.Input(shape={written})\n" in convert(source, F), shape
        inside = source.replace("model = create_model()\n", "with tf.device('/cpu:0'):\n    model = create_model()\n")
        inside = inside.replace("model.compile(", "    model.compile(").replace("model.build(", "    model.build(")
        assert f"    inputs = keras.Input(shape={written})\n" in convert(inside, F), shape
        # A `with` that binds the name (`as z_size`) gives it another value.
        bound = inside.replace("with tf.device('/cpu:0'):", "with open('f') as z_size:")
        if "z_size)" in shape:
            assert "this model has no input shape" in refusal(bound, F)[0]
