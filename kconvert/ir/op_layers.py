"""Tensor expressions that one Keras layer computes exactly, and that layer.

A Sequential model holds only layers, so an activation written as a function between its
layers (``keras.ops.relu(x)``, ``keras.activations.tanh(x)``, or ``tf.nn.relu(x)``, which the
parser writes as ``keras.ops.relu(x)``) stands in its list as ``Activation("relu")``: that layer
calls ``keras.activations.relu`` on its input with Keras' defaults, the same function of the
same tensor, with no weights.  The safety check compares the two as one (``ir/structure.py``).

Only Keras' own modules count (a dotted path through ``keras``, so a file's own ``ops`` module
is never taken for it), and only calls on the one tensor with the defaults the activation uses.
A reshape that keeps the batch axis (``tf.reshape(x, [-1, 28 * 28])``) is ``Reshape((28 * 28,))``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .graph import Graph
from .nodes import Op
from .source_text import Code

# ``keras.ops`` function -> the name ``Activation`` takes for the same function with its
# defaults, with the keywords the call must give for that (``gelu``: ``keras.ops`` approximates
# unless told, ``keras.activations`` does not).
_OPS: dict[str, tuple[str, dict[str, str]]] = {
    **{name: (name, {}) for name in ("relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax")},
    **{name: (name, {}) for name in ("elu", "selu", "softplus", "softsign", "silu", "leaky_relu")},
    "exp": ("exponential", {}),
    "gelu": ("gelu", {"approximate": "False"}),
}
# Keywords a ``keras.ops`` call may give at the value ``Activation`` uses anyway: ``tf.nn.leaky_relu(x,
# alpha=0.2)``, read as ``keras.ops.leaky_relu(x, negative_slope=0.2)``, is the default slope
# of ``keras.activations.leaky_relu``.
_DEFAULTS: dict[str, dict[str, float]] = {"leaky_relu": {"negative_slope": 0.2}}
# ``keras.activations`` functions that ``Activation`` takes by name, called with their defaults.
_ACTIVATIONS = frozenset(
    {"relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax", "elu", "selu", "softplus", "softsign"}
    | {"silu", "swish", "gelu", "leaky_relu", "exponential", "hard_sigmoid", "linear"}
)


# The layers an expression may be written as.
KINDS = frozenset({"Activation", "Reshape"})


@dataclass(frozen=True)
class LayerOf:
    """A layer an expression is: its class under ``keras.layers``, and its one argument."""

    kind: str
    # The layer's argument as written: ``"relu"``, ``(28 * 28,)``.
    arg: str


def layers_of(expr: Code) -> tuple[LayerOf, ...]:
    """The layers that compute ``expr`` exactly, one after the other (the innermost call first:
    ``tf.nn.relu(tf.reshape(x, [-1, 64]))`` is ``Reshape((64,))`` then ``Activation("relu")``),
    or none when some part of it is no layer."""
    if len(expr.refs) != 1:
        return ()
    try:
        tree = ast.parse(expr.text, mode="eval").body
    except SyntaxError:
        return ()
    return tuple(_layers(tree, expr.refs[0][0], expr.text) or ())


def expression_layers(graph: Graph) -> frozenset[str]:
    """The classes of the layers a Sequential model of ``graph`` writes for its expressions."""
    expressions = [node.expr for node in graph.walk() if isinstance(node, Op) and not node.more] + [graph.outputs]
    return frozenset(same.kind for expr in expressions for same in layers_of(expr))


def _layers(node: ast.expr, placeholder: str, text: str) -> list[LayerOf] | None:
    if not isinstance(node, ast.Call) or not node.args or not isinstance(node.func, ast.Attribute):
        return None
    inner = node.args[0]
    before = [] if isinstance(inner, ast.Name) and inner.id == placeholder else _layers(inner, placeholder, text)
    same = _layer(node, text)
    return None if before is None or same is None else [*before, same]


def _layer(call: ast.Call, text: str) -> LayerOf | None:
    """The layer of one call on the tensor its first argument is."""
    module, function = _dotted(call.func.value), call.func.attr
    if module is None or "keras" not in module.split(".")[:-1] or any(k.arg is None for k in call.keywords):
        return None
    keywords = {keyword.arg: ast.unparse(keyword.value) for keyword in call.keywords}
    if module.endswith(".ops") and function == "reshape":
        shape = _batch_kept(text, call)
        return LayerOf("Reshape", shape) if shape is not None else None
    if len(call.args) != 1:
        return None
    if module.endswith(".activations") and function in _ACTIVATIONS and not keywords:
        return LayerOf("Activation", f'"{function}"')
    if module.endswith(".ops") and function in _OPS and _as_activation(function, keywords):
        return LayerOf("Activation", f'"{_OPS[function][0]}"')
    return None


def _as_activation(function: str, keywords: dict[str, str]) -> bool:
    """Whether ``keras.ops.<function>`` called with ``keywords`` computes what ``Activation``
    does: the keywords the activation needs, and any other at the activation's default."""
    needed = _OPS[function][1]
    if any(keywords.get(name) != value for name, value in needed.items()):
        return False
    defaults = _DEFAULTS.get(function, {})
    return all(name in needed or _number(value) == defaults.get(name) for name, value in keywords.items())


