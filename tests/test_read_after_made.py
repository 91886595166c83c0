"""A module-level name the model's code reads, bound only after the line that makes the model
(parse/read_order.py): a builder's body or a class's __init__ stops the original there with a
NameError; a class's call() runs later, where the name is bound, but the graph a conversion
writes runs call()'s code where the model is made.  Both are refused at the read, instead of the
safety check stopping the conversion as an internal error."""

from __future__ import annotations

import pytest

from kconvert.types import Style

from converting import C, F, S, convert, refusal

CLASS = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(UNITS, activation="relu")
        self.out = layers.Dense(10)

    def call(self, inputs):
        return self.out(self.dense(inputs) * SCALE)


{before}model = Net()
{after}model.build((None, 16))
"""

BUILDER = """\
import keras
from keras import layers


def build_model():
    inputs = keras.Input(shape=(16,))
    x = layers.Dense(UNITS, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(10)(x))


model = build_model()
UNITS = 32
"""

GRAPHS = [F, S, Style.FUNCTIONAL_SUBCLASS]


@pytest.mark.parametrize("target", GRAPHS)
def test_init_reading_a_name_bound_after_the_model_is_refused(target: Style) -> None:
    source = CLASS.format(before="SCALE = 2.0\n", after="UNITS = 32\n")
    assert refusal(source, target) == [
        "m.py:8:35: error: `UNITS` is read here, but only line 17 binds it, after line 16 makes the model,"
        " so Python stops there with a NameError (hint: give `UNITS` its value above line 16)"
    ]


@pytest.mark.parametrize("target", GRAPHS)
def test_call_reading_a_name_bound_after_the_model_is_refused(target: Style) -> None:
    source = CLASS.format(before="UNITS = 32\n", after="SCALE = 2.0\n")
    assert refusal(source, target) == [
        "m.py:12:46: error: `SCALE` is read here, and only line 17 binds it, after line 16 makes the model;"
        " a graph model runs this code where it is made, before that line (hint: give `SCALE` its value"
        " above line 16)"
    ]


def test_names_bound_before_the_model_convert() -> None:
    source = CLASS.format(before="UNITS = 32\nSCALE = 2.0\n", after="")
    assert "SCALE" in convert(source, F)


@pytest.mark.parametrize("target", [C, S, Style.FUNCTIONAL_SUBCLASS])
def test_a_builder_reading_a_name_bound_after_its_call_is_refused(target: Style) -> None:
    assert refusal(BUILDER, target) == [
        "m.py:7:22: error: `UNITS` is read here, but only line 12 binds it, after line 11 makes the model,"
        " so Python stops there with a NameError (hint: give `UNITS` its value above line 11)"
    ]


STRAY_LINE = """\
import keras
from keras import layers

model = keras.Sequential()
model.add(layers.Dense(16, input_shape=(8,)))
x = layers.Activation("relu")(x)
model.add(layers.Dense(1))

inputs = keras.Input(shape=(4,))
x = layers.Dense(2)(inputs)
"""

LOOP = """\
import keras
from keras import layers


def build(depth):
    inputs = keras.Input(shape=(8,))
    x = inputs
    for i in range(depth):
        if i:
            x = layers.Add()([x, skip])
        skip = layers.Dense(8)(x)
    return keras.Model(inputs, x)


model = build(3)
"""


@pytest.mark.parametrize("target", [F, C, Style.FUNCTIONAL_SUBCLASS])
def test_a_line_among_the_models_reading_a_name_bound_further_down_is_refused(target: Style) -> None:
    assert refusal(STRAY_LINE, target)[0] == (
        "m.py:6:31: error: `x` is read here, before this line binds it, so Python stops here with a NameError"
        " (hint: give `x` a value above this line, or remove the line)"
    )


def test_a_loop_reading_what_its_own_later_line_binds_is_no_name_error() -> None:
    # Its second pass reads the first pass's ``skip``: the loop's own refusal says what is wrong.
    assert refusal(LOOP, C) == [
        "m.py:8:5: error: this loop reads `skip` before it binds it (the tensor the pass before made); kconvert"
        " carries through a loop only a tensor named before it (hint: give `skip` its first value before the loop)"
    ]


def test_a_line_reading_the_model_above_the_model_is_refused() -> None:
    source = """\
import keras
from keras import layers

print(model.summary())
inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, layers.Dense(2)(inputs))
"""
    assert refusal(source, C) == [
        "m.py:4:7: error: `model` is read here, before line 6 makes it, so Python stops here with a NameError"
        " (hint: move this line below the model)"
    ]


def test_a_line_reading_a_class_models_instance_above_the_class_is_refused() -> None:
    # Found by fuzzing: ``model.compile(...)`` moved above the class.  The original stops there;
    # the Functional code written at ``model = MyModel()`` failed the safety check instead.
    source = """\
import keras
from keras import layers

model.compile(optimizer="adam", loss="mse")


class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(2)

    def call(self, inputs):
        return self.dense(inputs)


