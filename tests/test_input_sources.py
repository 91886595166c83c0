"""Where a model that gives no input shape of its own gets one (issue 9: the largest refusal on real
code), and what the refusal says when nothing in the file answers for certain."""

from __future__ import annotations

from converting import F, convert, refusal

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
    " and --model model:LINE with this error's line, or make keras.Input(shape=...) its first layer)"
)


def test_a_name_bound_again_gives_the_shape_of_the_binding_the_model_sees() -> None:
    # handson-ml3 chapter 10 makes `norm_layer = Normalization(input_shape=X_train.shape[1:])`
    # before each of its models: the scope binds the name twice, the model's line sees the last.
    source = REBOUND.format(between="layer = layers.Normalization(input_shape=X.shape[1:])\nlayer.adapt(X)")
    assert "inputs = keras.Input(shape=X.shape[1:])\nx = layer(inputs)" in convert(source, F)


def test_a_normalization_adapted_only_after_the_model_gives_no_shape() -> None:
    # handson-ml3's order: the class styles, which cannot tell the layer's class from `__init__`,
    # would build the model on `keras.Input` with the layer unadapted; it makes its mean and
    # variance inside that trace, and the first real call fails ("out of scope").
    source = REBOUND.format(between="layer = layers.Normalization(input_shape=X.shape[1:])") + "layer.adapt(X)\n"
    assert "this model has no input shape" in refusal(source, F)[0]
    dense = REBOUND.format(between="layer = layers.Dense(4, input_shape=X.shape[1:])")
    assert "inputs = keras.Input(shape=X.shape[1:])\nx = layer(inputs)" in convert(dense, F)


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
