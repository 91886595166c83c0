"""A Sequential with no input shape that is first used by ``model.fit(x, ...)`` on data whose shape
the file writes as numbers, or by ``model.build((None, 13))`` after ``compile``.

Keras builds such a model on the first batch ``fit`` gives it, as ``(None, *x.shape[1:])``: the
batch axis stays free.  kconvert reads ``x.shape[1:]`` only where the file spells it out:
``np.random.random((1000, 20))``, ``np.zeros((n, 20))``, ``tf.random.uniform(shape=(8, 4))``,
``np.random.rand(1000, 20)``, ``x.reshape(-1, 784)`` / ``reshape(60000, 28, 28, 1)`` /
``np.reshape(x, (-1, 784))``, through ``.astype(...)``, arithmetic with a number and slicing of the
first axis, or a name the fit line sees bound to one of those (parse/reaching.py) and not touched
since.  Every axis but the first must be a whole number (``28 * 28`` is kept as written).  Between
the model and the fit only ``model.compile(...)`` may use the model, and no function of the file
that reads its name may be called: an earlier call would build it first, on other data.
"""

from __future__ import annotations

import libcst as cst

from ...ir.source_text import Arg, Code
from ..module_index import functions
from ..names_in import calls_in, identifiers
from ..reaching import reaching
from ..source import SourceFile

# Functions that make an array of the shape given by their first argument (or ``shape=`` / ``size=``).
SHAPED = frozenset(
    {"zeros", "ones", "empty", "full", "random", "random_sample", "normal", "uniform", "randint", "standard_normal"}
)
# Functions that take the dimensions one by one: ``np.random.rand(1000, 20)``.
DIMENSIONS = frozenset({"rand", "randn"})
ARRAY_MODULES = frozenset({"np", "numpy", "tf"})


