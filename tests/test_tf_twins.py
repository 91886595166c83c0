"""Each TensorFlow function the parser writes as ``keras.ops`` computes the same in TensorFlow.

The ``keras.ops`` call is the one the parser writes (``twin_args``), so a keyword spelled apart
(``shape=`` / ``newshape=``), a value spelled apart (``"NHWC"``) or a default that differs
(``approximate``) is checked too, both with positional and with keyword arguments.
"""

from __future__ import annotations

import libcst as cst
import pytest

from kconvert.parse.tf_twins import TWINS, twin_args

# The arguments each twin (or TensorFlow path) is tried with, in TensorFlow's positional order,
# None for a parameter left out (it has no twin): the positional call stops there. ``x`` and ``y``
# are (2, 3, 4) tensors, ``image`` a (1, 4, 4, 8) one, ``volume`` a (1, 4, 4, 4, 3) one, ``ids``
# (2, 3) integers.
_COMPARISONS = ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal")
_ARGUMENTS = {
    **dict.fromkeys(("matmul",), ("x", "tf.transpose(y, (0, 2, 1))")),
    **dict.fromkeys(("add", "multiply", "subtract", "maximum", "minimum", *_COMPARISONS), ("x", "y")),
    **dict.fromkeys(("logical_and", "logical_or"), ("x > 0.5", "y > 0.5")),
    "logical_not": ("x > 0.5",),
    "power": ("x", "3.0"),
    **dict.fromkeys(("any", "all"), ("x > 0.5", "1", "True")),
    "one_hot": ("ids", "5", None, None, "0", "'int32'"),
    "pad": ("x", "[[0, 0], [1, 2], [2, 1]]", "'CONSTANT'", "1.5"),
    "split": ("x", "2", "2"),
    "take": ("x", "[1, 0]", None, "1"),
    **dict.fromkeys(("nn.max_pool", "nn.avg_pool"), ("image", "2", "2", "'SAME'", "'NHWC'")),
    **dict.fromkeys(("nn.max_pool1d", "nn.avg_pool1d"), ("x", "2", "1", "'VALID'", "'NWC'")),
    **dict.fromkeys(("nn.max_pool2d", "nn.avg_pool2d"), ("image", "(2, 3)", "[1, 2]", "'SAME'", "'NHWC'")),
    **dict.fromkeys(("nn.max_pool3d", "nn.avg_pool3d"), ("volume", "2", "(1, 2, 2)", "'SAME'", "'NDHWC'")),
    "tensordot": ("x", "tf.transpose(y, (2, 1, 0))", "1"),
    "reshape": ("x", "(2, 12)"),
    "transpose": ("x", "(0, 2, 1)"),
    "concatenate": ("[x, y]", "1"),
    "stack": ("[x, y]", "1"),
    "expand_dims": ("x", "1"),
    "squeeze": ("x[:, :1]", "1"),
    "tile": ("x", "(1, 2, 1)"),
    "clip": ("x", "-0.2", "0.3"),
    "cast": ("x", "'float16'"),
    "softmax": ("x", "1"),
    "log_softmax": ("x", "1"),
    "gelu": ("x",),
    "leaky_relu": ("x", "0.1"),
    "depth_to_space": ("image", "2", "'NHWC'"),
    "space_to_depth": ("image", "2", "'NHWC'"),
    **dict.fromkeys(("sum", "max", "min", "mean", "prod"), ("x", "1", "True")),
}


def _calls(path: str) -> list[str]:
    """The TensorFlow call of ``path`` written positionally and with keywords."""
    values = _ARGUMENTS.get(path, _ARGUMENTS.get(TWINS[path].name, ("x",)))
    keywords = [tf for tf, _ in TWINS[path].params]
    positional = values[: values.index(None)] if None in values else values
    return [
        f"tf.{path}({', '.join(positional)})",
        f"tf.{path}({', '.join(f'{k}={v}' for k, v in zip(keywords, values) if v is not None)})",
    ]


def _as_keras(source: str, path: str) -> str:
    call = cst.parse_expression(source)
    found = twin_args(f"tensorflow.{path}", call, "ops")
    assert found is not None, source
    name, args = found
    return cst.Module([]).code_for_node(call.with_changes(func=cst.parse_expression(f"ops.{name}"), args=args))


@pytest.mark.tensorflow
@pytest.mark.parametrize("path", sorted(TWINS))
def test_the_twin_computes_what_the_tensorflow_function_does(path: str) -> None:
    import numpy as np
    import tensorflow as tf
    from keras import ops

    name = TWINS[path].name
    rng = np.random.default_rng(0)
    # Positive values keep log, sqrt and rsqrt defined; the 0.5 shift keeps relu and abs honest.
    shift = 0 if name in ("log", "sqrt", "rsqrt") else 0.5
    x, y = (tf.constant(rng.random((2, 3, 4)) * 2 - shift, "float32") for _ in "xy")
    names = {"tf": tf, "ops": ops, "x": x, "y": y, "ids": tf.constant(rng.integers(0, 5, (2, 3)))}
    names |= {"image": tf.constant(rng.random((1, 4, 4, 8)), "float32")}
    names |= {"volume": tf.constant(rng.random((1, 4, 4, 4, 3)), "float32")}
    for source in _calls(path):
        expected = np.asarray(eval(source, names))
        got = np.asarray(eval(_as_keras(source, path), names))
        assert got.shape == expected.shape and got.dtype == expected.dtype, source
        np.testing.assert_allclose(got.astype("float32"), expected.astype("float32"), rtol=1e-5, atol=1e-6)


