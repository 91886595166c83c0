"""A Sequential with no input shape that is first used by ``model.fit(x, ...)`` (or ``evaluate``) or
called, ``y = model(x)`` or ``print(model(x))``, on data whose shape the file writes as numbers, or
by ``model.build((None, 13))`` after ``compile``.

``fit`` builds such a model as ``(None, *x.shape[1:])``, the batch axis free; a call builds it,
as ``build`` does, on the array's whole shape, batch axis and all (``batch_shape=(1, 8)``), so
that axis must be written too.  kconvert reads ``x.shape[1:]`` only where the file spells it out
(parse/data_shapes.py: ``np.random.random((1000, 20))``, ``mnist.load_data()`` then
``x.reshape(-1, 784)``, ...).  Every axis but the first must be a whole number (``28 * 28`` is
kept as written).  Else, when the data is a name of an array the model's own block binds before
the model (parse/data_arrays.py: ``X_train`` from ``df.values``, ``train_test_split``, ...), the
Input reads its shape where the model is made, ``shape=X_train.shape[1:]``; a model made in a
builder function (``made_at`` None) cannot, its callers' data is not in its scope.  Between
the model and the fit only ``model.compile(...)`` may use the model, and no function of the file
that reads its name may be called: an earlier call would build it first, on other data.
"""

from __future__ import annotations

import libcst as cst

from ...ir.source_text import Arg, Code
from ..data_literals import whole_dims
from ..data_arrays import named_shape
from ..built_shapes import built_shape
from ..data_shapes import array_axes, fitted_data
from ..module_index import functions
from ..names_in import calls_in, identifiers, name_nodes
from ..shape_constants import whole_number
from ..source import SourceFile
from ..walk import walk


def fitted_shape(
    src: SourceFile, statements, start: int, target: str, made_at: int | None = None
) -> tuple[Arg, ...] | None:
    """``shape=(784,)`` for the ``keras.Input`` when the first use of ``target`` from
    ``statements[start]`` on is ``target.fit(x, ...)`` on data of a written shape (``batch_shape=``
    for ``target(x)``), or
    ``target.build((None, 784))`` with every axis but the first a whole number; or
    ``shape=x.shape[1:]`` for an array ``x`` that ``statements[made_at]``, where the model is made,
    can read; else None."""
    for index in range(start, len(statements)):
        statement = statements[index]
        if target not in identifiers(statement):
            if _calls_user_of(src, statement, target):
                return None
            continue
        if method_line(statement, target, "compile") is not None:
            continue
        # ``evaluate`` builds the model as ``fit`` does (batch axis free); ``predict`` builds it on
        # its first batch, whose size Keras fixes in the Input (``batch_shape=(1, 7)`` for one row).
        fit = method_line(statement, target, "fit") or method_line(statement, target, "evaluate")
        build = method_line(statement, target, "build")
        called = _called_on(statement, target)
        if called is not None:
            # A call builds the model on that very array, batch axis and all, as build() would.
            axes = array_axes(src, called)
            if not axes or axes[0] is None:
                return _named(src, called, statements, made_at, index, batch=True)
            return (Arg(Code(_tuple(axes)), "batch_shape"),)
        data = fitted_data(fit) if fit is not None else None
        if data is not None:
            axes = array_axes(src, data)
            dims = axes[1:] if axes else None
            if not dims:
                return _named(src, data, statements, made_at, index, batch=False)
        else:
            dims = _built_dims(src, build) if build is not None else None
        if not dims:
            return None
        return (Arg(Code(_tuple(dims)), "shape"),)
    return None


def _named(src: SourceFile, data, statements, made_at: int | None, index: int, batch: bool):
    """``shape=x.shape[1:]`` (``batch_shape=x.shape``) when the model's line can read the array ``x``."""
    text = None if made_at is None else named_shape(src, data, statements, made_at, index, batch, rows=not batch)
    return None if text is None else (Arg(Code(text), "batch_shape" if batch else "shape"),)


def _built_dims(src: SourceFile, call: cst.Call) -> list[str] | None:
    """The axes after the batch of ``build((None, 13))`` / ``build(input_shape=[None, 13])`` /
    ``build(tf.TensorShape((None, *shape)))``."""
    if len(call.args) != 1 or call.args[0].star:
        return None
    keyword = call.args[0].keyword
    if keyword is not None and keyword.value != "input_shape":
        return None
    shape = built_shape(src, call.args[0].value)
    if shape is None or len(shape) < 2:
        return None
    # ``build((None, z_size))`` with ``z_size = 20``: written as the number (parse/shape_constants.py).
    dims = [whole_number(src, axis) for axis in shape[1:]]
    return None if None in dims else whole_dims(dims)


def _calls_user_of(src: SourceFile, statement: cst.BaseStatement, target: str) -> bool:
    """Whether ``statement`` calls a function of the file that mentions ``target`` (it may use the model)."""
    defined = functions(src.module)
    for call in calls_in(statement):
        func = defined.get(call.func.value) if isinstance(call.func, cst.Name) else None
        if func is not None and target in identifiers(func):
            return True
    return False


def method_line(statement: cst.BaseStatement, target: str, method: str) -> cst.Call | None:
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


def _called_on(statement: cst.BaseStatement, target: str) -> cst.BaseExpression | None:
    """``x`` when the line calls ``target(x)`` (``training=`` aside) and mentions ``target`` nowhere
    else: ``y = target(x)``, and a call inside another expression, ``print(target(x))`` or
    ``target(x).shape``, which builds the model as the bare call does (the line's other uses run
    after it, on a built model)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    mentions = [name for name in name_nodes(statement) if name.value == target]
    calls = [call for call in calls_in(statement) if isinstance(call.func, cst.Name) and call.func.value == target]
    if len(mentions) != 1 or len(calls) != 1 or _in_scope_of_its_own(statement, calls[0]):
        return None
    call = calls[0]
    first, *rest = call.args or (None,)
    if first is None or first.star or first.keyword is not None:
        return None
    if any(arg.star or arg.keyword is None or arg.keyword.value != "training" for arg in rest):
        return None
    return first.value


def _in_scope_of_its_own(statement: cst.BaseStatement, call: cst.Call) -> bool:
    """Whether ``call`` stands in a lambda or a comprehension of ``statement``, whose names (the
    ``x`` of ``[model(x) for x in batches]``) are not the ones the line before binds."""
    scopes = (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
    found = []

    class Visitor(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, scopes):
                found.append(any(inner is call for inner in calls_in(node)))
                return False
            return True

    walk(statement, Visitor())
    return any(found)


def _tuple(values: list[str]) -> str:
    return f"({values[0]},)" if len(values) == 1 else f"({', '.join(values)})"
