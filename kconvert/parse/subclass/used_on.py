"""What a subclass's instance is built or called on after it is made: ``m.build((None, 20))``,
``m(x)``, ``m.fit(x)`` on a ``keras.Input``, data of a literal shape or an array the file makes
(parse/data_shapes.py), the first of those before ``m`` is bound again.  A later function or class
with an ``m`` of its own is not the instance's use.
"""

from __future__ import annotations

import libcst as cst

from ...ir.source_text import Arg, Code
from ..binds_anywhere import bound_anywhere
from ..builder import GraphBuilder
from ..data_arrays import named_shape
from ..data_literals import SHAPED
from ..built_shapes import built_shape
from ..data_shapes import array_axes, fitted_data
from ..keras_names import INPUT
from ..model_call import input_statement
from ..names_in import bound_names, calls_in
from ..source import SourceFile

# The model methods whose first argument is the data the model is built on.
DATA_USES = frozenset({"fit", "predict", "evaluate"})


def dim_text(dim: int | None) -> str:
    return "None" if dim is None else str(dim)


def tuple_text(parts: list[str]) -> str:
    return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"


def later_shapes(src: SourceFile, target: str, following: list[cst.BaseStatement], index: int, reach: bool):
    """Shapes from ``target.build(...)``, ``target(x)`` or ``target.fit(x)`` / ``predict`` /
    ``evaluate`` after ``target = Cls()``, the first of those, before it is rebound."""
    made_at = index if reach else None
    for later in following[index + 1 :]:
        if isinstance(later, (cst.FunctionDef, cst.ClassDef)) and _own_name(later, target):
            # Its ``model`` is a name of its own (``def other(): model = ...; model(x)``); one that
            # reads the global (``def predict(x): return model(x)``) is the same model.
            continue
        for call in calls_in(later):
            func = call.func
            if not call.args:
                continue
            if isinstance(func, cst.Attribute) and src.code(func.value) == target:
                if func.attr.value == "build":
                    return build_shapes(src, call.args[0].value)
                if func.attr.value in DATA_USES:
                    data = fitted_data(call)
                    # Rows taken after the model keep its sample shape for fit / evaluate, which
                    # build on that (a Sequential reads them so too: parse/data_arrays.py).
                    rows = func.attr.value in ("fit", "evaluate")
                    return None if data is None else data_shapes(src, data, following, following.index(later), made_at, rows)
            elif src.code(func) == target:
                return data_shapes(src, call.args[0].value, following, following.index(later), made_at)
        if target in bound_names(later) or _assigns(later, target):
            return None
    return None


def _own_name(definition: cst.FunctionDef | cst.ClassDef, target: str) -> bool:
    """Whether the body of ``definition`` has a ``target`` of its own: a parameter, or a name it
    binds (any binding, ``global`` too, counts: it errs towards "not the module's")."""
    params = definition.params if isinstance(definition, cst.FunctionDef) else None
    own = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)} if params else set()
    if params is not None:
        own |= {star.name.value for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)}
    body = definition.body.body if isinstance(definition.body, cst.IndentedBlock) else ()
    return target in own or any(target in bound_anywhere(statement) for statement in body)


def _assigns(statement: cst.BaseStatement, target: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    return any(
        isinstance(small, cst.Assign) and any(cst.Module([]).code_for_node(t.target) == target for t in small.targets)
        for small in statement.body
    )


def build_shapes(src: SourceFile, expr: cst.BaseExpression):
    """``(None, 32, 32, 3)`` (or ``tf.TensorShape(...)`` of it) → shape ``(32, 32, 3)``; a list of
    such tuples, one per input."""
    if isinstance(expr, (cst.Tuple, cst.List)) and expr.elements and all(
        isinstance(element.value, (cst.Tuple, cst.List)) for element in expr.elements
    ):
        shapes = [build_shapes(src, element.value) for element in expr.elements]
        return None if None in shapes else [shape[0] for shape in shapes]
    axes = built_shape(src, expr)
    return [_shape_without_batch(axes)] if axes else None


def _shape_without_batch(axes: list[cst.BaseExpression]) -> tuple[Arg, ...]:
    parts = [cst.Module([]).code_for_node(axis) for axis in axes[1:]]
    return (Arg(Code(tuple_text(parts) if parts else "()"), "shape"),)


def data_shapes(
    src: SourceFile, expr: cst.BaseExpression, statements, used_at: int, made_at: int | None, rows: bool = False
):
    """Input arguments for what the model is called on at ``statements[used_at]``: Inputs, arrays
    made with a literal shape, or an array the line ``statements[made_at]`` that makes the model
    can read (parse/data_arrays.py)."""
    before = statements[:used_at]
    if isinstance(expr, (cst.List, cst.Tuple)):
        shapes = [data_shapes(src, element.value, statements, used_at, made_at, rows) for element in expr.elements]
        return None if None in shapes or not shapes else [shape[0] for shape in shapes]
    if isinstance(expr, cst.Dict):
        keyed = {}
        for element in expr.elements:
            if not (isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)):
                return None
            keyed[element.key.evaluated_value] = data_shapes(src, element.value, statements, used_at, None)
        return None if None in keyed.values() else [keyed[key][0] for key in sorted(keyed)]
    if isinstance(expr, cst.Name):
        for statement in reversed(before):
            if expr.value in input_statement(src, statement):
                call = statement.body[0].value
                return [GraphBuilder(src).args(call)]
            if expr.value in bound_names(statement):
                break
    if isinstance(expr, cst.Call):
        keras = src.keras(expr.func)
        if keras is not None and keras.path in INPUT:
            return [GraphBuilder(src).args(expr)]
        # tf.zeros((1, latent_dim)), np.random.random(size=...): the first axis is the batch, the
        # others as written, names too.
        first = expr.args[0] if expr.args else None
        if (
            isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value in SHAPED
            and first is not None
            and (first.keyword is None or first.keyword.value in ("shape", "size"))
            and isinstance(first.value, (cst.Tuple, cst.List))
            and len(first.value.elements) > 1
        ):
            return [_shape_without_batch([element.value for element in first.value.elements])]
    # Data the file makes or loads: ``mnist.load_data()``, ``x.reshape(-1, 784)``, ...
    axes = array_axes(src, expr)
    if axes is None or len(axes) < 2:
        named = None if made_at is None else named_shape(src, expr, statements, made_at, used_at, False, rows)
        return None if named is None else [(Arg(Code(named), "shape"),)]
    return [(Arg(Code(tuple_text(axes[1:])), "shape"),)]