@pytest.mark.tensorflow
@pytest.mark.parametrize(
    "source",
    [
        "tf.pad(x, [[0, 0], [1, 2], [2, 1]], 'REFLECT')",
        "tf.pad(x, [[0, 0], [1, 2], [2, 1]], mode='symmetric')",
        "tf.one_hot(ids, 4)",  # 4 is out of range: a row of zeros, in both
        "tf.gather(x, [2, 0, 2], axis=-1)",
        "tf.split(x, 3, axis=1)",
        "tf.nn.max_pool2d(image, 3, 1, 'VALID')",
        "tf.nn.max_pool(image, ksize=[1, 2, 3, 1], strides=[1, 2, 1, 1], padding='SAME')",
        "tf.nn.avg_pool1d(x, [1, 2, 1], [1, 1, 1], 'VALID')",
        "tf.nn.avg_pool2d(image, 3, 2, padding='SAME', data_format='NHWC')",
    ],
)
def test_a_call_with_other_values_computes_what_tensorflow_does(source: str) -> None:
    import numpy as np
    import tensorflow as tf
    from keras import ops

    rng = np.random.default_rng(0)
    names = {"tf": tf, "ops": ops, "x": tf.constant(rng.random((2, 3, 4)), "float32")}
    names |= {"ids": tf.constant(rng.integers(0, 5, (2, 3))), "image": tf.constant(rng.random((1, 5, 5, 2)), "float32")}
    path = source.split("(")[0].removeprefix("tf.")
    expected = np.asarray(eval(source, names))
    got = np.asarray(eval(_as_keras(source, path), names))
    assert got.shape == expected.shape and got.dtype == expected.dtype, source
    np.testing.assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.tensorflow
@pytest.mark.parametrize("flags", ["transpose_a=True", "transpose_b=True", "transpose_a=True, transpose_b=True"])
def test_a_transposed_matmul_computes_what_tensorflow_does(flags: str) -> None:
    import numpy as np
    import tensorflow as tf
    from keras import ops

    rng = np.random.default_rng(0)
    names = {"tf": tf, "ops": ops, "x": tf.constant(rng.random((2, 3, 3)), "float32")}
    names["y"] = tf.constant(rng.random((2, 3, 3)), "float32")
    source = f"tf.matmul(x, y, {flags})"
    expected = np.asarray(eval(source, names))
    np.testing.assert_allclose(np.asarray(eval(_as_keras(source, "matmul"), names)), expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("tf.reshape(tensor=t, shape=(2, -1))", "ops.reshape(x=t, newshape=(2, -1))"),
        ("tf.nn.depth_to_space(t, 3, data_format='NCHW')", "ops.depth_to_space(t, 3, data_format='channels_first')"),
        ('tf.nn.depth_to_space(t, 3, "NHWC")', 'ops.depth_to_space(t, 3, "channels_last")'),
        ("tf.nn.gelu(t)", "ops.gelu(t, approximate=False)"),
        ("tf.nn.gelu(t, True)", "ops.gelu(t, True)"),
        ("tf.nn.leaky_relu(t, alpha=0.3)", "ops.leaky_relu(t, negative_slope=0.3)"),
        ("tf.tensordot(a=t, b=u, axes=[[1], [0]])", "ops.tensordot(x1=t, x2=u, axes=[[1], [0]])"),
        ("tf.matmul(t, u, transpose_a=True)", "ops.matmul(ops.swapaxes(t, -2, -1), u)"),
        ("tf.matmul(t, u, transpose_b=True, transpose_a=False)", "ops.matmul(t, ops.swapaxes(u, -2, -1))"),
        ("tf.math.not_equal(t, 0)", "ops.not_equal(t, 0)"),
        ("tf.pow(x=t, y=2)", "ops.power(x1=t, x2=2)"),
        ("tf.one_hot(t, depth=10)", 'ops.one_hot(t, num_classes=10, dtype="float32")'),
        ("tf.one_hot(t, 10, axis=1, dtype=tf.int32)", "ops.one_hot(t, 10, axis=1, dtype=tf.int32)"),
        ("tf.pad(t, p, 'REFLECT')", "ops.pad(t, p, 'reflect')"),
        ("tf.pad(tensor=t, paddings=p, constant_values=-1)", "ops.pad(x=t, pad_width=p, constant_values=-1)"),
        ("tf.split(t, 2, axis=-1)", "ops.split(t, 2, axis=-1)"),
        ("tf.split(axis=3, num_or_size_splits=3, value=t)", "ops.split(axis=3, indices_or_sections=3, x=t)"),
        ("tf.gather(t, i)", "ops.take(t, i, axis=0)"),
        ("tf.gather(t, i, axis=1)", "ops.take(t, i, axis=1)"),
        ("tf.reduce_any(t, 1)", "ops.any(t, 1)"),
        ("tf.math.reduce_all(input_tensor=t, keepdims=True)", "ops.all(x=t, keepdims=True)"),
        ("tf.reduce_prod(t, axis=[1, 2])", "ops.prod(t, axis=[1, 2])"),
        ("tf.greater_equal(t, u)", "ops.greater_equal(t, u)"),
        ("tf.math.less(x=t, y=0.5)", "ops.less(x1=t, x2=0.5)"),
        ("tf.math.logical_or(t, u)", "ops.logical_or(t, u)"),
        ("tf.logical_not(x=t)", "ops.logical_not(x=t)"),
        ("tf.math.reciprocal(t)", "ops.reciprocal(t)"),
        (
            "tf.nn.avg_pool3d(t, (2, 2, 2), 2, 'VALID', 'NCDHW')",
            "ops.average_pool(t, (2, 2, 2), 2, 'valid', 'channels_first')",
        ),
        (
            "tf.nn.max_pool(t, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')",
            "ops.max_pool(t, pool_size=(2, 2), strides=(2, 2), padding='same', data_format=\"channels_last\")",
        ),
        (
            "tf.nn.avg_pool1d(t, [1, 1, 3], [1, 1, 1], 'SAME', 'NCW')",  # batch and channels first
            "ops.average_pool(t, (3,), (1,), 'same', 'channels_first')",
        ),
        (
            "tf.nn.max_pool1d(input=t, ksize=[3], strides=1, padding='SAME')",
            'ops.max_pool(inputs=t, pool_size=[3], strides=1, padding=\'same\', data_format="channels_last")',
        ),
        (
            'tf.nn.max_pool2d(t, 2, 2, padding="SAME")',
            'ops.max_pool(t, 2, 2, padding="same", data_format="channels_last")',
        ),
        (
            "tf.nn.avg_pool(t, ksize=3, strides=1, padding='VALID', data_format='NCW')",
            "ops.average_pool(t, pool_size=3, strides=1, padding='valid', data_format='channels_first')",
        ),
    ],
)
def test_arguments_are_mapped_one_by_one(source: str, expected: str) -> None:
    path = source.split("(")[0].removeprefix("tf.")
    assert _as_keras(source, path) == expected


