"""A read-only walk over libcst nodes, for visitors that only look.

``node.visit(visitor)`` rebuilds every node it passes (libcst visits to
transform, and a plain visitor pays for it), which made reading the names and
calls of a file's statements most of a conversion's cost on a large file.
``walk`` calls the same ``on_visit`` / ``on_leave`` hooks of a ``CSTVisitor``
in the same order, reading each node's children from its fields instead.

The order of a node's fields in source order is libcst's own: it is learnt
once per node class from the ``on_visit_attribute`` calls of one libcst visit
(every field is announced there, present or not).
"""

from __future__ import annotations

from dataclasses import fields

import libcst as cst

# node class -> the names of its fields, in the order libcst visits them.
_orders: dict[type, tuple[str, ...]] = {}

# A field value's class -> NODE, MANY (a tuple or list) or OTHER, learnt once per class:
# ``isinstance`` with libcst's abstract CSTNode class was a third of a walk's time.
NODE, MANY, OTHER = 1, 2, 3
_kinds: dict[type, int] = {}


def _kind(kind: type) -> int:
    found = _kinds[kind] = NODE if issubclass(kind, cst.CSTNode) else MANY if issubclass(kind, (tuple, list)) else OTHER
    return found


def field_kind(value: object) -> int:
    """NODE, MANY or OTHER: what a node's field holds."""
    return _kinds.get(type(value)) or _kind(type(value))


class _FieldOrder(cst.CSTVisitor):
    def __init__(self, parent: cst.CSTNode) -> None:
        self.parent = parent
        self.names: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if node is self.parent and attribute not in self.names:
            self.names.append(attribute)


def _order(node: cst.CSTNode) -> tuple[str, ...]:
    kind = type(node)
    order = _orders.get(kind)
    if order is None:
        recorder = _FieldOrder(node)
        node._visit_and_replace_children(recorder)
        # A field libcst visits only when it is set (an f-string's format_spec) comes last.
        rest = [field.name for field in fields(node) if field.name not in recorder.names]
        order = _orders[kind] = (*recorder.names, *rest)
    return order


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """Calls ``visitor``'s hooks for ``node`` and everything under it, as ``node.visit`` would."""
    if visitor.on_visit(node):
        for name in _orders.get(type(node)) or _order(node):
            value = getattr(node, name)
            kind = _kinds.get(type(value)) or _kind(type(value))
            if kind == NODE:
                walk(value, visitor)
            elif kind == MANY:
                for child in value:
                    if (_kinds.get(type(child)) or _kind(type(child))) == NODE:
                        walk(child, visitor)
    visitor.on_leave(node)


def of_kind(node: cst.CSTNode, kind: type) -> list:
    """Every node of class ``kind`` under ``node`` (``node`` too), in source order."""
    found: list = []

    class Visitor(cst.CSTVisitor):
        def on_visit(self, visited: cst.CSTNode) -> bool:
            if isinstance(visited, kind):
                found.append(visited)
            return True

    walk(node, Visitor())
    return found
