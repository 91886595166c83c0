"""A Sequential's first layer made apart under a name the file binds again (a notebook's
``norm_layer = Normalization(input_shape=X_train.shape[1:])`` before each model): the binding the
model's line sees gives the model's input shape, as Keras reads it from the layer object.
"""

from __future__ import annotations

import libcst as cst

from ..reaching import reaching
from ..source import SourceFile

# Layers that make tensors while they are built (emit/subclass/build.py's BUILT_ON_DATA).
MADE_ON_DATA = frozenset({"Normalization", "Discretization"})


def rebound_layer(src: SourceFile, expr: cst.BaseExpression) -> cst.Call | None:
    """The call of the binding of a name bound again that the model's line sees (parse/reaching.py).

    The class styles read that name in ``__init__``, where every binding reaches, so they cannot
    tell the layer's class and build the model with a call on ``keras.Input``: a ``Normalization``
    not adapted by then would make its tensors inside that trace, and fail on the first real call.
    So such a layer gives the shape only when it is adapted before the model.
    """
    found = reaching(src, expr)
    if found is None:
        return None
    call, between = found
    if not isinstance(call, cst.Call):
        return None
    keras = src.keras(call.func)
    if keras is not None and keras.last in MADE_ON_DATA and not any(_adapts(s, expr.value) for s in between):
        return None
    return call


def _adapts(statement: cst.BaseStatement, name: str) -> bool:
    """Whether ``statement`` is ``name.adapt(...)``."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    call = small.value if isinstance(small, cst.Expr) else None
    func = call.func if isinstance(call, cst.Call) else None
    return (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == name
        and func.attr.value == "adapt"
    )
