"""Small (source, target, expected) cases, pyupgrade style, for behaviours the fixtures do not show."""

from __future__ import annotations

import pytest

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Refused, Style

from converting import convert

F, S = Style.FUNCTIONAL, Style.SEQUENTIAL

CASES = [
    pytest.param(
        "import keras\n"
        "model = keras.Sequential()\n"
        "model.add(keras.layers.Embedding(input_dim=1000, output_dim=64, input_shape=(20,)))\n"
        "model.add(keras.layers.Dense(1))\n",
        F,
        "import keras\n"
        "inputs = keras.Input(shape=(20,))\n"
        "x = keras.layers.Embedding(input_dim=1000, output_dim=64)(inputs)\n"
        "outputs = keras.layers.Dense(1)(x)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n",
        id="embedding-input_dim-is-the-vocabulary",
    ),
    pytest.param(
        "import keras\n"
        "maxlen = 40\n"
        "model = keras.Sequential()\n"
        "model.add(keras.layers.Embedding(500, 16, input_length=maxlen))\n"
        "model.add(keras.layers.Flatten())\n",
        F,
        "import keras\n"
        "maxlen = 40\n"
        "inputs = keras.Input(shape=(maxlen,))\n"
        "x = keras.layers.Embedding(500, 16)(inputs)\n"
        "outputs = keras.layers.Flatten()(x)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n",
        id="keras-2-embedding-input_length-is-the-input-shape",
    ),
    pytest.param(
        "import keras\n"
        "model = keras.Sequential([keras.layers.Embedding(500, 16, input_length=None, input_shape=(8,))])\n",
        F,
        "import keras\n"
        "inputs = keras.Input(shape=(8,))\n"
        "outputs = keras.layers.Embedding(500, 16, input_length=None)(inputs)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n",
        id="embedding-input_shape-wins-over-input_length",
    ),
    pytest.param(
        "import keras\n"
        "model = keras.Sequential()\n"
        "model.add(keras.layers.Embedding(1000, 64))\n"
        "model.add(keras.layers.LSTM(8))\n"
        "model.build((None, 250))\n"
        "model.summary()\n",
        F,
        "import keras\n"
        "inputs = keras.Input(shape=(250,))\n"
        "x = keras.layers.Embedding(1000, 64)(inputs)\n"
        "outputs = keras.layers.LSTM(8)(x)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n"
        "model.summary()\n",
        id="shape-from-model-build",
    ),
    pytest.param(
        "import keras\n"
        "y = keras.Input((4,))\n"
        "z = keras.Sequential([keras.layers.Dense(2)])(y)\n"
        "m = keras.Model(y, z)\n",
        S,
        "import keras\n"
        "m = keras.Sequential(\n"
        "    [\n"
        "        keras.Input((4,)),\n"
        "        keras.Sequential([keras.layers.Dense(2)]),\n"
        "    ]\n"
        ")\n",
        id="inline-sequential-is-a-layer-not-a-model",
    ),
    pytest.param(
        "import keras\n"
        "from keras import layers\n"
        "inputs = keras.Input(shape=(4,))\n"
        "z_mean = layers.Dense(2)(inputs)\n"
        "encoder = keras.Model(inputs, z_mean)\n"
        "\n"
        "\n"
        "def encode(data):\n"
        "    z_mean = encoder(data)\n"
        "    return z_mean\n",
        S,
        "import keras\n"
        "from keras import layers\n"
        "encoder = keras.Sequential(\n"
        "    [\n"
        "        keras.Input(shape=(4,)),\n"
        "        layers.Dense(2),\n"
        "    ]\n"
        ")\n"
        "\n"
        "\n"
        "def encode(data):\n"
        "    z_mean = encoder(data)\n"
        "    return z_mean\n",
        id="a-function-local-of-the-same-name-is-not-a-use",
    ),
    pytest.param(
        "import keras\n"
        "inputs = keras.Input(shape=(4,))\n"
        "z_mean = keras.layers.Dense(2)(inputs)\n"
        "encoder = keras.Model(inputs, z_mean)\n"
        "\n"
        "\n"
        "class VAE(keras.Model):\n"
        "    def train_step(self, data):\n"
        "        z_mean = self.encoder(data)\n"
        "        return {}\n",
        S,
        "import keras\n"
        "encoder = keras.Sequential(\n"
        "    [\n"
        "        keras.Input(shape=(4,)),\n"
        "        keras.layers.Dense(2),\n"
        "    ]\n"
        ")\n"
        "\n"
        "\n"
        "class VAE(keras.Model):\n"
        "    def train_step(self, data):\n"
        "        z_mean = self.encoder(data)\n"
        "        return {}\n",
        id="a-method-local-of-the-same-name-is-not-a-use",
    ),
]


