"""TensorFlow functions called on Keras tensors, and their ``keras.ops`` twins.

Keras 3 refuses ``tf.nn.relu(x)`` on a symbolic tensor (Keras 2 wrapped it in a
``TFOpLambda`` layer).  Where ``keras.ops`` has a function that computes the same
thing, the parser writes that instead, in every target style, its arguments
mapped one by one (``tf.reshape(t, shape=s)`` -> ``keras.ops.reshape(t, newshape=s)``,
``data_format="NHWC"`` -> ``"channels_last"``, a default that differs written out);
any other TensorFlow function, or an argument with no twin, is refused, naming
the function to use or the argument.  A test runs each pair below in TensorFlow
on the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from .tf_values import Values, integer, sizes, spatial, spelled, stated

_FORMATS = spelled({"NHWC": "channels_last", "NCHW": "channels_first"})


@dataclass(frozen=True)
class Twin:
    """A ``keras.ops`` function and how a TensorFlow call's arguments map onto it."""

    name: str
    # TensorFlow's parameters in positional order, each with the ``keras.ops`` keyword of the
    # same meaning, or "" for none (given, the call has no twin); the ``keras.ops`` function takes
    # the others in that order too.
    params: tuple[tuple[str, str], ...]
    # Per ``keras.ops`` keyword whose values are read apart: how a TensorFlow value maps.
    values: dict[str, Values] = field(default_factory=dict)
    # ``keras.ops`` keywords whose default differs, with TensorFlow's default, written when omitted.
    defaults: dict[str, str] = field(default_factory=dict)
    # TensorFlow flags that transpose an argument's last two axes first (``transpose_a=True``):
    # flag -> the ``keras.ops`` parameter written as ``keras.ops.swapaxes(value, -2, -1)``.
    transposes: dict[str, str] = field(default_factory=dict)
    # Pooling: how many spatial axes its windows have (0: as many as the input's), whose
    # TensorFlow value may list the batch and channel axes too, read by the call's layout.
    window_rank: int | None = None


def _twin(name: str, params: str, **options: dict) -> Twin:
    """``_twin("reshape", "tensor:x shape:newshape")``: ``tf:keras`` pairs, one name when equal."""
    pairs = tuple((p.split(":")[0], p.split(":")[-1]) for p in params.split())
    return Twin(name, pairs, **options)


def _unary(name: str, param: str = "x") -> Twin:
    return _twin(name, f"{param}:x")


_BINARY = "x:x1 y:x2"
_REDUCE = "input_tensor:x axis keepdims"
_SPACE = {"values": {"data_format": _FORMATS}}
_COMPARISONS = ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal")
_POOL = "input:inputs ksize:pool_size strides padding data_format"
_PAD_MODES = ("CONSTANT", "REFLECT", "SYMMETRIC")  # in any case, to TensorFlow
_PADDING = spelled({"SAME": "same", "VALID": "valid"})
# Per rank: TensorFlow's channels-last and channels-first layouts.
_LAYOUTS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}
_WINDOWS = ("pool_size", "strides")


def _pool(name: str, rank: int) -> Twin:
    """``tf.nn.max_pool2d`` and its kin; ``rank`` 0 for ``tf.nn.max_pool``, of any rank."""
    layouts = _LAYOUTS.values() if not rank else (_LAYOUTS[rank],)
    formats = {last: "channels_last" for last, _ in layouts} | {first: "channels_first" for _, first in layouts}
    values = {"pool_size": sizes, "strides": sizes, "padding": _PADDING, "data_format": spelled(formats)}
    # ``keras.ops`` reads no layout as the configured image data format: TensorFlow's is written out.
    return _twin(name, _POOL, values=values, defaults={"data_format": '"channels_last"'}, window_rank=rank)


_TRANSPOSES = {"transpose_a": "x1", "transpose_b": "x2"}

