"""Recognising an ``if`` whose test reads tensors only through their static shapes.

``if shortcut.shape[-1] != filters:`` in a residual block asks how the graph
is built, not what flows through it: a Keras tensor's shape is known when
Functional code runs, and when a subclass's ``call()`` is traced.  So such a
test is kept as an ``if`` in every style that runs code (Functional, subclass),
while a test on tensor *values* stays refused.  A statement that reads shapes
only (``assert x.shape == (None, 7, 7, 256)``) is a check of the graph too.
"""

from __future__ import annotations

import libcst as cst

from ..ir.graph import Code
from .walk import walk


def reads_only_shapes(test: Code) -> bool:
    """Whether every tensor ``test`` reads is read as ``<tensor>.shape``."""
    return _only_shapes(test, cst.parse_expression(test.text))


def statement_reads_only_shapes(statement: Code) -> bool:
    """The same for a statement (``assert x.shape == (None, 7, 7, 256)``)."""
    return _only_shapes(statement, cst.parse_module(statement.text))


def _only_shapes(code: Code, tree: cst.CSTNode) -> bool:
    placeholders = {name for name, _ in code.refs}
    visitor = _ShapeReads(placeholders)
    walk(tree, visitor)
    return bool(placeholders) and visitor.only_shapes


class _ShapeReads(cst.CSTVisitor):
    def __init__(self, placeholders: set[str]) -> None:
        self.placeholders = placeholders
        self.only_shapes = True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if isinstance(node.value, cst.Name) and node.value.value in self.placeholders:
            self.only_shapes &= node.attr.value == "shape"
            # The tensor's name is accounted for here; its attribute name is no variable.
            return False
        return True

    def visit_Name(self, node: cst.Name) -> None:
        # A tensor reached here is read as a value (``x > 0``, ``f(x)``), not through ``.shape``.
        if node.value in self.placeholders:
            self.only_shapes = False
