"""A subclass's layer made into a local of ``__init__`` first, then stored: ``t = Tokenizer()``,
``self.t = t``.  kconvert writes that when ``__init__``'s own statements read the layer too
(``t.positional_embedding(size)``); reading it back needs the constructor the name stands for.
"""

from __future__ import annotations

import libcst as cst

from ..ir.reads import target_names
from .module_index import name_assignment
from .names_in import identifiers


def local_layer(statements, made: cst.BaseExpression) -> cst.Call | None:
    """The constructor call ``name = Layer(...)`` binds, when ``made`` is that ``name`` and no later
    statement of ``__init__`` assigns the name again."""
    value = local_value(statements, made)
    return value if isinstance(value, cst.Call) else None


def local_value(statements, made: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """The value ``name = <value>`` binds, when ``made`` is that ``name`` and no later statement
    of ``__init__`` assigns the name again."""
    if not isinstance(made, cst.Name):
        return None
    for statement in reversed(statements):
        assigned = name_assignment(statement)
        if assigned is not None and assigned[0] == made.value:
            return assigned[1]
        if made.value in _assigned(statement):
            return None
    return None


def _assigned(statement: cst.CSTNode) -> set[str]:
    """Names a statement assigns anywhere in it (targets of ``=``, ``+=``, ``for``, ``as``, ``:=``)."""
    found: set[str] = set()

    class Targets(cst.CSTVisitor):
        # ``base.trainable = False`` changes the layer ``base`` stands for; it does not rebind it.
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            found.update(target_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            found.update(target_names(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            found.update(target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            found.update(identifiers(node.target))

        def visit_AsName(self, node: cst.AsName) -> None:
            found.update(identifiers(node.name))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            found.update(identifiers(node.target))

    statement.visit(Targets())
    return found
