"""Idioms of session 36's fresh real-world files (benchmarks/realworld, ``session = "fresh36"``)."""

from __future__ import annotations

from converting import C, F, S, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A denoising autoencoder's subclass grows its two halves by `.add()` in `__init__`; the first
# half starts with the Input the whole model takes.
GROWN = """\
    from tensorflow.keras import Input, Model
    from tensorflow.keras.layers import Dense, Dropout
    from tensorflow.keras.models import Sequential


    class Coder(Model):
        def __init__(self):
            super().__init__()
            self.encoder = Sequential()
            {first}
            self.encoder.add(Dense(8, activation="relu"))
            self.decoder = Sequential()
            self.decoder.add(Dropout(0.2))
            self.decoder.add(Dense(4))

        def call(self, x):
            encoded = self.encoder(x)
            return self.decoder(encoded)
    """


def test_a_sequential_attribute_grown_from_an_input_gives_the_subclass_its_input() -> None:
    # Was refused as "this model has no input shape": only `Sequential([Input(...), ...])` said it.
    converted = convert(GROWN.format(first="self.encoder.add(Input(shape=(4,)))"), F)
    assert converted == (
        "from tensorflow.keras import Input, Model\n"
        "from tensorflow.keras.layers import Dense, Dropout\n"
        "from tensorflow.keras.models import Sequential\n"
        "\n"
        "\n"
        "def Coder():\n"
        "    x = Input(shape=(4,))\n"
        "    encoder = Sequential()\n"
        "    encoder.add(Input(shape=(4,)))\n"
        '    encoder.add(Dense(8, activation="relu"))\n'
        "    decoder = Sequential()\n"
        "    decoder.add(Dropout(0.2))\n"
        "    decoder.add(Dense(4))\n"
        "    encoded = encoder(x)\n"
        "    outputs = decoder(encoded)\n"
        "    return Model(inputs=x, outputs=outputs)\n"
    )
    graph_class = convert(GROWN.format(first="self.encoder.add(Input(shape=(4,)))"), FS)
    assert "        x = Input(shape=(4,))\n" in graph_class
    assert "        super().__init__(inputs=x, outputs=outputs, **kwargs)\n" in graph_class


def test_a_first_added_layer_with_an_input_shape_gives_that_input() -> None:
    converted = convert(GROWN.format(first="self.encoder.add(Dense(6, input_shape=(4,)))"), F)
    assert "    x = Input(shape=(4,))\n" in converted


def test_a_grown_sequential_that_declares_no_input_gives_none() -> None:
    (message,) = refusal(GROWN.format(first="self.encoder.add(Dense(6))"), F)
    assert "this model has no input shape" in message


def test_a_line_that_uses_the_attribute_before_its_first_add_gives_none() -> None:
    # The first `.add` after another use of the attribute is not the model's first layer.
    first = "self.encoder.trainable = True\n            self.encoder.add(Input(shape=(4,)))"
    (message,) = refusal(GROWN.format(first=first), F)
    assert "this model has no input shape" in message


def test_the_grown_halves_become_one_sequential() -> None:
    converted = convert(GROWN.format(first="self.encoder.add(Input(shape=(4,)))"), S)
    assert converted.endswith(
        "def Coder():\n"
        "    encoder = Sequential()\n"
        "    encoder.add(Input(shape=(4,)))\n"
        '    encoder.add(Dense(8, activation="relu"))\n'
        "    decoder = Sequential()\n"
        "    decoder.add(Dropout(0.2))\n"
        "    decoder.add(Dense(4))\n"
        "    return Sequential(\n"
        "        [\n"
        "            Input(shape=(4,)),\n"
        "            encoder,\n"
        "            decoder,\n"
        "        ]\n"
        "    )\n"
    )


LEGACY_ADDED = GROWN.replace(
    "    from tensorflow.keras.layers import Dense, Dropout\n",
    "    from tensorflow.keras.layers import Dense\n    from tensorflow.python.keras.layers.core import Dropout\n",
).format(first="self.encoder.add(Input(shape=(4,)))")