# ``tensorflow.<path>`` -> its twin.
TWINS: dict[str, Twin] = {
    "nn.relu": _unary("relu", "features"),
    "nn.relu6": _unary("relu6", "features"),
    **{path: _unary("sigmoid") for path in ("nn.sigmoid", "sigmoid", "math.sigmoid")},
    **{path: _unary("tanh") for path in ("nn.tanh", "tanh", "math.tanh")},
    **{path: _twin("softmax", "logits:x axis") for path in ("nn.softmax", "math.softmax")},
    **{path: _twin("log_softmax", "logits:x axis") for path in ("nn.log_softmax", "math.log_softmax")},
    "nn.elu": _unary("elu", "features"),
    "nn.selu": _unary("selu", "features"),
    **{path: _unary("softplus", "features") for path in ("nn.softplus", "math.softplus")},
    **{path: _unary("softsign", "features") for path in ("nn.softsign", "math.softsign")},
    **{path: _unary("silu", "features") for path in ("nn.silu", "nn.swish")},
    "nn.gelu": _twin("gelu", "features:x approximate", defaults={"approximate": "False"}),
    "nn.leaky_relu": _twin("leaky_relu", "features:x alpha:negative_slope"),
    **{path: _unary("exp") for path in ("exp", "math.exp")},
    "math.log": _unary("log"),
    **{path: _unary("sqrt") for path in ("sqrt", "math.sqrt")},
    "math.rsqrt": _unary("rsqrt"),
    **{path: _unary("square") for path in ("square", "math.square")},
    **{path: _unary("abs") for path in ("abs", "math.abs")},
    **{path: _unary("negative") for path in ("negative", "math.negative")},
    **{path: _twin("matmul", "a:x1 b:x2", transposes=_TRANSPOSES) for path in ("matmul", "linalg.matmul")},
    **{path: _twin("tensordot", "a:x1 b:x2 axes") for path in ("tensordot", "linalg.tensordot")},
    "reshape": _twin("reshape", "tensor:x shape:newshape"),
    "transpose": _twin("transpose", "a:x perm:axes"),
    "concat": _twin("concatenate", "values:xs axis"),
    "stack": _twin("stack", "values:x axis"),
    "expand_dims": _twin("expand_dims", "input:x axis"),
    "squeeze": _twin("squeeze", "input:x axis"),
    "tile": _twin("tile", "input:x multiples:repeats"),
    "clip_by_value": _twin("clip", "t:x clip_value_min:x_min clip_value_max:x_max"),
    "cast": _twin("cast", "x dtype"),
    # ``x = tf.convert_to_tensor(inputs)`` at the top of a subclass's call(): a tensor as it was.
    "convert_to_tensor": _twin("convert_to_tensor", "value:x dtype dtype_hint:"),
    "nn.depth_to_space": _twin("depth_to_space", "input:x block_size data_format", **_SPACE),
    "nn.space_to_depth": _twin("space_to_depth", "input:x block_size data_format", **_SPACE),
    **{f"{space}reduce_{name}": _twin(name, _REDUCE) for space in ("", "math.") for name in ("sum", "max", "min")},
    **{path: _twin("mean", _REDUCE) for path in ("reduce_mean", "math.reduce_mean")},
    **{path: _twin(path.rsplit(".", 1)[-1], _BINARY) for path in ("add", "math.add", "multiply", "math.multiply")},
    **{path: _twin(path.rsplit(".", 1)[-1], _BINARY) for path in ("subtract", "math.subtract")},
    **{path: _twin(path.rsplit(".", 1)[-1], _BINARY) for path in ("maximum", "math.maximum")},
    **{path: _twin(path.rsplit(".", 1)[-1], _BINARY) for path in ("minimum", "math.minimum")},
    **{f"{space}{name}": _twin(name, _BINARY) for space in ("", "math.") for name in _COMPARISONS},
    **{
        f"{space}logical_{name}": _twin(f"logical_{name}", _BINARY) for space in ("", "math.") for name in ("and", "or")
    },
    **{path: _unary("logical_not") for path in ("logical_not", "math.logical_not")},
    **{path: _twin("power", _BINARY) for path in ("pow", "math.pow")},
    "math.reciprocal": _unary("reciprocal"),
    **{f"{space}reduce_{name}": _twin(name, _REDUCE) for space in ("", "math.") for name in ("prod", "any", "all")},
    # TensorFlow's one-hot is float32 unless told; keras.ops' follows the configured float type.
    "one_hot": _twin(
        "one_hot", "indices:x depth:num_classes on_value: off_value: axis dtype", defaults={"dtype": '"float32"'}
    ),
    "pad": _twin(
        "pad",
        "tensor:x paddings:pad_width mode constant_values",
        values={"mode": spelled({m: m.lower() for m in _PAD_MODES + tuple(m.lower() for m in _PAD_MODES)})},
    ),
    # ``tf.split(t, [2, 3])`` gives parts of sizes 2 and 3, ``keras.ops.split(t, [2, 3])`` cuts at
    # indices 2 and 3: only a count of parts means the same.
    "split": _twin(
        "split", "value:x num_or_size_splits:indices_or_sections axis num:", values={"indices_or_sections": integer}
    ),
    "gather": _twin(
        "take", "params:x indices validate_indices: axis batch_dims:", values={"axis": stated}, defaults={"axis": "0"}
    ),
    **{f"nn.{kind}_pool": _pool(name, 0) for kind, name in (("max", "max_pool"), ("avg", "average_pool"))},
    **{
        f"nn.{kind}_pool{rank}d": _pool(name, rank)
        for kind, name in (("max", "max_pool"), ("avg", "average_pool"))
        for rank in (1, 2, 3)
    },
}