@pytest.mark.parametrize(("source", "target", "expected"), CASES)
def test_conversion(source: str, target: Style, expected: str) -> None:
    result = convert_source(source, target, Options())
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert result.source == expected


REFUSALS = [
    pytest.param(
        "from tensorflow.python.keras.models import Sequential\n"
        "from tensorflow.python.keras.layers import Dense\n"
        "model = Sequential([Dense(2, input_dim=3)])\n",
        F,
        "<string>:3:9: error: `tensorflow.python.keras.models.Sequential` is a Keras 2 internal path"
        " that Keras 3 does not have (hint: import from `keras` or `tensorflow.keras` instead;"
        " kconvert keeps the path a file uses)",
        id="keras-2-internal-path",
    ),
    pytest.param(
        # TensorFlow 1's home of Keras (MoleImg's Attention U-Net): said at the model's line,
        # not "no Keras model found".
        "from tensorflow.contrib.keras import models, layers\n"
        "inputs = layers.Input((8,))\n"
        "outputs = layers.Dense(2)(inputs)\n"
        "model = models.Model(inputs=[inputs], outputs=[outputs])\n",
        S,
        "<string>:4:9: error: `tensorflow.contrib.keras.models.Model` is a Keras 2 internal path"
        " that Keras 3 does not have (hint: import from `keras` or `tensorflow.keras` instead;"
        " kconvert keeps the path a file uses)",
        id="tensorflow-contrib-keras-path",
    ),
    pytest.param(
        "import keras\n"
        "inputs = keras.Input(shape=(4,))\n"
        "z_mean = keras.layers.Dense(2)(inputs)\n"
        "encoder = keras.Model(inputs, z_mean)\n"
        "def leak():\n"
        "    return z_mean\n",
        S,
        "<string>:6:12: error: `z_mean` from the model's code is still used here, but the sequential form"
        " has no such variable (hint: keep this model Functional, or stop using its tensors after building it)",
        id="a-function-reads-the-model-tensor",
    ),
]


@pytest.mark.parametrize(("source", "target", "expected"), REFUSALS)
def test_refusal(source: str, target: Style, expected: str) -> None:
    result = convert_source(source, target, Options())
    assert isinstance(result, Refused)
    assert [d.render() for d in result.diagnostics] == [expected]


AUGMENTED = (
    "import keras\n"
    "from keras import layers\n"
    "augment = keras.Sequential([layers.RandomFlip('horizontal')])\n"
    "inputs = keras.Input(shape=(8, 8, 3))\n"
    "x = augment(inputs)\n"
    "outputs = layers.Dense(1)(x)\n"
    "model = keras.Model(inputs, outputs)\n"
)


def test_a_shapeless_block_stays_with_a_note_while_the_rest_converts() -> None:
    result = convert_source(AUGMENTED, Style.SUBCLASS, Options())
    assert isinstance(result, Converted)
    assert result.source.startswith(AUGMENTED[: AUGMENTED.index("inputs =")])
    assert "class MyModel(keras.Model):\n" in result.source
    assert [note.render() for note in result.notes] == [
        "<string>:3:1: note: `augment` has no input shape and is used as a block inside another model,"
        " so it stays sequential; the models that use it are converted"
        " (hint: to convert it too, pass --model augment --input-shape D1,D2,...)"
    ]