def test_a_keras_2_internal_layer_added_to_an_attribute_is_refused_at_its_line() -> None:
    # Was "internal error: ... failed its safety check: kconvert cannot read its own output back":
    # every style writes the grown Sequential as `decoder.add(...)`, a model kconvert reads, and
    # refuses the path there, as it does for every layer a model's own code makes.
    for target in (F, S, FS):
        (message,) = refusal(LEGACY_ADDED, target)
        assert message == (
            "m.py:14:26: error: `tensorflow.python.keras.layers.core.Dropout` is a Keras 2 internal path"
            " that Keras 3 does not have (hint: import layers from `keras` or `tensorflow.keras` instead)"
        )


# A book's notebook writes `class Net` again in a later cell, each cell using its own class.
REDEFINED = """\
    import tensorflow as tf


    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = tf.keras.layers.Dense(8)
            self.out = tf.keras.layers.Dense(1)

        def call(self, inputs):
            return self.out(self.hidden(inputs))


    net = Net()
    print(net(tf.zeros((2, 4))))


    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = tf.keras.layers.Dense(16, activation="relu")
            self.out = tf.keras.layers.Dense(1)

        def call(self, inputs):
            return self.out(self.hidden(inputs))


    net = Net()
    print(net(tf.zeros((2, 3))))
    """


def test_a_class_defined_again_is_used_only_by_the_lines_its_definition_reaches() -> None:
    # Was refused as "`Net` is used with different input shapes": the uses of both classes counted.
    converted = convert(REDEFINED, S)
    assert converted == (
        "import tensorflow as tf\n"
        "\n"
        "\n"
        "def Net():\n"
        "    return tf.keras.Sequential(\n"
        "        [\n"
        "            tf.keras.Input(shape=(4,)),\n"
        "            tf.keras.layers.Dense(8),\n"
        "            tf.keras.layers.Dense(1),\n"
        "        ]\n"
        "    )\n"
        "\n"
        "\n"
        "net = Net()\n"
        "print(net(tf.zeros((2, 4))))\n"
        "\n"
        "\n"
        "def Net():\n"
        "    return tf.keras.Sequential(\n"
        "        [\n"
        "            tf.keras.Input(shape=(3,)),\n"
        '            tf.keras.layers.Dense(16, activation="relu"),\n'
        "            tf.keras.layers.Dense(1),\n"
        "        ]\n"
        "    )\n"
        "\n"
        "\n"
        "net = Net()\n"
        "print(net(tf.zeros((2, 3))))\n"
    )


def test_one_class_used_with_two_shapes_is_still_refused() -> None:
    once = REDEFINED.replace(
        "    class Net(tf.keras.Model):\n        def __init__(self):\n            super().__init__()\n"
        '            self.hidden = tf.keras.layers.Dense(16, activation="relu")\n'
        "            self.out = tf.keras.layers.Dense(1)\n\n"
        "        def call(self, inputs):\n            return self.out(self.hidden(inputs))\n\n\n",
        "",
    )
    assert once.count("class Net") == 1
    (message,) = refusal(once, S)
    assert "`Net` is used with different input shapes" in message


# A MineRL notebook's Xception builder, its layers from `from keras.layers import *`.
STARRED = """\
    from keras import Model
    from keras.layers import *


    def net(classes):
        inputs = Input(shape=(16, 16, 3))
        x = Conv2D(8, 3, padding="same")(inputs)
        previous = x
        for size in [16, 32]:
            x = Conv2D(size, 3, padding="same")(x)
            residual = Conv2D(size, 1, padding="same")(previous)
            x = add([x, residual])
            previous = x
        outputs = Dense(classes)(x)
        return Model(inputs, outputs)
    """


def test_a_block_class_under_a_star_import_of_layers_reads_its_layer_base_from_it() -> None:
    # Was an internal error: the safety check did not count `Layer` among what
    # `from keras.layers import *` binds, so the block class's base read as undefined.
    converted = convert(STARRED, C)
    assert converted.startswith(
        "from keras import Model, saving\n"
        "from keras.layers import *\n"
        "\n"
        "\n"
        '@saving.register_keras_serializable(package="m")\n'
        "class Block(Layer):\n"
    )
