"""The helper methods a conversion made unused, as rewrite/helpers.py finds its functions.

``def _conv_block(self, x, strides=1)`` of the class whose ``build_model(self)`` called it:
once that model is a class of its own (the block a ``Layer`` class of it), nothing reads the
method any more, and a person converting by hand would delete it with the code that called it.
It goes when no code of the file reads an attribute, a name or a string of its name (not
``self._conv_block``, ``Classifier._conv_block``, ``getattr(self, "_conv_block")``) outside its
own body.  Such helpers are only methods of a class of no bases (parse/method_helpers.py), so no
other module's class calls them on ``self``.  A public one (``def block(self, x)``) stays: the
class offers it to other modules too, as the leading ``_`` of ``_conv_block`` says it does not.
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from ..parse.walk import of_kind, walk


def unread_methods(module: cst.Module, helpers: set[str], before: cst.Module) -> set[int]:
    """The ids of the methods of ``helpers`` in ``module`` that code ``before`` the conversion read
    and that nothing but their own bodies reads now."""
    read_before, read_now = _reads(before), _reads(module)
    gone: set[int] = set()
    for cls in of_kind(module, cst.ClassDef):
        methods = [
            statement
            for statement in cls.body.body
            if isinstance(statement, cst.FunctionDef)
            and statement.name.value in helpers
            and statement.name.value.startswith("_")
        ]
        removed = {
            id(method)
            for method in methods
            if read_before[method.name.value] > 0 and read_now[method.name.value] == _reads(method.body)[method.name.value]
        }
        # A class keeps a statement: one whose every statement goes would no longer parse.
        if len(removed) < len(cls.body.body):
            gone |= removed
    return gone


def _reads(node: cst.CSTNode) -> Counter[str]:
    """How often ``node`` reads each name: as an attribute, a name or a string."""
    reads = _Reads()
    walk(node, reads)
    return reads.found


class _Reads(cst.CSTVisitor):
    """A bare name reads a method only in its class's own body (``fit = _fit``): in a function's
    body it is a local or a global (a function of the module named as a method)."""

    def __init__(self) -> None:
        self.found: Counter[str] = Counter()
        self.depth = 0

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.found[node.attr.value] += 1
        walk(node.value, self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if not self.depth:
            self.found[node.value] += 1

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.found[node.evaluated_value if isinstance(node.evaluated_value, str) else ""] += 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        # A ``def``'s own name is no read of it; its body's reads are.
        for part in (node.params, *node.decorators):
            walk(part, self)
        self.depth += 1
        walk(node.body, self)
        self.depth -= 1
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.depth += 1
        walk(node.body, self)
        self.depth -= 1
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        for part in (node.body, *node.bases, *node.keywords, *node.decorators):
            walk(part, self)
        return False
