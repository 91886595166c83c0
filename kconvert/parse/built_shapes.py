"""The shape a ``build(...)`` call gives, read without running it: ``(None, 13)``, a list, a
``tf.TensorShape`` of one, a name bound to one, or ``(None, *shape)`` spreading a tuple of whole
numbers.
"""

from __future__ import annotations

import libcst as cst

from .data_literals import whole_dims
from .data_looks import only_looks
from .reaching import reaching_unpacked
from .shape_constants import spread_numbers
from .source import SourceFile

DEPTH = 12


def built_shape(src: SourceFile, expr: cst.BaseExpression, depth: int = 0) -> list[cst.BaseExpression] | None:
    """The axes of ``build((None, 13))``'s shape, batch first: a tuple or list, or
    ``tf.TensorShape(...)`` of one, or a name bound to one; ``(None, *shape)`` spreads a
    ``shape = (28, 28, 1)``.  Axes read through a name must be whole numbers: a name among them
    would be read where the Input is written, which may see another binding."""
    if depth > DEPTH:
        return None
    if isinstance(expr, cst.Name):
        found = reaching_unpacked(src, expr)
        if found is None or found[1] or not all(only_looks(src, line, expr.value) for line in found[2]):
            return None
        axes = built_shape(src, found[0], depth + 1)
        return axes if axes and whole_dims(axes[1:]) is not None else None
    if isinstance(expr, cst.Call):
        tensor_shape = "tensorflow.TensorShape" in src.qualified(expr.func)
        if not tensor_shape or len(expr.args) != 1 or expr.args[0].keyword or expr.args[0].star:
            return None
        return built_shape(src, expr.args[0].value, depth + 1)
    if not isinstance(expr, (cst.Tuple, cst.List)):
        return None
    axes: list[cst.BaseExpression] = []
    for element in expr.elements:
        if not isinstance(element, cst.StarredElement):
            axes.append(element.value)
            continue
        # ``(None, *shape)``: the whole of ``shape`` is axes after the batch.
        spread = spread_numbers(src, element.value)
        if spread is None:
            return None
        axes.extend(spread)
    return axes