model = MyModel()
model(keras.Input(shape=(4,)))
"""
    expected = [
        "m.py:4:1: error: `model` is read here, before line 16 makes it, so Python stops here with a NameError"
        " (hint: move this line below the model)"
    ]
    assert refusal(source, F) == expected
    assert refusal(source, S) == expected


def test_a_line_reading_the_model_above_it_under_the_main_guard_is_refused() -> None:
    # Found by fuzzing (seed 23): ``print(model.summary())`` a line copied above a Sequential that
    # stands under ``if __name__ == "__main__":``.  The original stops there; the class a subclass
    # writes at the top of the module failed the safety check as an internal error instead.
    source = """\
import keras
from keras import layers

if __name__ == "__main__":
    print(model.summary())
    model = keras.Sequential()
    model.add(layers.Dense(8, input_shape=(4,)))
    model.add(layers.Dense(2))
"""
    expected = [
        "m.py:5:11: error: `model` is read here, before line 6 makes it, so Python stops here with a NameError"
        " (hint: move this line below the model)"
    ]
    assert refusal(source, F) == expected
    assert refusal(source, C) == expected
    assert refusal(source, Style.FUNCTIONAL_SUBCLASS) == expected


def test_a_line_reading_a_builders_model_above_its_call_is_refused() -> None:
    # Found by fuzzing (seed 33): `model.summary()` moved up, right under the builder's `def`,
    # above `model = MLP()`. The original stops there; the class written for the builder failed
    # the safety check as an internal error instead.
    source = """\
import keras
from keras import layers


def MLP(units=8):
    model = keras.Sequential()
    model.add(keras.Input(shape=(4,)))
    model.add(layers.Dense(units))
    return model
model.summary()


model = MLP()
model.summary()
"""
    expected = [
        "m.py:10:1: error: `model` is read here, before line 13 makes it, so Python stops here with a NameError"
        " (hint: move this line below the model)"
    ]
    assert refusal(source, C) == expected
    assert refusal(source, Style.FUNCTIONAL_SUBCLASS) == expected
    # Read after the line that binds the builder's model, it converts.
    assert "class MLP(keras.Model):" in convert(source.replace("    return model\nmodel.summary()\n", "    return model\n"), C)


def test_a_helper_reading_its_own_name_before_binding_it_is_refused() -> None:
    # Found by fuzzing (seed 33): `outputs = [low, high]` copied above `high = ...` in a helper.
    # Python stops the helper there; to-subclass and to-functional-subclass failed their safety
    # check as an internal error (the module-level `high` they moved into the class).
    source = """\
import keras
from keras import layers


def two_paths(x, filters):
    low = layers.Conv2D(filters, 1, padding="same")(x)
    outputs = [low, high]
    high = layers.Conv2D(filters, 3, padding="same")(x)
    return [low, high]


inputs = keras.Input(shape=(16, 16, 3))
low, high = two_paths(inputs, 8)
outputs = layers.Dense(2)(layers.add([low, high]))
model = keras.Model(inputs, outputs)
"""
    expected = [
        "m.py:7:21: error: `high` is read here, and only line 8 binds it, so Python stops here with a NameError"
        " (hint: give `high` a value above this line, or remove the line)"
    ]
    assert refusal(source, C) == expected
    assert refusal(source, Style.FUNCTIONAL_SUBCLASS) == expected


def test_the_first_read_above_the_model_is_named_whatever_the_hash_seed() -> None:
    # libcst keeps a name's reads in a set: which one the diagnostic named changed from run to run
    # with PYTHONHASHSEED (a real notebook's `autoencoder.compile(...)`, then `.fit(...)` above it).
    import subprocess
    import sys

    reads = "".join(f"autoencoder.fit(x{index}, x{index})\n" for index in range(60))
    text = (
        "import keras\n\nautoencoder.compile(loss='mse')\n" + reads
        + "\nautoencoder = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)])\n"
    )
    script = (
        "import sys\nfrom kconvert.convert import convert_source\nfrom kconvert.types import Options, Style\n"
        "result = convert_source(sys.stdin.read(), Style.FUNCTIONAL_SUBCLASS, Options(), 'm.py')\n"
        "print(result.diagnostics[0].render())\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script], input=text, capture_output=True, text=True, env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)}, check=True
        ).stdout
        for seed in range(12)
    }
    assert seen == {
        "m.py:3:1: error: `autoencoder` is read here, before line 65 makes it, so Python stops here with a"
        " NameError (hint: move this line below the model)\n"
    }


def test_a_call_of_the_function_that_makes_a_class_model_above_it_is_refused() -> None:
    # Fuzz seed 36: `model = build()` above the class and `def build(): return Net()`. A graph
    # style makes `build` the model's builder, and the safety check could not read its own output
    # back (an internal error); the original stops there with a NameError.
    text = (
        "import keras\n\nmodel = build()\n\n\n"
        "class Net(keras.Model):\n"
        "    def __init__(self, **kwargs):\n"
        "        inputs = keras.Input(shape=(4,))\n"
        "        super().__init__(inputs=inputs, outputs=keras.layers.Dense(2)(inputs), **kwargs)\n\n\n"
        "def build():\n    return Net()\n"
    )
    for target in (F, S, C):
        assert refusal(text, target) == [
            "m.py:3:9: error: `build` is read here, before line 12 defines it, so Python stops here with a"
            " NameError (hint: move this line below the `def build` definition)"
        ]
