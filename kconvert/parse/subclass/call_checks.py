"""What ``call()`` (or a method it calls) does that no static graph holds, refused wherever it
stands: state set while the model runs, the training flag used rather than passed on or held
fixed, a layer with weights made at every call (one without weights, ``weightless``, may be)."""

from __future__ import annotations

import libcst as cst

from ..builder import refuse
from ..names_in import identifiers
from ..source import SourceFile
from ..training_arg import graph_flag, positional_flag
from ..walk import walk
from ...ir.weightless import WEIGHTLESS_LAYERS
from .constructor import self_attribute

# What Keras passes a model's call() by keyword besides the inputs (keras.Model.__call__).
KERAS_CALL_ARGUMENTS = frozenset({"training", "mask"})


def check_call_body(
    src: SourceFile, call: cst.FunctionDef, flags: set[str], layers: set[str], methods: set[str]
) -> None:
    """Refuses what never fits a static graph, wherever it stands in call() (or a method it calls)."""
    where = "call()" if call.name.value == "call" else f"`{call.name.value}`"
    if call.name.value == "call":
        _training_default(src, call)
    # ``layers.Dropout(rate)(x)``: a layer without weights, made and called in one expression.
    called_at_once: set[cst.Call] = set()

    class Visitor(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                self._state(target.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._state(node.target)

        def _state(self, target: cst.BaseExpression) -> None:
            if isinstance(target, (cst.Attribute, cst.Subscript)) and "self" in identifiers(target):
                raise refuse(
                    src.loc(target),
                    f"{where} sets `{src.code(target)}`: model state changed while it runs"
                    " has no place in a static graph",
                    "compute the value in __init__, or keep the model a subclass",
                )

        def visit_Arg(self, node: cst.Arg) -> bool:
            # ``training=training`` passed on to a layer is what Keras does anyway; an argument's
            # keyword (``training=False``) names a parameter, it reads nothing.
            passed_on = (
                node.keyword is not None
                and isinstance(node.value, cst.Name)
                and node.value.value in flags
                and node.keyword.value == node.value.value
            )
            held = (
                node.keyword is not None
                and node.keyword.value == "training"
                and isinstance(node.value, cst.Name)
                and node.value.value in ("True", "False")
            )
            if graph_flag(node, flags) is not None:
                return False
            if held:
                raise refuse(
                    src.loc(node),
                    f"`training={node.value.value}` holds this call in one mode, but a graph"
                    " model passes its own training flag to it instead (Keras 3: fit() calls"
                    " it with training=True)",
                    "keep the model a subclass, or freeze the layer with"
                    " `layer.trainable = False` and drop the argument",
                )
            if not passed_on:
                node.value.visit(self)
            return False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value in flags and node.value not in KERAS_CALL_ARGUMENTS:
                raise _not_a_keras_argument(src, node, node.value)
            if node.value in flags:
                raise refuse(
                    src.loc(node),
                    f"call() uses `{node.value}` itself, which is only known when the model runs",
                    f"only pass it on to layers as `{node.value}={node.value}`, or keep the model a subclass",
                )

        def visit_Call(self, node: cst.Call) -> bool | None:
            if self_attribute(node.func) in methods:
                # A flag handed to a method of the model (``self.block(x, training)``) is the method's.
                for arg in node.args:
                    if not (isinstance(arg.value, cst.Name) and arg.value.value in flags):
                        walk(arg.value, self)
                return False
            positional = positional_flag(src, node, flags, layers)
            if positional is not None:
                raise positional
            if isinstance(node.func, cst.Call) and weightless(src, node.func):
                called_at_once.add(node.func)
                return
            keras = src.keras(node.func)
            if keras is not None and keras.is_layer_class and node not in called_at_once:
                weights = ", with new weights," if isinstance(node.func, cst.Call) else ""
                raise refuse(
                    src.loc(node),
                    f"`{src.code(node.func)}(...)` makes a new layer{weights} each time call() runs",
                    "create the layer once in __init__ and call it here",
                )

    walk(call.body, Visitor())
    if call.name.value == "call":
        _refuse_unread_params(src, call)


def _refuse_unread_params(src: SourceFile, call: cst.FunctionDef) -> None:
    """A parameter call() takes but never reads (``is_training=False``) is refused too: a caller
    may still pass it, which a graph model refuses when called (``TypeError``)."""
    read = identifiers(call.body)
    for param in [*call.params.params[2:], *call.params.kwonly_params]:
        if param.name.value not in KERAS_CALL_ARGUMENTS and param.name.value not in read:
            raise _not_a_keras_argument(src, param, param.name.value)


def _not_a_keras_argument(src: SourceFile, node: cst.CSTNode, name: str):
    """A parameter of call() that Keras never passes a graph model: the model's callers pass it."""
    if "train" in name:
        # The TF2 tutorials' ``is_training``.
        return refuse(
            src.loc(node),
            f"call() takes the mode as `{name}`, which a graph model is not called with:"
            " Keras calls it with `training` and passes that on to its layers itself",
            f"rename `{name}` to `training` in call() and where the model is called, and only"
            " pass it on to layers as `training=training`; or keep the model a subclass",
        )
    return refuse(
        src.loc(node),
        f"call() takes `{name}` besides its inputs, which a graph model is not called with",
        f"keep the model a subclass, or make `{name}` one of the model's inputs",
    )


def weightless(src: SourceFile, made: cst.Call) -> bool:
    """``layers.Dropout(rate)``: a fresh one at every call computes what one made once does."""
    keras = src.keras(made.func)
    return keras is not None and keras.is_layer_class and keras.last in WEIGHTLESS_LAYERS


def _training_default(src: SourceFile, call: cst.FunctionDef) -> None:
    """``def call(self, x, training=True)``: a bare ``model(x)`` (or a block called without the flag)
    runs Dropout and BatchNormalization in training mode, which no graph model defaults to; Keras
    itself passes the flag in ``fit`` and ``predict``, so the verifier's calls cannot see it."""
    for param in (*call.params.params, *call.params.kwonly_params):
        default = param.default
        if param.name.value != "training" or default is None:
            continue
        if isinstance(default, cst.Name) and default.value in ("None", "False"):
            continue
        raise refuse(
            src.loc(param),
            f"call() defaults `training` to `{src.code(default)}`: a call without the flag (`model(x)`) runs"
            " its layers in that mode, while a graph model's runs them for inference",
            "default it to None (fit() and predict() pass the flag themselves), or keep the model a subclass",
        )