def fitted_shape(src: SourceFile, statements, start: int, target: str) -> tuple[Arg, ...] | None:
    """``shape=(784,)`` for the ``keras.Input`` when the first use of ``target`` from
    ``statements[start]`` on is ``target.fit(x, ...)`` on data of a written shape, or
    ``target.build((None, 784))`` with every axis but the first a whole number, else None."""
    for index in range(start, len(statements)):
        statement = statements[index]
        if target not in identifiers(statement):
            if _calls_user_of(src, statement, target):
                return None
            continue
        if _method_line(statement, target, "compile") is not None:
            continue
        fit = _method_line(statement, target, "fit")
        build = _method_line(statement, target, "build")
        if fit is not None:
            data = _fit_data(fit)
            dims = _sample_dims(src, data, 0) if data is not None else None
        else:
            dims = _built_dims(build) if build is not None else None
        if not dims:
            return None
        return (Arg(Code(f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"), "shape"),)
    return None


def _built_dims(call: cst.Call) -> list[str] | None:
    """The axes after the batch of ``build((None, 13))`` / ``build(input_shape=[None, 13])``."""
    if len(call.args) != 1 or call.args[0].star:
        return None
    keyword = call.args[0].keyword
    if keyword is not None and keyword.value != "input_shape":
        return None
    shape = call.args[0].value
    if not isinstance(shape, (cst.Tuple, cst.List)) or len(shape.elements) < 2:
        return None
    return _dims([element.value for element in shape.elements][1:])


def _calls_user_of(src: SourceFile, statement: cst.BaseStatement, target: str) -> bool:
    """Whether ``statement`` calls a function of the file that mentions ``target`` (it may use the model)."""
    defined = functions(src.module)
    for call in calls_in(statement):
        func = defined.get(call.func.value) if isinstance(call.func, cst.Name) else None
        if func is not None and target in identifiers(func):
            return True
    return False


def _method_line(statement: cst.BaseStatement, target: str, method: str) -> cst.Call | None:
    """The call of ``target.method(...)`` when that is the whole line (``history = model.fit(...)`` too)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute):
        return None
    owner = value.func.value
    if not (isinstance(owner, cst.Name) and owner.value == target and value.func.attr.value == method):
        return None
    return None if any(target in identifiers(arg) for arg in value.args) else value


def _fit_data(call: cst.Call) -> cst.BaseExpression | None:
    for position, arg in enumerate(call.args):
        if arg.star:
            return None
        if arg.keyword is None and position == 0 or arg.keyword is not None and arg.keyword.value == "x":
            return arg.value
    return None


def _sample_dims(src: SourceFile, expr: cst.BaseExpression, depth: int) -> list[str] | None:
    """The written dimensions of one sample of the array ``expr`` (all axes but the first)."""
    if depth > 8:
        return None
    if isinstance(expr, cst.Name):
        found = reaching(src, expr)
        if found is None or any(expr.value in identifiers(statement) for statement in found[1]):
            return None
        return _sample_dims(src, found[0], depth + 1)
    if isinstance(expr, cst.BinaryOperation):
        # ``x / 255``, ``x * 2. - 1.``: a number keeps the array's shape.
        if _number(expr.right):
            return _sample_dims(src, expr.left, depth + 1)
        if _number(expr.left):
            return _sample_dims(src, expr.right, depth + 1)
        return None
    if isinstance(expr, cst.Subscript):
        # ``x[:1000]``: a slice of the first axis only.
        if len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Slice):
            return _sample_dims(src, expr.value, depth + 1)
        return None
    if isinstance(expr, cst.Call):
        return _call_dims(src, expr, depth)
    return None


def _call_dims(src: SourceFile, call: cst.Call, depth: int) -> list[str] | None:
    func = call.func
    if not isinstance(func, cst.Attribute) or any(arg.star for arg in call.args):
        return None
    name = func.attr.value
    positional = [arg.value for arg in call.args if arg.keyword is None]
    keyword = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    if name == "astype":
        return _sample_dims(src, func.value, depth + 1)
    if name == "reshape":
        if _from_module(func) and len(positional) == 2:
            shape = positional[1]  # np.reshape(x, (-1, 784)), tf.reshape(x, [-1, 28, 28, 1])
        elif not _from_module(func) and len(positional) == 1 and isinstance(positional[0], (cst.Tuple, cst.List)):
            shape = positional[0]  # x.reshape((60000, 784))
        elif not _from_module(func) and len(positional) > 1:
            return _dims(positional[1:])  # x.reshape(-1, 28, 28, 1)
        else:
            shape = keyword.get("shape") if _from_module(func) and len(positional) == 1 else None
        if not isinstance(shape, (cst.Tuple, cst.List)):
            return None
        return _dims([element.value for element in shape.elements][1:])
    if not _from_module(func):
        return None
    if name in DIMENSIONS:
        return _dims(positional[1:]) if len(positional) > 1 and not keyword else None
    if name in SHAPED:
        shape = keyword.get("shape", keyword.get("size"))
        # numpy's ``normal(loc, scale, size)``, ``uniform(low, high, size)``, ``randint(low, high, size)``.
        at = 2 if name in ("normal", "uniform", "randint") and _root(func) != "tf" else 0
        if shape is None and len(positional) > at:
            shape = positional[at]
        if isinstance(shape, (cst.Tuple, cst.List)) and len(shape.elements) > 1:
            return _dims([element.value for element in shape.elements][1:])
    return None


def _from_module(func: cst.Attribute) -> bool:
    """Whether ``func`` is a function of numpy or TensorFlow (``np.random.rand``), not a method."""
    return _root(func) in ARRAY_MODULES


def _root(func: cst.Attribute) -> str | None:
    root = func.value
    while isinstance(root, cst.Attribute):
        root = root.value
    return root.value if isinstance(root, cst.Name) else None


def _dims(values: list[cst.BaseExpression]) -> list[str] | None:
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


def _number(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.Integer, cst.Float))