# Hints for functions whose nearest ``keras.ops`` function computes something else, or that
# ``keras.ops`` lacks (the default hint names ``keras.ops.<the same name>``).
_HINTS = {
    "add_n": "`keras.ops` has no `add_n`: sum the tensors with a `keras.layers.Add()` layer"
    " (`Add()([a, b, c])`), or wrap the call in a Lambda layer",
    "dropout": "`keras.ops` has no `dropout`, and `keras.random.dropout` takes no Keras tensor: a"
    " `keras.layers.Dropout(rate)` layer drops only while training (`tf.nn.dropout` drops at"
    " inference too), or wrap the call in a Lambda layer",
    "l2_normalize": "`keras.ops.normalize` bounds the norm by epsilon where TensorFlow bounds its square:"
    " write `x * keras.ops.rsqrt(keras.ops.maximum(keras.ops.sum(keras.ops.square(x), axis=axis,"
    " keepdims=True), epsilon))`, or wrap the call in a Lambda layer",
}


def twin_args(dotted: str, call: cst.Call, ops: str = "keras.ops") -> tuple[str, tuple[cst.Arg, ...]] | None:
    """The ``keras.ops`` name and arguments ``call`` of TensorFlow's ``dotted`` is written with, if
    any; ``ops`` is how the file spells ``keras.ops``."""
    found = TWINS.get(dotted.removeprefix("tensorflow."))
    if found is None:
        return None
    args: list[cst.Arg] = []
    given: dict[str, int] = {}
    transposed: set[str] = set()
    for index, arg in enumerate(call.args):
        flag = _flag(found, index, arg)
        if flag is not None:
            if arg.value.value == "True":
                transposed.add(found.transposes[flag])
            continue
        mapped = _argument(found, index, arg)
        if mapped is None:
            return None
        given[mapped[0]] = len(args)
        args.append(mapped[1])
    if found.window_rank is not None and not _windows_read(found.window_rank, args, given):
        return None
    for keras_name, default in found.defaults.items():
        if keras_name not in given:
            equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
            args.append(cst.Arg(cst.parse_expression(default), keyword=cst.Name(keras_name), equal=equal))
    for index, arg in enumerate(args):
        keras_name = arg.keyword.value if arg.keyword is not None else found.params[index][1]
        if keras_name in transposed:
            swapped = cst.parse_expression(f"{ops}.swapaxes(_, -2, -1)")
            args[index] = arg.with_changes(value=swapped.with_changes(args=(cst.Arg(arg.value), *swapped.args[1:])))
    if args:
        # A dropped flag may have been last: the comma it followed goes with it.
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return found.name, tuple(args)


def _windows_read(rank: int, args: list[cst.Arg], given: dict[str, int]) -> bool:
    """Each pooling window of ``args`` as spatial sizes, in place; False if one has no such reading."""
    layout = args[given["data_format"]].value if "data_format" in given else None
    channels_first = isinstance(layout, cst.SimpleString) and "channels_first" in layout.value
    for keras_name in _WINDOWS:
        if keras_name in given:
            window = spatial(args[given[keras_name]].value, rank, channels_first)
            if window is None:
                return False
            args[given[keras_name]] = args[given[keras_name]].with_changes(value=window)
    return True


def _tf_name(found: Twin, index: int, arg: cst.Arg) -> str | None:
    if arg.keyword is not None:
        return arg.keyword.value
    return found.params[index][0] if index < len(found.params) else None


def _flag(found: Twin, index: int, arg: cst.Arg) -> str | None:
    """The transpose flag ``arg`` sets to a literal, if it is one."""
    tf_name = _tf_name(found, index, arg)
    literal = isinstance(arg.value, cst.Name) and arg.value.value in ("True", "False")
    return tf_name if tf_name in found.transposes and literal and not arg.star else None


def _argument(found: Twin, index: int, arg: cst.Arg) -> tuple[str, cst.Arg] | None:
    """The ``keras.ops`` keyword and argument of TensorFlow's argument ``arg``, if it has a twin."""
    tf_name = _tf_name(found, index, arg)
    keras_name = dict(found.params).get(tf_name) if tf_name is not None and not arg.star else None
    if not keras_name:
        return None
    mapped = found.values.get(keras_name)
    value = arg.value if mapped is None else mapped(arg.value)
    if value is None:
        return None
    return keras_name, arg.with_changes(keyword=None if arg.keyword is None else cst.Name(keras_name), value=value)


def hint(dotted: str, call: cst.Call) -> str:
    """What to write instead of ``call`` of TensorFlow's ``dotted``, for the refusal's hint."""
    path = dotted.removeprefix("tensorflow.")
    found = TWINS.get(path)
    last = path.rsplit(".", 1)[-1]
    if found is None and path.startswith("random."):
        # ``keras.ops`` has no random functions: ``keras.random`` has them, seeded by a SeedGenerator.
        return f"use `keras.random.{last}` (or wrap the call in a Lambda layer) instead"
    if found is None:
        return _HINTS.get(last, f"use `keras.ops.{last}` (or wrap the call in a Lambda layer) instead")
    for index, arg in enumerate(call.args):
        if _flag(found, index, arg) is None and _argument(found, index, arg) is None:
            code = cst.Module([]).code_for_node(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT))
            return (
                f"`keras.ops.{found.name}` has no argument that means `{code}` here;"
                " write the call without it, or wrap it in a Lambda layer"
            )
    return f"use `keras.ops.{found.name}` (or wrap the call in a Lambda layer) instead"
