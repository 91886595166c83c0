"""How a model's code uses ``self``: the attributes it reads, calls and sets, and ``self`` alone.

Read from the graph's texts (ir/texts.py) by parse/self_reads.py, which makes each attribute read a
parameter, and by parse/self_refusals.py, which says what cannot be one; the parameter's name is
``attribute_parameters``' (a method written as a module function names them alike).
"""

from __future__ import annotations

import keyword

from dataclasses import dataclass, field

import libcst as cst


@dataclass
class SelfUses(cst.CSTVisitor):
    """How the model's code uses ``self``: attributes read (in order), called, set; bare reads."""

    reads: list[str] = field(default_factory=list)
    called: list[str] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)
    bare: bool = False
    # Attributes read inside a lambda: the model reads them each time it runs.
    deferred: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    lambdas: int = 0

    def visit_Lambda(self, node: cst.Lambda) -> None:
        # ``lambda self: ...`` names its own parameter ``self``: read as ``self`` itself, refused.
        self.lambdas += 1

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self.lambdas -= 1

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        attr = self_attribute(node)
        if attr is None:
            node.value.visit(self)
            return False
        self.reads.append(attr)
        if self.lambdas:
            self.deferred.append(attr)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        attr = self_attribute(node.func)
        if attr is not None:
            self.called.append(attr)

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.bare = self.bare or node.value == "self"

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.assigned += set_attributes(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.assigned += set_attributes(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.assigned += set_attributes(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self.assigned += set_attributes(node.target)



def self_attribute(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        return node.attr.value
    return None


def set_attributes(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [attr for element in target.elements for attr in set_attributes(element.value)]
    if isinstance(target, cst.StarredElement):
        return set_attributes(target.value)
    attr = self_attribute(target)
    return [attr] if attr is not None else []


def attribute_parameters(attrs: list[str], taken: set[str]) -> dict[str, str]:
    """Each attribute, in order, with the parameter that stands for it: its name without a
    leading ``_`` (a keyword gets a trailing one), numbered past every name in ``taken``."""
    taken = set(taken)
    names: dict[str, str] = {}
    for attr in dict.fromkeys(attrs):
        preferred = attr.lstrip("_") or attr
        if keyword.iskeyword(preferred):
            preferred += "_"
        name, counter = preferred, 0
        while name in taken:
            counter += 1
            name = f"{preferred}_{counter}"
        taken.add(name)
        names[attr] = name
    return names
