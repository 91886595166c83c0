"""The ``name = value`` that a read of ``name`` sees, in straight-line code.

A notebook makes ``norm_layer = Normalization(input_shape=X_train.shape[1:])`` again for each
model, so the name's scope binds it several times and libcst's scope analysis, which does not
follow the order of statements, cannot say which call made the object a model lists.  The
statements of one block run in order: the last one before the read that binds the name made it,
when that statement is a plain assignment and nothing between could bind the name again (a
compound statement or a walrus that mentions it, a ``del``, a star import, a function that
declares it ``global``).  Anything else is no answer.
"""

from __future__ import annotations

import libcst as cst

from ..ir.reads import line_binds
from .names_in import identifiers
from .source import SourceFile
from .walk import walk


def reaching(
    src: SourceFile, expr: cst.BaseExpression
) -> tuple[cst.BaseExpression, list[cst.BaseStatement]] | None:
    """The value of the assignment to ``expr`` (a name) that the read of ``expr`` sees, if certain
    (nothing between binds a name the value reads), and the statements between, in order."""
    if not isinstance(expr, cst.Name) or _declared_elsewhere(src, expr.value):
        return None
    statement, block = _statement_of(src, expr)
    if block is None:
        return None
    body = list(block.body)
    between: list[cst.BaseStatement] = []
    for earlier in reversed(body[: body.index(statement)]):
        value = _assigned_value(earlier, expr.value)
        if value is None:
            # A statement that only reads the name (``norm_layer.adapt(X)``) leaves it as it was.
            if expr.value in identifiers(earlier) and _may_bind(earlier, expr.value):
                return None
            between.insert(0, earlier)
            continue
        read = identifiers(value)
        if any(_may_bind_any(other, read) for other in between):
            return None
        return value, between
    return None


def _assigned_value(statement: cst.BaseStatement, name: str) -> cst.BaseExpression | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    return small.value if isinstance(target, cst.Name) and target.value == name else None


def _may_bind(statement: cst.BaseStatement, name: str) -> bool:
    """Whether ``statement``, which mentions ``name``, may bind it: any compound statement may."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return True
    if name in line_binds(statement):
        return True
    return any(isinstance(small, (cst.Del, cst.Global, cst.Nonlocal)) for small in statement.body) or _has_walrus(
        statement
    )


def _may_bind_any(statement: cst.BaseStatement, names: frozenset[str]) -> bool:
    mentioned = identifiers(statement) & names
    return any(_may_bind(statement, name) for name in mentioned) or _star_import(statement)


def _star_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar) for small in statement.body
    )


def _has_walrus(node: cst.CSTNode) -> bool:
    found = []

    class Visitor(cst.CSTVisitor):
        def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
            found.append(node)
            return False

    walk(node, Visitor())
    return bool(found)


def _declared_elsewhere(src: SourceFile, name: str) -> bool:
    """Whether a function declares ``name`` global or nonlocal: calling it may rebind the name."""
    found = []

    class Visitor(cst.CSTVisitor):
        def visit_Global(self, node: cst.Global) -> None:
            found.extend(item.name.value for item in node.names)

        def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
            found.extend(item.name.value for item in node.names)

    walk(src.module, Visitor())
    return name in found


def _statement_of(src: SourceFile, node: cst.CSTNode):
    """The statement holding ``node`` and the block (module or indented block) holding that."""
    child, parent = node, src.parent(node)
    while parent is not None and not isinstance(parent, (cst.Module, cst.IndentedBlock)):
        child, parent = parent, src.parent(parent)
    return child, parent
