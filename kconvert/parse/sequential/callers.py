"""A builder function's shapeless Sequential, given its shape by the builder's callers.

``def create_model(): return keras.Sequential([...])`` gives no input shape; every caller of the
file does, ``model = create_model()`` then ``model.compile(...)`` and ``model.build((None, 13))``
or ``model.fit(x, ...)`` on data of a written shape (parse/sequential/fitted.py).  When every use of
the function's name is such a call and all give the same shape, that is the shape the model is
always built with, and the builder makes its ``keras.Input``.  A use of the name that is not such a
call (a callback ``build_fn=create_model``, a call another file may make cannot be seen) is no answer.
"""

from __future__ import annotations

import libcst as cst

from ...ir.source_text import Arg
from ..module_index import functions
from ..names_in import identifiers, name_nodes
from ..source import SourceFile
from .fitted import fitted_shape, method_line


def callers_shape(src: SourceFile, site_block: cst.CSTNode, scope: str | None, rest, target: str | None):
    """The ``keras.Input`` arguments every caller of the module-level function ``scope`` builds the
    model it returns with; ``rest`` are the statements after the model in the function, which must
    return it (``return model``) when it is bound to ``target``."""
    builder = functions(src.module).get(scope) if scope is not None else None
    if builder is None or builder.body is not site_block or target is not None and not returns(rest, target):
        return None
    shapes: set[tuple[Arg, ...]] = set()
    for name in name_nodes(src.module):
        if name.value != scope or src.parent(name) is builder:
            continue
        shape = _call_site_shape(src, name)
        if shape is None:
            return None
        shapes.add(shape)
    return shapes.pop() if len(shapes) == 1 else None


def returns(rest, target: str) -> bool:
    """Whether the first statement after the model that mentions ``target``, but for
    ``target.compile(...)`` (which does not build it), is ``return target``."""
    for statement in rest:
        if target not in identifiers(statement) or method_line(statement, target, "compile") is not None:
            continue
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        return isinstance(small, cst.Return) and isinstance(small.value, cst.Name) and small.value.value == target
    return False


def _call_site_shape(src: SourceFile, name: cst.Name) -> tuple[Arg, ...] | None:
    call = src.parent(name)
    assign = src.parent(call) if isinstance(call, cst.Call) and call.func is name else None
    if not isinstance(assign, cst.Assign) or assign.value is not call or len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    line = src.parent(assign)
    block = src.parent(line)
    if not isinstance(target, cst.Name) or len(line.body) != 1 or not isinstance(block, (cst.Module, cst.IndentedBlock)):
        return None
    body = list(block.body)
    return fitted_shape(src, body, body.index(line) + 1, target.value)