BLOCK_IN_LAYER = """\
import keras
from keras import layers


def make_expert(units):
    return keras.Sequential([layers.Dense(units, activation="relu"), layers.Dense(units)])


class Experts(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.experts = [make_expert(units) for _ in range(2)]

    def call(self, inputs):
        return self.experts[0](inputs) + self.experts[1](inputs)


inputs = keras.Input(shape=(8,))
outputs = layers.Dense(1)(Experts(8)(inputs))
model = keras.Model(inputs, outputs)
"""


def test_a_shapeless_block_a_layer_class_makes_stays_with_a_note() -> None:
    # The layer's input decides the block's shape; the helper that returns it is named by the layer.
    result = convert_source(BLOCK_IN_LAYER, Style.FUNCTIONAL_SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted)
    assert result.source.startswith(BLOCK_IN_LAYER[: BLOCK_IN_LAYER.index("inputs =")])
    assert [note.render() for note in result.notes] == [
        "m.py:6:5: note: `make_expert` has no input shape and is used as a block inside the layer"
        " `Experts`, so it stays sequential; the models that use it are converted"
        " (hint: to convert it too, pass --model make_expert --input-shape D1,D2,...)"
    ]


def test_a_shapeless_model_named_with_model_is_still_refused() -> None:
    result = convert_source(AUGMENTED, F, Options(model="augment"))
    assert isinstance(result, Refused)
    assert "this model has no input shape" in result.diagnostics[0].message


def test_a_stateful_subclass_is_built_on_zeros_of_its_batch_shape() -> None:
    source = (
        "from keras.layers import Input, LSTM, Dense\n"
        "from keras.models import Model\n"
        "inputs = Input(batch_shape=(8, 5, 2))\n"
        "x = LSTM(4, stateful=True)(inputs)\n"
        "model = Model(inputs, Dense(1)(x))\n"
    )
    expected = (
        "from keras.layers import LSTM, Dense\n"
        "from keras.models import Model\n"
        "from keras import ops, saving\n"
        "\n"
        "\n"
        "@saving.register_keras_serializable()\n"
        "class MyModel(Model):\n"
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.lstm = LSTM(4, stateful=True)\n"
        "        self.dense = Dense(1)\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        x = self.lstm(inputs)\n"
        "        return self.dense(x)\n"
        "\n"
        "\n"
        "model = MyModel()\n"
        "model(ops.zeros((8, 5, 2)))\n"
    )
    result = convert_source(source, Style.SUBCLASS, Options())
    assert isinstance(result, Converted)
    assert result.source == expected


@pytest.mark.tensorflow
def test_the_stateful_subclass_builds_and_is_equivalent() -> None:
    from kconvert.verify import verify_sources

    source = (
        "import keras\n"
        "inputs = keras.Input(batch_shape=(8, 5, 2))\n"
        "x = keras.layers.LSTM(4, stateful=True)(inputs)\n"
        "model = keras.Model(inputs, keras.layers.Dense(1)(x))\n"
    )
    converted = convert_source(source, Style.SUBCLASS, Options())
    assert isinstance(converted, Converted)
    report = verify_sources(source, converted.source)
    assert report.exit_code == 0, report.render()


def test_a_name_local_to_a_function_is_free_for_the_model_and_a_global_it_reads_is_not() -> None:
    source = """\
import keras
from keras import layers


class Double(layers.Layer):
    def call(self, inputs):
        return inputs * 2


def show():
    print(x)


model = keras.Sequential([keras.Input(shape=(4,)), Double(), layers.Dense(3), layers.Dense(1)])
"""
    out = convert(source, Style.FUNCTIONAL)
    # `inputs` is Double.call's own parameter; `show()` reads the module's `x` whenever it is called.
    assert out.endswith(
        "inputs = keras.Input(shape=(4,))\n"
        "x_1 = Double()(inputs)\n"
        "x_1 = layers.Dense(3)(x_1)\n"
        "outputs = layers.Dense(1)(x_1)\n"
        "model = keras.Model(inputs=inputs, outputs=outputs)\n"
    )
