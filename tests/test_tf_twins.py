"""Each TensorFlow function the parser writes as ``keras.ops`` computes the same in TensorFlow."""

from __future__ import annotations

import pytest

from kconvert.parse.tf_twins import TWINS

pytestmark = pytest.mark.tensorflow


def _arguments(name: str, x, y):
    """Positional and keyword arguments valid for both functions, by ``keras.ops`` name."""
    binary = ("matmul", "add", "multiply", "subtract", "maximum", "minimum")
    if name in binary:
        return (x, y if name != "matmul" else _swap(y)), {}
    return {
        "reshape": ((x, (2, 12)), {}),
        "transpose": ((x, (0, 2, 1)), {}),
        "concatenate": (([x, y],), {"axis": 1}),
        "stack": (([x, y],), {"axis": 1}),
        "expand_dims": ((x,), {"axis": 1}),
        "squeeze": ((x[:, :1],), {"axis": 1}),
        "cast": ((x,), {"dtype": "float16"}),
        "softmax": ((x,), {"axis": 1}),
        "log_softmax": ((x,), {"axis": 1}),
        **{reduce: ((x,), {"axis": 1, "keepdims": True}) for reduce in ("sum", "max", "min", "mean")},
    }.get(name, ((x,), {}))


def _swap(y):
    import tensorflow as tf

    return tf.transpose(y, (0, 2, 1))


@pytest.mark.parametrize("path", sorted(TWINS))
def test_the_twin_computes_what_the_tensorflow_function_does(path: str) -> None:
    import numpy as np
    import tensorflow as tf
    from keras import ops

    name = TWINS[path][0]
    rng = np.random.default_rng(0)
    # Positive values keep log and sqrt defined; the 0.5 shift keeps relu and abs honest.
    x, y = (tf.constant(rng.random((2, 3, 4)) * 2 - (0 if name in ("log", "sqrt") else 0.5), "float32") for _ in "xy")
    args, kwargs = _arguments(name, x, y)
    function = tf
    for part in path.split("."):
        function = getattr(function, part)
    expected = np.asarray(function(*args, **kwargs))
    got = np.asarray(getattr(ops, name)(*args, **kwargs))
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got.astype("float32"), expected.astype("float32"), rtol=1e-5, atol=1e-6)
