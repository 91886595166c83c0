"""Which arguments give a Sequential model's input: a first layer's Keras 2 ``input_shape=`` /
``input_dim=`` / ``batch_input_shape=`` (an ``Embedding``'s ``input_length=``), as the
``keras.Input`` arguments they stand for, read also from a layer made apart, a nested
Sequential's first element, or each branch of an ``if`` that adds the first layer.  Keras 2
(``tf_keras``) also gives that input the layer's ``dtype=`` (a TensorFlow Hub layer's
``tf.string``); Keras 3 does not."""

from __future__ import annotations

import re

import libcst as cst

from ...ir.source_text import Arg, Code, Loc
from ..builder import GraphBuilder, refuse
from ..keras_names import INPUT, INPUT_LAYER, KERAS2, SEQUENTIAL
from ..source import SourceFile
from ..spelling import spelled_as_class
from .adds import only_raises
from .items import Element, Plain, When
from ..reaching import reaching_call

FIRST_LAYER_INPUT_ARGS = {"input_shape": "shape", "batch_input_shape": "batch_shape", "batch_size": "batch_size"}
# Layers whose ``input_dim`` is a parameter of their own (the vocabulary size),
# not Keras 2's shorthand for the input shape.
LAYERS_WITH_INPUT_DIM = frozenset({"Embedding", "ReversibleEmbedding"})
INPUT_LAYER_ARGS = {"input_shape": "shape", "batch_input_shape": "batch_shape", "input_tensor": "tensor"}
# A dtype as written: a string literal or a module's dtype (``tf.string``, ``np.float64``); a mixed
# precision policy (``"mixed_float16"``) is no input dtype (Keras 2 gives the input its variable dtype).
_DTYPE = re.compile(r"""^(?:(['"])(?!mixed_)\w+\1|[A-Za-z_][\w.]*\.(?:string|bool|u?int(?:8|16|32|64)|b?float(?:16|32|64)|complex(?:64|128)))$""")


def branches_input(src: SourceFile, builder: GraphBuilder, when: When) -> tuple[Arg, ...] | None:
    """The input arguments every branch's first layer gives alike, if they do."""
    found = set()
    for branch in _branches(when):
        if all(isinstance(item, Plain) for item in branch) and only_raises([item.statement for item in branch]):
            continue
        first = next((item for item in branch if not isinstance(item, Plain)), None)
        args = first_layer_input(src, builder, first.expr) if isinstance(first, Element) else None
        if not args:
            return None
        found.add(args)
    return found.pop() if len(found) == 1 else None


def _branches(when: When):
    yield list(when.elements)
    if len(when.orelse) == 1 and isinstance(when.orelse[0], When):
        yield from _branches(when.orelse[0])
    else:
        yield list(when.orelse)


def made_layer(src: SourceFile, builder: GraphBuilder, expr: cst.BaseExpression) -> cst.Call | None:
    """The call that makes the layer (or Keras Application) object ``expr`` names, if any: the one
    binding of the name in its scope, or the one the model's line sees when a notebook binds it again."""
    made = builder.made_by(expr) or reaching_call(src, expr)
    keras = src.keras(made.func) if made is not None else None
    if made is not None and keras is None and spelled_as_class(made.func):
        # Another library's layer class (``hub.KerasLayer(url, input_shape=[])``) is read as the
        # same class written in the list; a function's ``input_shape=`` is its own parameter.
        return made
    return made if keras is not None and (keras.is_layer_class or keras.path.startswith("applications.")) else None


def nested_input_args(src: SourceFile, builder: GraphBuilder, expr) -> tuple[Arg, ...] | None:
    """The input arguments a Sequential model first in the list declares, if any: written inline,
    or made by name before (``encoder = Sequential([Dense(8, input_shape=(4,)), ...])``, then
    ``Sequential([encoder, decoder])``, whose input Keras takes from ``encoder``'s)."""
    if isinstance(expr, cst.Name):
        expr = builder.made_by(expr) or reaching_call(src, expr)
    keras = src.keras(expr.func) if isinstance(expr, cst.Call) else None
    if keras is None or keras.path not in SEQUENTIAL or not expr.args:
        return None
    layers = expr.args[0].value if expr.args[0].keyword in (None, "layers") else None
    if not isinstance(layers, cst.List) or not layers.elements:
        return None
    return item_input_args(src, builder, layers.elements[0].value)