def _number(text: str) -> float | None:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _batch_kept(text: str, call: ast.Call) -> str | None:
    """``(28 * 28,)`` for ``keras.ops.reshape(x, [-1, 28 * 28])``: a new shape that keeps the
    batch axis (``-1`` first, the sizes of one sample after it, none of them ``-1``) is
    ``Reshape(<those sizes>)``, which reshapes each sample and keeps the batch axis; the two give
    the same tensor whenever the sizes hold one sample, and for no other input does the original
    keep the batch apart."""
    shapes = call.args[1:] + [keyword.value for keyword in call.keywords if keyword.arg == "newshape"]
    if len(shapes) != 1 or len(call.args) + len(call.keywords) != 2 or not isinstance(shapes[0], (ast.List, ast.Tuple)):
        return None
    first, *sizes = shapes[0].elts
    if not sizes or not _minus_one(first) or any(_minus_one(size) or isinstance(size, ast.Starred) for size in sizes):
        return None
    written = [ast.get_source_segment(text, size) for size in sizes]
    return "(" + ", ".join(written) + ("," if len(written) == 1 else "") + ")"


def _minus_one(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and node.operand.value == 1
    )


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner is not None else None
    return None


# The layer that does what a ``keras.ops`` function does, for the hint of a refusal: the same
# computation only under conditions kconvert cannot see (the tensor's rank, the batch axis kept,
# the arguments the layer takes), so the user writes it.
_NEAR = {
    "reshape": "keras.layers.Reshape(<shape without the batch axis>)",
    "expand_dims": "keras.layers.Reshape(<shape without the batch axis>)",
    "squeeze": "keras.layers.Reshape(<shape without the batch axis>)",
    "transpose": "keras.layers.Permute(<axes without the batch axis, from 1>)",
    "one_hot": 'keras.layers.CategoryEncoding(<depth>, output_mode="one_hot")',
    "mean": "keras.layers.GlobalAveragePooling1D() (the mean over axis 1 of a 3-D tensor)",
    "max": "keras.layers.GlobalMaxPooling1D() (the max over axis 1 of a 3-D tensor)",
    "max_pool": "keras.layers.MaxPooling2D(...)",
    "average_pool": "keras.layers.AveragePooling2D(...)",
    "pad": "keras.layers.ZeroPadding2D(...) (zeros only)",
    "relu": "keras.layers.ReLU(...)",
    "leaky_relu": "keras.layers.LeakyReLU(negative_slope=...)",
    "softmax": "keras.layers.Softmax(axis=...)",
}
# ``keras.applications`` modules whose ``preprocess_input`` scales pixels to [-1, 1] ("tf" mode).
_TF_MODE = frozenset(
    {"mobilenet", "mobilenet_v2", "xception", "inception_v3", "inception_resnet_v2", "nasnet", "resnet_v2"}
)
_LAMBDA = "keep the Functional API, or wrap the expression in a layer (e.g. keras.layers.Lambda)"


def op_hint(expr: Code) -> str:
    """What to write instead of ``expr`` in a Sequential model: the layer that does it, if any."""
    layer = _near(expr)
    if layer is None:
        return _LAMBDA
    return f"write it as the layer `{layer}`, or keep the Functional API"


def _near(expr: Code) -> str | None:
    try:
        node = ast.parse(expr.text, mode="eval").body
    except SyntaxError:
        return None
    placeholders = {placeholder for placeholder, _ in expr.refs}
    if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Name) and node.left.id in placeholders:
        reads = any(isinstance(inner, ast.Name) and inner.id in placeholders for inner in ast.walk(node.right))
        return _rescaling(node.op, node.right) if not reads else None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    module, function = _dotted(node.func.value) or "", node.func.attr
    if function == "preprocess_input" and module.rsplit(".", 1)[-1] in _TF_MODE:
        return "keras.layers.Rescaling(1 / 127.5, offset=-1)"
    modes = [ast.unparse(keyword.value) for keyword in node.keywords if keyword.arg == "mode"]
    modes += [ast.unparse(arg) for arg in node.args[2:3]]
    if function == "pad" and any(mode.strip("'\"") != "constant" for mode in modes):
        return None  # reflected or symmetric padding: no layer pads so
    if module.rsplit(".", 1)[-1] == "ops":
        return _NEAR.get(function)
    return None


def _rescaling(op: ast.operator, right: ast.expr) -> str | None:
    """``x / 255.0``, ``x * scale``: a number (or a name, for a scale) applied to one tensor is
    ``Rescaling``, which computes ``x * scale + offset``; a name added may be a tensor."""
    arithmetic = (ast.Constant, ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop)
    number = all(isinstance(inner, arithmetic) for inner in ast.walk(right))
    scale = number or isinstance(right, ast.Name)
    text = ast.unparse(right)
    if isinstance(op, ast.Mult) and scale:
        return f"keras.layers.Rescaling({text})"
    if isinstance(op, ast.Div) and scale:
        return f"keras.layers.Rescaling(1 / {text})"
    if isinstance(op, (ast.Add, ast.Sub)) and number:
        return f"keras.layers.Rescaling(1, offset={'-' if isinstance(op, ast.Sub) else ''}{text})"
    return None
