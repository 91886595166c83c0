"""Code after a class's instances that reads what only a class has: the attributes it sets on
``self`` (``autoencoder.encoder(x)``), or a layer by its position in ``instance.layers``, which a
subclass lists in the order it assigns them and a graph model by depth.  The class parsers read
these before converting the class (parse/subclass/lift.py, parse/functional_subclass/lift.py).
"""

from __future__ import annotations

import libcst as cst

from ..ir.source_text import Loc
from .graph_uses import graph_uses
from .module_index import call_assignment
from .names_in import bound_names
from .source import SourceFile
from .walk import walk


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


def instance_layer_uses(src: SourceFile, cls: cst.ClassDef) -> tuple[tuple[str, Loc], ...]:
    """``(instance.layers[i], where)`` for the module's instances of ``cls`` that pick a layer by
    its position: a subclass lists its layers in the order it assigns them, a graph model by depth."""
    found: list[tuple[str, Loc]] = []
    body = list(src.module.body)
    for index, statement in enumerate(body):
        made = call_assignment(statement)
        if made is not None and isinstance(made[1].func, cst.Name) and made[1].func.value == cls.name.value:
            uses = graph_uses(src, made[0], body[index + 1 :])
            found += [(what, loc) for what, loc in uses if ".layers[" in what]
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