def item_input_args(src: SourceFile, builder: GraphBuilder, first) -> tuple[Arg, ...] | None:
    """The input arguments a Sequential's first item declares (in its list, or its first
    ``.add(...)``): a ``keras.Input``, an ``InputLayer``, a layer's ``input_shape=``, or a
    Sequential first in it that declares one."""
    inner = src.keras(first.func) if isinstance(first, cst.Call) else None
    if inner is not None and inner.path in INPUT:
        return builder.args(first)
    if inner is not None and inner.path in INPUT_LAYER:
        return tuple(renamed(arg, INPUT_LAYER_ARGS, positional="shape") for arg in builder.args(first))
    return first_layer_input(src, builder, first) or nested_input_args(src, builder, first)


def first_layer_input(src: SourceFile, builder: GraphBuilder, first) -> tuple[Arg, ...] | None:
    """``shape=(28, 28)`` for a first layer ``Dense(4, input_shape=(28, 28))``, else None."""
    if isinstance(first, cst.Call):
        args = builder.args(first)
        moved = input_args_of(builder, first, args)
        if moved:
            return input_of(builder, moved, args, src.loc(first))
    return None


def input_of(builder: GraphBuilder, moved: list[Arg], args: tuple[Arg, ...], loc: Loc) -> tuple[Arg, ...]:
    """The ``keras.Input`` arguments a first layer's ``moved`` input arguments stand for; in Keras 2,
    whose ``Sequential`` makes its input with the layer's dtype, its ``dtype=`` too."""
    made = tuple(input_arg(arg) for arg in moved)
    if builder.keras_root() != KERAS2:
        return made
    for arg in args:
        if arg.keyword == "dtype" and not _DTYPE.match(arg.value.text):
            raise refuse(
                loc,
                f"Keras 2 gives this model's input the first layer's dtype, and kconvert cannot tell"
                f" which dtype `{arg.value.text}` is",
                "write the dtype itself (`dtype=tf.string`, `dtype=\"float64\"`) on the layer",
            )
    return made + tuple(arg for arg in args if arg.keyword == "dtype")


def input_args_of(builder: GraphBuilder, layer: cst.Call, args: tuple[Arg, ...]) -> list[Arg]:
    return keras2_input_args(builder.type_name(layer.func), args)


def keras2_input_args(type_name: str, args: tuple[Arg, ...]) -> list[Arg]:
    """The arguments of a first layer that give the model's input in Keras 2, which Keras 3 reads from
    a ``keras.Input``: ``input_shape=``, ``input_dim=`` (but an ``Embedding``'s is its vocabulary), and
    an ``Embedding``'s ``input_length=``, which Keras 3 ignores with a warning."""
    if type_name not in LAYERS_WITH_INPUT_DIM:
        return [arg for arg in args if arg.keyword in FIRST_LAYER_INPUT_ARGS or arg.keyword == "input_dim"]
    moved = [arg for arg in args if arg.keyword in FIRST_LAYER_INPUT_ARGS]
    if not any(arg.keyword in ("input_shape", "batch_input_shape") for arg in moved):
        moved += [arg for arg in args if arg.keyword == "input_length"]
    return moved


def input_arg(arg: Arg) -> Arg:
    """The ``keras.Input`` argument a first layer's Keras 2 input argument stands for."""
    if arg.keyword in ("input_dim", "input_length"):
        return Arg(Code(f"({arg.value.text},)"), "shape")
    return renamed(arg, FIRST_LAYER_INPUT_ARGS)


def renamed(arg: Arg, names: dict[str, str], positional: str | None = None) -> Arg:
    if arg.keyword is None and positional is not None and not arg.star:
        return Arg(arg.value, positional)
    return Arg(arg.value, names.get(arg.keyword, arg.keyword), arg.star)
