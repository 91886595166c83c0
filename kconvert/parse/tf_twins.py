"""TensorFlow functions called on Keras tensors, and their ``keras.ops`` twins.

Keras 3 refuses ``tf.nn.relu(x)`` on a symbolic tensor (Keras 2 wrapped it in a
``TFOpLambda`` layer).  Where ``keras.ops`` has a function that computes the same
thing, the parser writes that instead, in every target style, its arguments
mapped one by one (``tf.reshape(t, shape=s)`` -> ``keras.ops.reshape(t, newshape=s)``,
``data_format="NHWC"`` -> ``"channels_last"``, a default that differs written out);
any other TensorFlow function, or an argument with no twin, is refused with the
name to use.  A test runs each pair below in TensorFlow on the same inputs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

_FORMATS = {"NHWC": "channels_last", "NCHW": "channels_first"}


@dataclass(frozen=True)
class Twin:
    """A ``keras.ops`` function and how a TensorFlow call's arguments map onto it."""

    name: str
    # TensorFlow's parameters in positional order, each with the ``keras.ops`` keyword of the
    # same meaning; the ``keras.ops`` function takes them in that order too.
    params: tuple[tuple[str, str], ...]
    # Per ``keras.ops`` keyword: a literal TensorFlow value -> the ``keras.ops`` literal that means
    # it; any other value has no twin.
    values: dict[str, dict[object, object]] = field(default_factory=dict)
    # ``keras.ops`` keywords whose default differs, with TensorFlow's default, written when omitted.
    defaults: dict[str, str] = field(default_factory=dict)
    # TensorFlow flags that transpose an argument's last two axes first (``transpose_a=True``):
    # flag -> the ``keras.ops`` parameter written as ``keras.ops.swapaxes(value, -2, -1)``.
    transposes: dict[str, str] = field(default_factory=dict)


def _twin(name: str, params: str, **options: dict) -> Twin:
    """``_twin("reshape", "tensor:x shape:newshape")``: ``tf:keras`` pairs, one name when equal."""
    pairs = tuple((p.split(":")[0], p.split(":")[-1]) for p in params.split())
    return Twin(name, pairs, **options)


def _unary(name: str, param: str = "x") -> Twin:
    return _twin(name, f"{param}:x")


_BINARY = "x:x1 y:x2"
_REDUCE = "input_tensor:x axis keepdims"
_SPACE = {"values": {"data_format": _FORMATS}}
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
    "nn.depth_to_space": _twin("depth_to_space", "input:x block_size data_format", **_SPACE),
    "nn.space_to_depth": _twin("space_to_depth", "input:x block_size data_format", **_SPACE),
    **{f"{space}reduce_{name}": _twin(name, _REDUCE) for space in ("", "math.") for name in ("sum", "max", "min")},
    **{path: _twin("mean", _REDUCE) for path in ("reduce_mean", "math.reduce_mean")},
    **{path: _twin(path.rsplit(".", 1)[-1], _BINARY) for path in ("add", "math.add", "multiply", "math.multiply")},
    **{path: _twin(path.rsplit(".", 1)[-1], _BINARY) for path in ("subtract", "math.subtract")},
    **{path: _twin(path.rsplit(".", 1)[-1], _BINARY) for path in ("maximum", "math.maximum")},
    **{path: _twin(path.rsplit(".", 1)[-1], _BINARY) for path in ("minimum", "math.minimum")},
}

# Hint names for functions that have a ``keras.ops`` function of another meaning or signature.
_HINT_NAMES = {"reduce_prod": "prod", "reduce_any": "any", "reduce_all": "all", "gather": "take"}


def twin_args(dotted: str, call: cst.Call, ops: str = "keras.ops") -> tuple[str, tuple[cst.Arg, ...]] | None:
    """The ``keras.ops`` name and arguments ``call`` of TensorFlow's ``dotted`` is written with, if
    any; ``ops`` is how the file spells ``keras.ops``."""
    found = TWINS.get(dotted.removeprefix("tensorflow."))
    if found is None:
        return None
    keras_names = dict(found.params)
    order = [tf for tf, _ in found.params]
    args: list[cst.Arg] = []
    given: set[str] = set()
    transposed: set[str] = set()
    for index, arg in enumerate(call.args):
        if arg.star:
            return None
        tf_name = arg.keyword.value if arg.keyword is not None else (order[index] if index < len(order) else None)
        if tf_name in found.transposes and isinstance(arg.value, cst.Name) and arg.value.value in ("True", "False"):
            if arg.value.value == "True":
                transposed.add(found.transposes[tf_name])
            continue
        keras_name = keras_names.get(tf_name) if tf_name is not None else None
        if keras_name is None:
            return None
        value = _mapped(arg.value, found.values.get(keras_name))
        if value is None:
            return None
        given.add(keras_name)
        keyword = None if arg.keyword is None else cst.Name(keras_name)
        args.append(arg.with_changes(keyword=keyword, value=value))
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


def _mapped(value: cst.BaseExpression, literals: dict[object, object] | None) -> cst.BaseExpression | None:
    """``value``, or the literal of the same meaning when the keyword's values are spelled apart."""
    if literals is None:
        return value
    if not isinstance(value, cst.SimpleString):
        return None
    meaning = literals.get(ast.literal_eval(value.value))
    return None if meaning is None else cst.SimpleString(value.quote + str(meaning) + value.quote)


def hint_name(dotted: str) -> str:
    """``tensorflow.reduce_prod`` -> ``keras.ops.prod``: what to write instead, for the refusal's hint."""
    path = dotted.removeprefix("tensorflow.")
    known = TWINS.get(path)
    last = path.rsplit(".", 1)[-1]
    return f"keras.ops.{known.name if known else _HINT_NAMES.get(last, last)}"
