"""A subclass's layer that code outside its graph reads (a method of the class, the rest of the file)
stays an attribute of the functional-subclass it becomes, made as ``self.<name> = ...`` just
before its call (emit/layer_attributes.py); a layer the graph calls in a loop or more than once
cannot be one attribute, and is refused as before.  Fixture ``layer_attributes_read_after`` has
the file-level read, proven in TensorFlow."""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

FS = Style.FUNCTIONAL_SUBCLASS

NET = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.body = layers.Dense(8, activation="relu")
        self.head = layers.Dense(1)

    def call(self, inputs):
{call}

    def features(self, x):
        return self.body(x)


model = Net()
model.build((None, 4))
"""


def test_a_layer_a_kept_method_reads_stays_an_attribute() -> None:
    out = convert(NET.replace("{call}", "        return self.head(self.body(inputs))"), FS)
    assert out.split("class Net(keras.Model):\n", 1)[1].split("\n\n\nmodel")[0] == (
        "    def __init__(self, **kwargs):\n"
        "        inputs = keras.Input(shape=(4,))\n"
        '        self.body = layers.Dense(8, activation="relu")\n'
        "        x = self.body(inputs)\n"
        "        outputs = layers.Dense(1)(x)\n"
        "        super().__init__(inputs=inputs, outputs=outputs, **kwargs)\n"
        "\n"
        "    def features(self, x):\n"
        "        return self.body(x)"
    )


def test_a_layer_called_twice_is_no_one_attribute() -> None:
    twice = "        return self.head(self.body(self.body(inputs)))"
    assert refusal(NET.replace("{call}", twice), FS) == [
        "m.py:14:5: error: `features` reads the layer `self.body`, which a functional-subclass does not"
        " keep as an attribute (hint: read it with `self.get_layer(...)`, or keep this model a subclass)"
    ]


def test_layers_called_in_a_loop_are_no_attributes_to_keep() -> None:
    text = """\
    import keras
    from keras import layers


    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [layers.Dense(8) for _ in range(2)]
            self.head = layers.Dense(1)

        def call(self, inputs):
            x = inputs
            for block in self.blocks:
                x = block(x)
            return self.head(x)


    model = Net()
    model.build((None, 4))
    print(model.head.kernel)
    print(model.blocks)
    """
    assert refusal(text, FS) == [
        "m.py:21:7: error: `model.blocks` reads an attribute the class sets in __init__; a"
        " functional-subclass model has no such attribute (hint: keep this model a subclass, or reach"
        " the layer by its name (`model.get_layer(...)`))"
    ]
