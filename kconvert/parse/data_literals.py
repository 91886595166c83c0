"""Arrays whose shape the file writes in numbers: ``np.zeros((1000, 20))``,
``np.random.rand(1000, 20)``, ``x.reshape(-1, 784)``, ``np.array([[1., 2.], [3., 4.]])``,
``np.arange(-100, 100, 4)``.  The axes come back as written (``28 * 28`` too), the first None when
it is not a whole number, every other a positive whole number or no answer (parse/data_shapes.py
follows the data through names and steps).
"""

from __future__ import annotations

import libcst as cst

Axes = list  # [first axis or None, whole-number axis, ...] as code text

# Functions that make an array of the shape given by their first argument (or ``shape=`` / ``size=``).
SHAPED = frozenset(
    {"zeros", "ones", "empty", "full", "random", "random_sample", "normal", "uniform", "randint", "standard_normal"}
)
# Functions that take the dimensions one by one: ``np.random.rand(1000, 20)``.
DIMENSIONS = frozenset({"rand", "randn"})
ARRAY_MODULES = frozenset({"np", "numpy", "tf", "keras", "ops"})
# numpy's ``normal(loc, scale, size)``, ``uniform(low, high, size)``, ``randint(low, high, size)``;
# TensorFlow's and Keras's take the shape first.
NUMPY = frozenset({"np", "numpy"})


def made_axes(func: cst.Attribute, positional, keyword) -> Axes | None:
    """The axes of ``np.zeros((n, 20))``, ``tf.random.uniform(shape=(8, 4))``, ``np.random.rand(1000, 20)``."""
    if not from_module(func):
        return None
    name = func.attr.value
    if name in DIMENSIONS:
        return written_axes(positional) if not keyword else None
    if name in SHAPED:
        shape = keyword.get("shape", keyword.get("size"))
        at = 2 if name in ("normal", "uniform", "randint") and _root(func) in NUMPY else 0
        if shape is None and len(positional) > at:
            shape = positional[at]
        if isinstance(shape, (cst.Tuple, cst.List)):
            return written_axes([element.value for element in shape.elements])
    return None


def reshaped(func: cst.Attribute, positional, keyword) -> Axes | None:
    """``np.reshape(x, (-1, 784))``, ``x.reshape((60000, 784))``, ``x.reshape(-1, 28, 28, 1)``."""
    if from_module(func) and len(positional) == 2:
        shape = positional[1]
    elif not from_module(func) and len(positional) == 1 and isinstance(positional[0], (cst.Tuple, cst.List)):
        shape = positional[0]
    elif not from_module(func) and len(positional) > 1:
        return written_axes(positional)
    else:
        shape = keyword.get("shape") if from_module(func) and len(positional) == 1 else None
    if not isinstance(shape, (cst.Tuple, cst.List)):
        return None
    return written_axes([element.value for element in shape.elements])


def literal_axes(expr: cst.BaseExpression) -> Axes | None:
    """``[]`` for a number, ``["2", "3"]`` for two lists of three numbers; None when ragged."""
    if numeric(expr):
        return []
    if not isinstance(expr, (cst.List, cst.Tuple)) or not expr.elements:
        return None
    if any(isinstance(element, cst.StarredElement) for element in expr.elements):
        return None
    inner = [literal_axes(element.value) for element in expr.elements]
    if inner[0] is None or any(axes != inner[0] for axes in inner):
        return None
    return [str(len(inner)), *inner[0]]


def range_length(name: str, positional, keyword) -> str | None | bool:
    """The length of ``np.arange(-100, 100, 4)`` / ``tf.range(10)`` (None unless all whole numbers),
    or of ``np.linspace(0, 1, 50)``; False when it is not a call of literal numbers."""
    if set(keyword) - ({"num", "endpoint", "dtype"} if name == "linspace" else {"dtype"}):
        return False
    if not all(numeric(value) for value in positional):
        return False
    if name == "linspace":
        if len(positional) == 3 and "num" not in keyword:
            count = integer(positional[2])
        elif len(positional) == 2:
            count = integer(keyword["num"]) if "num" in keyword else 50  # numpy's default
        else:
            return False
        return str(count) if count is not None and count > 0 else False
    if not 1 <= len(positional) <= 3:
        return False
    ends = [integer(value) for value in positional]
    if None in ends or len(ends) == 3 and ends[2] == 0:
        return None
    size = len(range(*ends))
    return str(size) if size > 0 else False


def from_module(func: cst.Attribute) -> bool:
    """Whether ``func`` is a function of numpy or TensorFlow (``np.random.rand``), not a method."""
    return _root(func) in ARRAY_MODULES


def _root(func: cst.Attribute) -> str | None:
    root = func.value
    while isinstance(root, cst.Attribute):
        root = root.value
    return root.value if isinstance(root, cst.Name) else None


def written_axes(values: list[cst.BaseExpression]) -> Axes | None:
    """The first axis (None unless a whole number) and the others, which must all be."""
    dims = whole_dims(values[1:])
    if dims is None:
        return None
    return [cst.Module([]).code_for_node(values[0]) if _whole(values[0]) else None, *dims]


def whole_dims(values: list[cst.BaseExpression]) -> list[str] | None:
    """The dimensions as written, when each is a positive whole number (``784``, ``28 * 28``)."""
    if not values or not all(_whole(value) for value in values):
        return None
    return [cst.Module([]).code_for_node(value) for value in values]


def _whole(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Integer):
        return int(expr.value, 0) > 0
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Multiply, cst.Add)):
        return _whole(expr.left) and _whole(expr.right)
    return False


def integer(expr: cst.BaseExpression | None) -> int | None:
    if isinstance(expr, cst.Integer):
        return int(expr.value, 0)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = integer(expr.expression)
        return None if inner is None else -inner
    return None


def number(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.Integer, cst.Float))


def numeric(expr: cst.BaseExpression) -> bool:
    """``4``, ``2.5``, ``-7.0``: a number the file writes."""
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        return number(expr.expression)
    return number(expr)
