"""``self.<attr>`` in a subclass's call() read as what ``__init__`` assigned to it: the
constructor's value (``self.units`` is ``units``), which graph code reads by that name."""

from __future__ import annotations

import libcst as cst

from ..names_in import identifiers
from .constructor import Init, self_attribute


class SelfValues(cst.CSTTransformer):
    """``self.units`` → what ``__init__`` assigned (``units``), if it is not a layer or a list."""

    def __init__(self, init: Init, taken: frozenset[str]) -> None:
        """``taken``: the names call() has bound where the expression runs, which a value must not read."""
        self.init = init
        self.taken = taken
        self.captured: tuple[str, str] | None = None

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        attr = self_attribute(original)
        value = self.init.attrs.get(attr) if attr is not None else None
        if not read_by_value(value):
            return updated
        clash = sorted(identifiers(value) & self.taken)
        if clash:
            self.captured = self.captured or (attr, clash[0])
            return updated
        # A primary (``args.z_dim``, ``cfg["units"]``) binds tighter than anything around it: written
        # bare, as a person writes it; anything else (``units * 2``) keeps its meaning in parentheses.
        if isinstance(value, (cst.Name, cst.Integer, cst.Float, cst.SimpleString, cst.Attribute, cst.Subscript, cst.Call)):
            return value.with_changes(lpar=(), rpar=())
        return value.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))


def read_by_value(value: cst.BaseExpression | None) -> bool:
    """Whether ``self.<attr>`` of ``self.<attr> = value`` is read as ``value``: a constructor
    value, not a layer (or a list of them), which stays the graph's object."""
    return value is not None and not isinstance(value, cst.List) and not (isinstance(value, cst.Call) and not _computed(value))


# Builtins whose call computes a value of its arguments, made again where it is read: not a layer.
_VALUE_BUILTINS = frozenset({"len", "int", "float", "round", "min", "max", "abs", "sum", "tuple", "bool", "str"})


def _computed(value: cst.Call) -> bool:
    """``len(style_layers)``: a number of the constructor's values, not an object it makes."""
    return isinstance(value.func, cst.Name) and value.func.value in _VALUE_BUILTINS
