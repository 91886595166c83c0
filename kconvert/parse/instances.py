"""The lines that make a class's instances: ``name = Cls(...)`` and ``return Cls(...)``, in any block."""

from __future__ import annotations

import libcst as cst

from .module_index import call_assignment
from .walk import walk


def instance_call(statement: cst.BaseStatement) -> cst.Call:
    """The call of an instance line ``instantiations`` found."""
    made = call_assignment(statement) or returned_call(statement)
    return made[1]


def instantiations(module: cst.Module, name: str):
    """``(block, index, variable)`` of each ``variable = name(...)`` statement, in any block, and
    ``(block, index, None)`` of each ``return name(...)``."""
    found = []

    class Visitor(cst.CSTVisitor):
        def visit_Module(self, node: cst.Module) -> None:
            self.block(node)

        def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
            self.block(node)

        def block(self, block) -> None:
            for index, statement in enumerate(block.body):
                made = call_assignment(statement) or returned_call(statement)
                if made is not None and isinstance(made[1].func, cst.Name) and made[1].func.value == name:
                    found.append((block, index, made[0]))

    walk(module, Visitor())
    return found


def returned_call(statement: cst.BaseStatement) -> tuple[None, cst.Call] | None:
    """``(None, call)`` for ``return f(...)`` alone on its line."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Return) and isinstance(small.value, cst.Call):
            return None, small.value
    return None
