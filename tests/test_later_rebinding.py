"""Code after a model that names its own values after the model's tensors: a read ends being a
read of the tensor only where a binding that always runs comes first (fixture
tensor_names_rebound_later has the cases that convert)."""

from __future__ import annotations

from converting import C, S, convert, refusal
from kconvert.types import Style

G = Style.FUNCTIONAL_SUBCLASS

MODEL = """\
import contextlib

import numpy as np
import keras

inputs = keras.Input(shape=(4,))
x = keras.layers.Dense(8)(inputs)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""


def test_every_branch_of_an_if_elif_else_binding_the_name_ends_the_tensor() -> None:
    later = """\
if np.random.rand() > 0.6:
    x = np.ones((2, 4))
elif np.random.rand() > 0.3:
    with contextlib.nullcontext():
        x = np.zeros((2, 4))
else:
    x = np.full((2, 4), 0.5)
print(model.predict(x))
"""
    assert "class MyModel(keras.Model):" in convert(MODEL + later, C)
    assert "keras.Sequential(" in convert(MODEL + later, S)


def test_a_branch_that_raises_does_not_go_on_to_the_read() -> None:
    later = """\
if np.random.rand() > 0.5:
    x = np.ones((2, 4))
elif np.random.rand() > 0.2:
    raise SystemExit("no data")
else:
    x = np.zeros((2, 4))
print(model.predict(x))
"""
    assert "class MyModel(keras.Model):" in convert(MODEL + later, C)


def test_a_binding_that_may_not_run_leaves_the_read_of_the_tensor() -> None:
    no_else = "if np.random.rand() > 0.5:\n    x = np.ones((2, 4))\nprint(x)\n"
    branch_without = "if np.random.rand() > 0.5:\n    x = np.ones((2, 4))\nelse:\n    pass\nprint(x)\n"
    suppressed = "with contextlib.suppress(ValueError):\n    x = np.ones((2, 4))\nprint(x)\n"
    in_a_loop = "while np.random.rand() > 0.5:\n    x = np.ones((2, 4))\nprint(x)\n"
    raise_not_last = "if np.random.rand() > 0.5:\n    x = np.ones((2, 4))\nelse:\n    if np.random.rand() > 0.9:\n        raise ValueError\n    pass\nprint(x)\n"
    for later in (no_else, branch_without, suppressed, in_a_loop, raise_not_last):
        (message,) = refusal(MODEL + later, C)
        line = len((MODEL + later).splitlines())
        assert message.startswith(f"m.py:{line}:7: error: `x` from the model's code is still used here"), later


def test_a_try_binds_what_its_body_and_every_handler_that_goes_on_bind() -> None:
    both = "try:\n    x = np.load('x.npy')\nexcept OSError:\n    x = np.zeros((2, 4))\nprint(model.predict(x))\n"
    handler_raises = "try:\n    x = np.load('x.npy')\nexcept OSError:\n    raise SystemExit('no data')\nprint(model.predict(x))\n"
    in_finally = "try:\n    pass\nfinally:\n    x = np.zeros((2, 4))\nprint(model.predict(x))\n"
    for later in (both, handler_raises, in_finally):
        assert "class MyModel(keras.Model):" in convert(MODEL + later, C), later


def test_a_try_whose_handler_goes_on_without_the_name_leaves_the_read_of_the_tensor() -> None:
    # The body may stop before its binding, and the handler goes on to the read without one.
    handler_passes = "try:\n    x = np.load('x.npy')\nexcept OSError:\n    pass\nprint(x)\n"
    only_in_handler = "try:\n    pass\nexcept OSError:\n    x = np.zeros((2, 4))\nprint(x)\n"
    for later in (handler_passes, only_in_handler):
        (message,) = refusal(MODEL + later, C)
        line = len((MODEL + later).splitlines())
        assert message.startswith(f"m.py:{line}:7: error: `x` from the model's code is still used here"), later


# A function or method written above the model runs when it is called, which may be after the
# model: what its body reads of the model's code is read after the model (before, the safety
# check caught the conversion as an internal error).
ABOVE = """\
import keras


class Trainer(keras.Model):
    @property
    def metrics(self):
        return [x]


def show():
    return x.shape


def layer_weights():
    return dense.get_weights()


def own(x):
    return x.shape


inputs = keras.Input(shape=(4,))
dense = keras.layers.Dense(8)
x = dense(inputs)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
"""


def test_a_tensor_read_by_a_function_above_the_model_is_refused_at_the_read() -> None:
    for style in (C, S, G):
        (message,) = refusal(ABOVE, style)
        assert message.startswith("m.py:7:17: error: `x` from the model's code is still used here"), message


def test_a_layer_read_by_a_function_above_the_model_stays_outside_the_class() -> None:
    source = ABOVE.replace("        return [x]", "        return []").replace("    return x.shape\n\n\ndef layer", "    return ()\n\n\ndef layer")
    converted = convert(source, C)
    assert "\ndense = keras.layers.Dense(8)\n" in converted
    assert "        self.dense = dense\n" in converted
