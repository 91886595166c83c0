"""Whole numbers a shape reads through names, read without running the file.

A script states its image size once, ``img_rows, img_cols, img_ch = 28, 28, 1`` and
``input_shape = (img_rows, img_cols, img_ch)``, then shapes its data with it,
``x.reshape(x.shape[0], *input_shape)``.  Each axis is then the number its name is bound to, when
the read sees one binding for certain (parse/reaching.py) and, for a list, nothing between
changes it (parse/data_looks.py); the axes come back as those numbers, so the Input written where
the model is made cannot read another binding of the name.  Anything else is no answer.
"""

from __future__ import annotations

import libcst as cst

from .data_literals import Axes, made_axes, reshaped, whole_dims
from .data_looks import only_looks
from .reaching import reaching_unpacked
from .source import SourceFile

DEPTH = 8
PRODUCTS = frozenset({"numpy.prod", "math.prod"})


def constant_axes(src: SourceFile, args) -> list[cst.BaseExpression] | None:
    """The values of ``args`` (call arguments or tuple elements) with each ``*name`` spread into the
    tuple it names and each name bound to a whole number replaced by that number; other values as
    they are.  None when a spread is not a tuple of such numbers."""
    axes: list[cst.BaseExpression] = []
    for arg in args:
        star = arg.star if isinstance(arg, cst.Arg) else "*" if isinstance(arg, cst.StarredElement) else ""
        if star == "**":
            return None
        if not star:
            axes.append(whole_number(src, arg.value) or arg.value)
            continue
        spread = spread_numbers(src, arg.value)
        if spread is None:
            return None
        axes.extend(spread)
    return axes


def shaped_call_axes(src: SourceFile, func: cst.Attribute, args) -> Axes | None:
    """The axes of a call that writes its shape, ``reshape`` or an array maker
    (parse/data_literals.py), its axes read through the names they are bound to."""
    positional = constant_axes(src, [arg for arg in args if arg.keyword is None])
    if positional is None:
        return None
    keyword = {arg.keyword.value: arg.value for arg in args if arg.keyword is not None}
    positional, keyword = [_numbers(src, value) for value in positional], {k: _numbers(src, v) for k, v in keyword.items()}
    if None in positional or None in keyword.values():
        return None
    return reshaped(func, positional, keyword) if func.attr.value == "reshape" else made_axes(func, positional, keyword)


def _numbers(src: SourceFile, value: cst.BaseExpression) -> cst.BaseExpression | None:
    """A tuple or list of axes with its names read as the numbers they are bound to (None when a
    spread in it is not such a tuple); any other value as it is."""
    if not isinstance(value, (cst.Tuple, cst.List)):
        return value
    axes = constant_axes(src, value.elements)
    return None if axes is None else cst.Tuple([cst.Element(axis) for axis in axes])


def whole_number(src: SourceFile, expr: cst.BaseExpression, depth: int = 0) -> cst.BaseExpression | None:
    """``expr`` when it is a whole number (``28``, ``28 * 28``), the number a name is bound to, or None."""
    if whole_dims([expr]) is not None:
        return expr
    if isinstance(expr, cst.Call) and len(expr.args) == 1 and not expr.args[0].keyword and not expr.args[0].star:
        # ``np.prod(image_size)`` of ``image_size = (28, 28)``: the product written out, ``28 * 28``.
        if src.qualified(expr.func) & PRODUCTS:
            numbers = spread_numbers(src, expr.args[0].value, depth + 1)
            return None if not numbers else _product(numbers)
        return None
    value = _bound_value(src, expr, depth)
    return None if value is None else whole_number(src, value, depth + 1)


def spread_numbers(src: SourceFile, expr: cst.BaseExpression, depth: int = 0) -> list[cst.BaseExpression] | None:
    """The numbers of the tuple ``*expr`` spreads: a tuple written there or one a name is bound to."""
    if isinstance(expr, cst.Name):
        value = _bound_value(src, expr, depth)
        return None if value is None else spread_numbers(src, value, depth + 1)
    if not isinstance(expr, (cst.Tuple, cst.List)) or any(isinstance(e, cst.StarredElement) for e in expr.elements):
        return None
    numbers = [whole_number(src, element.value, depth + 1) for element in expr.elements]
    return None if not numbers or None in numbers else numbers


def _bound_value(src: SourceFile, expr: cst.BaseExpression, depth: int) -> cst.BaseExpression | None:
    """The value the read ``expr`` sees.  A number or a tuple cannot change while it is bound; a
    list can (``shape.append(3)``), so every line between must only look at it."""
    if not isinstance(expr, cst.Name) or depth > DEPTH:
        return None
    found = reaching_unpacked(src, expr)
    if found is None or found[1]:
        return None
    value, _, between = found
    if isinstance(value, cst.List) and not all(only_looks(src, line, expr.value) for line in between):
        return None
    return value


def _product(numbers: list[cst.BaseExpression]) -> cst.BaseExpression:
    product = numbers[0]
    for number in numbers[1:]:
        product = cst.BinaryOperation(left=product, operator=cst.Multiply(), right=number)
    return product
