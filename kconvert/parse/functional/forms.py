"""Syntax forms the Functional lifter reads: the names a model calls, ``x += y``,
unpacking targets and an early ``return``."""

from __future__ import annotations

import libcst as cst

from ..names_in import calls_in


def local_callees(statements) -> set[str]:
    """The plain names the statements call: the layers (and helpers) a Functional model may use."""
    calls = [node for statement in statements for node in calls_in(statement)]
    # ``DefaultConv(64)(x)``: ``DefaultConv`` makes layers (a ``functools.partial``), it is not one.
    factories = {
        node.func.func.value
        for node in calls
        if isinstance(node.func, cst.Call) and isinstance(node.func.func, cst.Name)
    }
    return {node.func.value for node in calls if isinstance(node.func, cst.Name)} - factories



def spelled_out(small: cst.AugAssign) -> cst.BinaryOperation:
    """``x += y`` as ``x + y``, built from the statement's own nodes so nested calls keep their lines."""
    operator = getattr(cst, type(small.operator).__name__.removesuffix("Assign"))()
    right = small.value
    compound = (cst.BinaryOperation, cst.BooleanOperation, cst.Comparison, cst.IfExp, cst.Lambda)
    if isinstance(right, compound) and not right.lpar:
        right = right.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))
    return cst.BinaryOperation(small.target, operator, right)



def unpacked_names(target: cst.BaseExpression) -> list[str] | None:
    """``["seq", "h", "c"]`` for the target ``seq, h, c`` (or ``[seq, h, c]``), else None."""
    if not isinstance(target, (cst.Tuple, cst.List)):
        return None
    names = [element.value for element in target.elements]
    if not names or not all(isinstance(name, cst.Name) for name in names) or any(
        isinstance(element, cst.StarredElement) for element in target.elements
    ):
        return None
    return [name.value for name in names]


def early_return(statement: cst.BaseStatement) -> cst.Return | None:
    """A ``return`` among the model's statements (in a branch too): it leaves the builder
    before the model's own statement, which no style can write where it stood."""
    if isinstance(statement, cst.SimpleStatementLine):
        return next((small for small in statement.body if isinstance(small, cst.Return)), None)
    found: list[cst.Return] = []

    class Finder(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

    statement.visit(Finder())
    return found[0] if found else None
