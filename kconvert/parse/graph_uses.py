"""Code after a model that needs the model to be a graph.

A Functional or Sequential model has symbolic ``input``/``output`` tensors and
lists its layers in graph order; a subclass has neither.  Feature extractors
(``keras.Model(model.input, model.layers[-2].output)``), ``get_layer`` and
indexing ``model.layers`` stop working, or pick another layer, when the model
becomes a subclass, so to-subclass refuses there and names the line.
"""

from __future__ import annotations

import libcst as cst

from ..ir.graph import Loc
from .module_index import call_assignment
from .names_in import bound_names, mentioning
from .source import SourceFile
from .walk import walk

# Attributes only a graph model has.
GRAPH_ONLY = frozenset({"input", "inputs", "output", "outputs", "get_layer", "input_shape", "output_shape"})


def graph_uses(src: SourceFile, target: str, statements) -> tuple[tuple[str, Loc], ...]:
    """``(what, where)`` for each use of ``target`` in ``statements`` that needs a graph model."""
    found: list[tuple[str, Loc]] = []
    for statement in mentioning(statements, {target}):
        visitor = _Uses(target)
        walk(statement, visitor)
        found += [(what, src.loc(node)) for what, node in visitor.found]
        if target in bound_names(statement):
            break
    return tuple(found)


class _Uses(cst.CSTVisitor):
    def __init__(self, target: str) -> None:
        self.target = target
        self.found: list[tuple[str, cst.CSTNode]] = []

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == self.target:
            if node.attr.value in GRAPH_ONLY:
                self.found.append((f"{self.target}.{node.attr.value}", node))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        value = node.value
        if (
            isinstance(value, cst.Attribute)
            and value.attr.value == "layers"
            and isinstance(value.value, cst.Name)
            and value.value.value == self.target
        ):
            self.found.append((f"{self.target}.layers[{_position(node)}]", node))


def _position(node: cst.Subscript) -> str:
    """``-2`` for ``layers[-2]`` (counted from the end: the same in Sequential and Functional), else ``...``."""
    index = node.slice[0].slice if len(node.slice) == 1 else None
    value = index.value if isinstance(index, cst.Index) else None
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        if isinstance(value.expression, cst.Integer):
            return f"-{value.expression.value}"
    return "..."


def attribute_uses(src: SourceFile, cls: cst.ClassDef) -> tuple[tuple[str, Loc], ...]:
    """``(instance.attr, where)`` for reads of the attributes ``cls`` sets on ``self``, by instances
    the module makes of it (``autoencoder = AE()`` then ``autoencoder.encoder(x)``)."""
    own = _self_attributes(cls)
    found: list[tuple[str, Loc]] = []
    body = list(src.module.body)
    for index, statement in enumerate(body):
        made = call_assignment(statement)
        if made is None or not (isinstance(made[1].func, cst.Name) and made[1].func.value == cls.name.value):
            continue
        instance = made[0]
        for later in body[index + 1 :]:
            visitor = _Attributes(instance, own)
            walk(later, visitor)
            found += [(f"{instance}.{node.attr.value}", src.loc(node)) for node in visitor.found]
            if instance in bound_names(later):
                break
    return tuple(found)


def _self_attributes(cls: cst.ClassDef) -> set[str]:
    names: set[str] = set()

    class Targets(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) else [node.target]
            for target in targets:
                target = getattr(target, "value", target) if isinstance(target, cst.Element) else target
                if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
                    if target.value.value == "self":
                        names.add(target.attr.value)

    for item in cls.body.body:
        if isinstance(item, cst.FunctionDef) and item.name.value == "__init__":
            walk(item, Targets())
    return names


class _Attributes(cst.CSTVisitor):
    def __init__(self, instance: str, names: set[str]) -> None:
        self.instance = instance
        self.names = names
        self.found: list[cst.Attribute] = []

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == self.instance and node.attr.value in self.names:
            self.found.append(node)
