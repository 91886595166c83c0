"""What a module-level ``class`` or ``def`` reads when it runs, and which such read stops the
module: decorators, bases, defaults and a class body's own lines read names when the module
reaches the definition, not when the model is made, so a name only a later line binds is a
NameError at import (``x = Block(filters)(x)`` pasted into a class body)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ClassScope, GlobalScope

from ..types import Diagnostic
from .names_in import name_nodes
from .source import SourceFile


def module_stops(src: SourceFile) -> Diagnostic | None:
    """The first module-level ``class`` or ``def`` that stops the module when it runs, or None."""
    definitions = (node for node in src.module.body if isinstance(node, (cst.ClassDef, cst.FunctionDef)))
    return next((found for definition in definitions if (found := stops_at(src, definition))), None)


def stops_at(src: SourceFile, definition: cst.ClassDef | cst.FunctionDef) -> Diagnostic | None:
    """A name ``definition`` reads when it runs that only a later module-level line binds."""
    line = src.loc(definition).line
    kind = "class" if isinstance(definition, cst.ClassDef) else "def"
    for node in _read_when_defined(definition):
        scope = src.scope(node)
        if scope is None or not any(access.node is node for access in scope.accesses[node.value]):
            continue  # a class body's own target (``units = 4``), not a read
        bound = first_binding(src, node)
        if bound is not None and src.loc(bound).line > line:
            loc = src.loc(node)
            fix = f"move `{first_line(src, bound)}` above the `{kind} {definition.name.value}` line"
            if _in_class_body(src, node, definition):
                fix = f"this line runs when `class {definition.name.value}` is made: move it into a method, or out of the class"
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{node.value}` is read here, but line {src.loc(bound).line} binds it, so Python stops at this"
                f" `{kind}` with a NameError",
                fix,
            )
    return None


def _in_class_body(src: SourceFile, node: cst.CSTNode, definition: cst.ClassDef | cst.FunctionDef) -> bool:
    """Whether ``node`` is in a line of ``definition``'s class body, not in a method's ``def`` line."""
    while (parent := src.parent(node)) is not None and parent is not definition.body:
        node = parent
    return parent is not None and not isinstance(node, (cst.ClassDef, cst.FunctionDef))


def _read_when_defined(definition: cst.ClassDef | cst.FunctionDef) -> list[cst.Name]:
    """The names a ``class`` or ``def`` line reads when it runs: decorators, bases, defaults, and
    a class body's own statements with its methods' ``def`` lines (``x = Block(filters)(x)``
    pasted into a class body reads ``filters`` when the class is made)."""
    parts: list[cst.CSTNode] = [decorator.decorator for decorator in definition.decorators]
    if isinstance(definition, cst.ClassDef):
        parts += [arg.value for arg in (*definition.bases, *definition.keywords)]
        body = definition.body.body if isinstance(definition.body, cst.IndentedBlock) else ()
        parts += [statement for statement in body if not isinstance(statement, (cst.ClassDef, cst.FunctionDef))]
        names = [node for part in parts for node in name_nodes(part)]
        return names + [
            node for statement in body if isinstance(statement, (cst.ClassDef, cst.FunctionDef)) for node in _read_when_defined(statement)
        ]
    params = definition.params
    parts += [param.default for param in (*params.params, *params.kwonly_params) if param.default is not None]
    return [node for part in parts for node in name_nodes(part)]


def first_binding(src: SourceFile, node: cst.Name) -> cst.CSTNode | None:
    """The first module-level line binding the global ``node`` reads (from a class body, a name its
    own earlier lines do not bind); None unless the module binds it."""
    scope = src.scope(node)
    if isinstance(scope, ClassScope) and not any(
        src.loc(getattr(assignment, "node", node)).line < src.loc(node).line for assignment in scope.assignments[node.value]
    ):
        scope = scope.globals
    if not isinstance(scope, GlobalScope):
        return None
    nodes = [assignment.node for assignment in scope.assignments[node.value] if getattr(assignment, "node", None) is not None]
    return min(nodes, key=lambda bound: src.loc(bound).line, default=None)


def first_line(src: SourceFile, node: cst.CSTNode) -> str:
    while not isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)) and src.parent(node) is not None:
        node = src.parent(node)
    return src.code(node.with_changes(leading_lines=())).strip().splitlines()[0]
