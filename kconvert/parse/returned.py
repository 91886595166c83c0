"""What a call of one of the file's own functions gives back, read without running it.

``x_train = vectorize_sequences(train_data)``, where the file writes
``def vectorize_sequences(...)``, ``results = np.zeros(...)``, fills it in a loop and
``return results``: the caller holds what the function returns.  That is known only when every
way out of the function is a ``return`` with a value the reader can follow: the name is the one
module-level ``def`` of that name (not ``async``, no decorator, nothing else binding it), the
function does not ``yield``, its last statement returns (it cannot end without a value, None), and a returned
name is bound exactly once in the function, by a plain assignment at its top level, so that
whatever runs between (a loop filling ``results[i, j] = 1.``) cannot bind it again.
"""

from __future__ import annotations

import libcst as cst

from .binds_anywhere import Bindings
from .module_index import functions
from .names_in import bound_names
from .reaching import declared_elsewhere
from .walk import walk


def own_function(src, func: cst.Name) -> cst.FunctionDef | None:
    """The ``def`` a call of ``func`` runs: the one module-level ``def`` of that name, with no
    decorator, and nothing else in the file binding the name."""
    definition = functions(src.module).get(func.value)
    if definition is None or definition.decorators or not isinstance(definition.body, cst.IndentedBlock):
        return None
    if sum(func.value in bound_names(statement) for statement in src.module.body) != 1:
        return None
    if declared_elsewhere(src, func.value) or src.qualified(func) - {func.value}:
        return None
    return definition


def returned_values(src, func: cst.Name) -> list[cst.BaseExpression] | None:
    """The expressions the file's own function ``func`` may return (a returned name as the value
    it was assigned), or None when one of them is not certain."""
    definition = own_function(src, func)
    if definition is None or definition.asynchronous is not None:
        return None
    body = list(definition.body.body)
    last = body[-1] if body else None
    if not (isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return)):
        return None
    exits = _Exits()
    walk(definition.params, exits)
    walk(definition.body, exits)
    if exits.yields or not exits.returns or any(value is None for value in exits.returns):
        return None
    values = []
    for value in exits.returns:
        if isinstance(value, cst.Name):
            value = _only_assignment(body, value.value, exits.bound)
            if value is None:
                return None
        values.append(value)
    return values


def _only_assignment(body, name: str, bound: list[str]) -> cst.BaseExpression | None:
    """The value of ``name = value``, a top-level line of the function, when nothing else in the
    function (parameters, loops, ``with ... as``, nested functions) binds ``name``."""
    if bound.count(name) != 1:
        return None
    for statement in body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.targets[0].target.value == name
        ):
            return small.value
    return None


class _Exits(Bindings):
    """The ``return`` values of one function (not of functions or lambdas inside it), whether it
    yields, and (parse/binds_anywhere.py) every name bound anywhere in it."""

    def __init__(self) -> None:
        super().__init__()
        self.returns: list[cst.BaseExpression | None] = []
        self.yields = False

    def visit_Return(self, node: cst.Return) -> None:
        self.returns.append(node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        self.yields = True
