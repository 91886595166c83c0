"""``if dataset is not None:`` around the lines of ``__init__`` that learn layer state from data.

A class whose ``from_config`` makes it with ``config["dataset"] = None`` learns its layers' state
from ``dataset`` only when the code that builds the model gives it (ir/learned_params.py: the
state is saved with the weights, the data is not). The model that code builds runs those lines:
read under such a guard, they are ``__init__``'s own.
"""

from __future__ import annotations

import libcst as cst

from ..names_in import suite_lines


def learning_guard(cls: cst.ClassDef, statement: cst.BaseStatement, params: set[str]) -> list[cst.BaseStatement] | None:
    """The lines under ``if <param> is not None:`` (no ``else``) when the class's ``from_config``
    gives that parameter ``None``, else None."""
    if not isinstance(statement, cst.If) or statement.orelse is not None:
        return None
    names = _tested(statement.test)
    if not names or not names <= params or not names <= _none_from_config(cls):
        return None
    return suite_lines(statement.body)


def _tested(test: cst.BaseExpression) -> set[str]:
    """``{"a", "b"}`` of ``a is not None and b is not None``; empty for any other test."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        left, right = _tested(test.left), _tested(test.right)
        return left | right if left and right else set()
    if (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.IsNot)
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    ):
        return {test.left.value}
    return set()


def _none_from_config(cls: cst.ClassDef) -> set[str]:
    """The keys ``from_config`` sets to ``None`` (``config["dataset"] = None``)."""
    found: set[str] = set()
    for item in cls.body.body:
        if not (isinstance(item, cst.FunctionDef) and item.name.value == "from_config"):
            continue
        for line in suite_lines(item.body):
            small = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                continue
            target, value = small.targets[0].target, small.value
            if (
                isinstance(value, cst.Name)
                and value.value == "None"
                and isinstance(target, cst.Subscript)
                and len(target.slice) == 1
                and isinstance(target.slice[0].slice, cst.Index)
                and isinstance(target.slice[0].slice.value, cst.SimpleString)
            ):
                key = target.slice[0].slice.value.evaluated_value
                if isinstance(key, str):
                    found.add(key)
    return found
