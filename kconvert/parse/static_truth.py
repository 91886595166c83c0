"""Whether an ``if`` test inside a helper is decided by the helper's arguments.

``def conv_block(x, activation=None): ... if activation: x = activation(x)``
called as ``conv_block(x, activation=layers.ReLU())`` always takes the branch,
and with ``activation=None`` never does.  Such a test is decided where the
helper is written out, so no ``if True:`` (or ``if layers.ReLU():``) reaches a
subclass.  Only literals, ``not``/``and``/``or``, ``is``/``==`` comparisons of
literals, and Keras layer constructor calls (always true) are decided; anything
else is left to run.
"""

from __future__ import annotations

from typing import Mapping

import libcst as cst

from .source import SourceFile

_UNKNOWN = object()
_LAYER = object()  # a layer object: true, and equal only to itself


def static_truth(src: SourceFile, test: cst.BaseExpression, constants: Mapping[str, cst.BaseExpression]) -> bool | None:
    """True or False when ``test`` is decided by ``constants`` alone, else None."""
    value = _value(src, test, constants)
    if value is _UNKNOWN:
        return None
    return True if value is _LAYER else bool(value)


def _value(src: SourceFile, node: cst.BaseExpression, constants: Mapping[str, cst.BaseExpression]):
    if isinstance(node, cst.Name):
        if node.value in constants:
            return _value(src, constants[node.value], {})
        return {"True": True, "False": False, "None": None}.get(node.value, _UNKNOWN)
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)):
        return node.evaluated_value
    if isinstance(node, cst.Call):
        keras = src.keras(node.func)
        return _LAYER if keras is not None and keras.is_layer_class else _UNKNOWN
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        inner = _value(src, node.expression, constants)
        return _UNKNOWN if inner is _UNKNOWN else not _truth(inner)
    if isinstance(node, cst.BooleanOperation):
        left = _value(src, node.left, constants)
        if left is _UNKNOWN:
            return _UNKNOWN
        if isinstance(node.operator, cst.And):
            return _value(src, node.right, constants) if _truth(left) else left
        return left if _truth(left) else _value(src, node.right, constants)
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        left = _value(src, node.left, constants)
        right = _value(src, node.comparisons[0].comparator, constants)
        if left is _UNKNOWN or right is _UNKNOWN or (_LAYER in (left, right) and None not in (left, right)):
            return _UNKNOWN
        operator = node.comparisons[0].operator
        if isinstance(operator, (cst.Is, cst.Equal)):
            return left is right if isinstance(operator, cst.Is) else left == right
        if isinstance(operator, (cst.IsNot, cst.NotEqual)):
            return left is not right if isinstance(operator, cst.IsNot) else left != right
    return _UNKNOWN


def _truth(value) -> bool:
    return True if value is _LAYER else bool(value)
