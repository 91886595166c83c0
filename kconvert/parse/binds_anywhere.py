"""Every name a statement binds anywhere inside it, once per binding.

A read after a compound statement (a ``for`` whose body fills ``results[i, j] = 1.``) sees what
was bound before it unless something inside binds the name: a loop target, an assignment, a
``with ... as``, an ``except ... as``, an import, a walrus, a ``del``, a ``global`` (which lets
another scope bind it).  A function, class or lambda inside counts every name it mentions, so
the answer errs only towards "may bind".
"""

from __future__ import annotations

import libcst as cst

from ..ir.reads import target_names
from .walk import walk


def bound_anywhere(node: cst.CSTNode) -> list[str]:
    """The names ``node`` binds, one entry per binding (a name bound twice is listed twice)."""
    found = Bindings()
    walk(node, found)
    return found.bound


class Bindings(cst.CSTVisitor):
    def __init__(self) -> None:
        self.bound: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.bound.append(node.name.value)
        self.bound.extend(_names(node))
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.bound.append(node.name.value)
        self.bound.extend(_names(node))
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.bound.extend(_names(node))
        return False

    def visit_Param(self, node: cst.Param) -> None:
        self.bound.append(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.bound.extend(_bound_by(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bound.extend(_bound_by(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bound.extend(_bound_by(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.bound.extend(_bound_by(node.target))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.bound.extend(_bound_by(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        self.bound.extend(_bound_by(node.name))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bound.extend(_bound_by(node.target))

    def visit_Del(self, node: cst.Del) -> None:
        self.bound.extend(_bound_by(node.target))

    def visit_NameItem(self, node: cst.NameItem) -> None:
        # ``global results`` / ``nonlocal results``: another scope may bind it.
        self.bound.extend((node.name.value, node.name.value))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        head = node.name
        while isinstance(head, cst.Attribute):
            head = head.value
        if node.asname is None and isinstance(head, cst.Name):
            self.bound.append(head.value)


def _bound_by(target: cst.BaseExpression) -> list[str]:
    return sorted(target_names(target))


def _names(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name.value)

    walk(node, Names())
    return found