@pytest.mark.parametrize(
    "source",
    [
        "tf.nn.relu(t, name='relu')",  # no keras.ops keyword of that meaning
        "tf.nn.relu(t, 'relu')",  # the same, by position
        "tf.nn.depth_to_space(t, 2, data_format=layout)",  # a layout only known when run
        "tf.nn.depth_to_space(t, 2, 'NCHW_VECT_C')",  # a layout keras.ops does not have
        "tf.nn.silu(t, beta=2.0)",
        "tf.matmul(t, u, transpose_a=flag)",  # a flag only known when run
        "tf.matmul(t, u, adjoint_a=True)",
        "tf.concat(*parts)",
        "tf.one_hot(t, 10, on_value=5.0)",
        "tf.one_hot(t, 10, 1.0, 0.0)",  # the same, by position
        "tf.split(t, [2, 3])",  # sizes, where keras.ops.split reads indices
        "tf.split(t, n)",  # a count or sizes: only known when run
        "tf.gather(t, i, batch_dims=1)",
        "tf.gather(t, i, axis=None)",  # axis 0 in TensorFlow, flattened in keras.ops.take
        "tf.pad(t, p, mode=m)",
        "tf.nn.max_pool(t, [1, 2, 1], 1, 'SAME')",  # a window of 3, or of 1 with batch and channels
        "tf.nn.max_pool(t, [2], 1, 'SAME')",  # one size for every spatial axis: keras.ops wants each
        "tf.nn.max_pool2d(t, [2, 2, 2, 1], 2, 'SAME')",  # a window across the batch
        "tf.nn.max_pool2d(t, [1, 2, 2, 1], 2, 'SAME', 'NCHW')",  # a window across the channels
        "tf.nn.max_pool2d(t, (2, 2, 2), 2, 'SAME')",
        "tf.nn.max_pool2d(t, k, 2, 'SAME')",  # two or four sizes: only known when run
        "tf.nn.max_pool2d(t, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]])",  # explicit padding
        "tf.nn.avg_pool2d(t, 2, 2, 'SAME', 'NCHW_VECT_C')",
        "tf.nn.l2_normalize(t, axis=-1)",  # keras.ops.normalize bounds the norm, not its square
    ],
)
def test_a_call_without_an_exact_twin_has_none(source: str) -> None:
    path = source.split("(")[0].removeprefix("tf.")
    assert twin_args(f"tensorflow.{path}", cst.parse_expression(source)) is None
