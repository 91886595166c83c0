"""The names code reads that it does not bind for itself.

``x = f(lambda y: y + z)`` reads ``f`` and ``z``: a function, lambda or comprehension
inside a statement binds its own names, which are no reads of the code around it.
(What code reads and binds in general: names_in.py.)
"""

from __future__ import annotations

import libcst as cst

from ..ir.reads import target_names
from .memo import once
from .walk import walk


class NameCollector(cst.CSTVisitor):
    """Every variable-like ``Name`` a node mentions: not attribute or keyword names."""

    def __init__(self) -> None:
        self.names: list[cst.Name] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        walk(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        walk(node.value, self)
        return False

    def visit_Param(self, node: cst.Param) -> bool:
        # A default and an annotation are read where the function is defined (``model: Sequential``
        # keeps the import of ``Sequential`` in use); the parameter's own name is bound, not read.
        if node.default is not None:
            walk(node.default, self)
        if node.annotation is not None:
            walk(node.annotation, self)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        for alias in node.names if not isinstance(node.names, cst.ImportStar) else ():
            self.names.append(alias.asname.name if alias.asname else alias.name)
        return False


def free_name_nodes(statement: cst.CSTNode) -> tuple[cst.Name, ...]:
    """Names read in ``statement``, leaving out those a function inside it binds for itself."""
    return once("free", statement, _collect_free_names)


def _collect_free_names(statement: cst.CSTNode) -> tuple[cst.Name, ...]:
    collector = _FreeNames()
    walk(statement, collector)
    return tuple(collector.names)


class _FreeNames(NameCollector):
    def __init__(self) -> None:
        super().__init__()
        self.local: list[set[str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        bindings = _Bindings()
        walk(node.params, bindings)
        walk(node.body, bindings)
        self.local.append(bindings.bound - bindings.declared)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.local.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        bindings = _Bindings()
        walk(node.params, bindings)
        self.local.append(bindings.bound)

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self.local.pop()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseComp):
            # The first iterable is read where the comprehension stands; the rest is its own scope.
            walk(node.for_in.iter, self)
            self.local.append(_comprehension_targets(node.for_in))
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if isinstance(original_node, cst.BaseComp):
            self.local.pop()

    def visit_Import(self, node: cst.Import) -> bool:
        # An import binds its names; it reads none of them.
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if not any(node.value in bound for bound in self.local):
            self.names.append(node)


def _comprehension_targets(clause: cst.CompFor | None) -> set[str]:
    """The names ``[... for a in xs for b in a]`` binds for itself."""
    bound: set[str] = set()
    while clause is not None:
        bound |= target_names(clause.target)
        clause = clause.inner_for_in
    return bound


class _Bindings(cst.CSTVisitor):
    """The names one function's code binds for itself: not those a function or class inside it
    binds in its own scope, and apart, those it declares ``global`` or ``nonlocal``."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.declared: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.bound.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.bound.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Global(self, node: cst.Global) -> None:
        self.declared |= {item.name.value for item in node.names}

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared |= {item.name.value for item in node.names}

    def visit_Param(self, node: cst.Param) -> None:
        self.bound.add(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.bound |= target_names(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bound |= target_names(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bound |= target_names(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.bound |= target_names(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self.bound |= target_names(node.name)
