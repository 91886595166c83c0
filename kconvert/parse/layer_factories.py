"""Calls that make a Keras layer without naming its class where they make it.

A helper makes layers when it calls a Keras layer class, and also when it calls a value that
stands for one: a name bound to a class a test picks (``kind = layers.GRU if cell == "gru" else
layers.LSTM``, keras.io's ``StringLookup if is_string else IntegerLookup``), a module's
``partial(layers.Conv2D, padding="same")`` or ``lambda units: layers.Dense(units)`` (ageron's
``DefaultConv2D``), or whatever a call returns that is called on at once (``make(8)(x)``).  Missed,
the helper was taken for a function of tensors, which a subclass's ``call()`` runs on every
forward pass: new, untracked layers each time.
"""

from __future__ import annotations

import libcst as cst

from .memo import once
from .source import SourceFile
from .walk import walk

# ``functools.partial`` by the names a file imports it under.
_PARTIAL = frozenset({"partial", "functools.partial"})


def layer_factories(src: SourceFile, definition: cst.FunctionDef) -> frozenset[str]:
    """The names a call of which makes a layer, in ``definition``: its own names bound to a value
    that reads a layer class without calling it, and the module's ``partial`` and ``lambda`` ones."""
    found: set[str] = set(once("module_layer_factories", src.module, lambda module: _module_factories(src, module)))

    class Visitor(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            names = [target.target.value for target in node.targets if isinstance(target.target, cst.Name)]
            if names and _names_layer_class(src, node.value):
                found.update(names)

    walk(definition.body, Visitor())
    return frozenset(found)


def makes_layer_by_value(src: SourceFile, call: cst.Call, factories: frozenset[str]) -> bool:
    """Whether ``call`` makes a layer through a value (see the module's docstring)."""
    if isinstance(call.func, cst.Name) and call.func.value in factories:
        return True
    if isinstance(call.func, cst.Call):
        # ``make(8)(x)``: what the inner call returns is called on at once, a layer's way; not a
        # Keras function that returns a function (``keras.activations.get("relu")(x)``).
        keras = src.keras(call.func.func)
        return keras is None or keras.is_layer_class
    return False


def _module_factories(src: SourceFile, module: cst.Module) -> frozenset[str]:
    found = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.Assign):
                continue
            names = [target.target.value for target in small.targets if isinstance(target.target, cst.Name)]
            if names and _makes_layers_when_called(src, small.value):
                found.update(names)
    return frozenset(found)


def _makes_layers_when_called(src: SourceFile, value: cst.BaseExpression) -> bool:
    """``partial(layers.Conv2D, ...)``, ``lambda units: layers.Dense(units)``."""
    if isinstance(value, cst.Call) and src.code(value.func) in _PARTIAL and value.args:
        keras = src.keras(value.args[0].value)
        return keras is not None and keras.is_layer_class
    if isinstance(value, cst.Lambda):
        made = False

        class Visitor(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> None:
                nonlocal made
                keras = src.keras(node.func)
                made = made or (keras is not None and keras.is_layer_class)

        value.body.visit(Visitor())
        return made
    return False


def _names_layer_class(src: SourceFile, value: cst.BaseExpression) -> bool:
    """Whether ``value`` reads a Keras layer class as a value (not by calling it)."""
    named = False

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> bool:
            # What a call makes is no class: only its arguments are looked at.
            for arg in node.args:
                arg.value.visit(self)
            return False

        def visit_Name(self, node: cst.Name) -> None:
            nonlocal named
            keras = src.keras(node)
            named = named or (keras is not None and keras.is_layer_class)

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            nonlocal named
            keras = src.keras(node)
            if keras is not None and keras.is_layer_class:
                named = True
                return False
            return True

    value.visit(Visitor())
    return named
