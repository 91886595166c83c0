"""What a model a method makes cannot take as parameters of its own class, with the refusal saying so.

``self`` itself, a method (not a property, which reads as its value) or layer of the object the model
calls, an attribute the model's code sets, an attribute the object makes a layer or model of (a model
class's parameters are configuration ``get_config()`` saves), and an attribute a lambda reads each
time the model runs that a later method changes (the class would keep the value it was made with).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..types import Diagnostic, Style
from .names_in import self_attributes_in
from .self_uses import SelfUses, self_attribute, set_attributes
from .sequential.items import makes_model
from .sites import ModelSite
from .source import SourceFile


@dataclass(frozen=True)
class _Owner:
    """The class whose method makes the model: its methods, and where each attribute is set."""

    methods: frozenset[str]
    # attr -> (method, value, statement) for each ``self.<attr> = ...`` in the class.
    sets: dict[str, list[tuple[str, cst.BaseExpression | None, cst.CSTNode]]]
    # A property's name -> the attributes of ``self`` its getter reads: reading it is reading a value.
    properties: dict[str, frozenset[str]]


def _class_of(src: SourceFile, node: cst.CSTNode) -> _Owner | None:
    while node is not None and not isinstance(node, cst.ClassDef):
        node = src.parent(node)
    if node is None:
        return None
    defs = [item for item in node.body.body if isinstance(item, cst.FunctionDef)]
    properties = {item.name.value: _getter_reads(item) for item in defs if _is_property(item)}
    methods = frozenset(item.name.value for item in defs) - properties.keys()
    sets: dict = {}
    for item in defs:
        item.visit(_Sets(item.name.value, sets))
    return _Owner(methods, sets, properties)


def _is_property(method: cst.FunctionDef) -> bool:
    """``@property`` or ``@functools.cached_property``: ``self.<name>`` is the value it returns."""
    for decorator in (item.decorator for item in method.decorators):
        name = decorator.attr if isinstance(decorator, cst.Attribute) else decorator
        if isinstance(name, cst.Name) and name.value in ("property", "cached_property"):
            return True
    return False


def _getter_reads(method: cst.FunctionDef) -> frozenset[str]:
    return frozenset(self_attributes_in(method.body))


class _Sets(cst.CSTVisitor):
    def __init__(self, method: str, sets: dict) -> None:
        self.method = method
        self.sets = sets

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            for attr in set_attributes(target.target):
                self.sets.setdefault(attr, []).append((self.method, node.value, node))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        for attr in set_attributes(node.target):
            self.sets.setdefault(attr, []).append((self.method, None, node))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        for attr in set_attributes(node.target):
            self.sets.setdefault(attr, []).append((self.method, node.value, node))


def self_read_problem(src: SourceFile, site: ModelSite, target: Style, uses: SelfUses) -> Diagnostic | None:
    """Why the model cannot take what it reads of ``self`` as parameters, or None when it can."""
    owner = _class_of(src, site.block)
    keep = f"keep this model {site.style}"
    if uses.bare or owner is None:
        return _refusal(
            site,
            "reads `self` itself, the object whose method makes it; a class of its own, at module level,"
            " has no such object",
            f"pass the values it reads in as parameters of `{site.scope}`, or {keep}",
        )
    used = [*(text.split(".", 1)[1].split("(")[0] for text in uses.layers if text.startswith("self.")), *uses.called]
    if used and used[0] in owner.methods:
        return _refusal(
            site,
            f"calls `self.{used[0]}`, a method of the object whose method makes it; a class of its own,"
            " at module level, cannot call it",
            f"make `{used[0]}` a function of the module (kconvert reads its layers), or {keep}",
        )
    if used:
        return _refusal(
            site,
            f"calls `self.{used[0]}`, a layer or model of the object whose method makes it; a {target}"
            " class's parameters are values `get_config()` can save",
            f"make the layer inside the model's code, or {keep}",
        )
    if uses.assigned:
        return _refusal(
            site,
            f"sets `self.{uses.assigned[0]}` while it is built; a class of its own would set it on itself,"
            " not on the object whose method makes it",
            f"set it after the model is made, or {keep}",
        )
    for attr in dict.fromkeys(uses.reads):
        if attr in owner.methods:
            return _refusal(
                site,
                f"reads the method `self.{attr}`; a class of its own, at module level, would keep the"
                " object's method as configuration",
                f"make `{attr}` a function of the module, or {keep}",
            )
        made = next((value for _, value, _ in owner.sets.get(attr, ()) if _makes_model_or_layer(src, value)), None)
        if made is not None:
            return _refusal(
                site,
                f"reads `self.{attr}`, a layer or model the object makes (line {src.loc(made).line}); a {target}"
                " class's parameters are values `get_config()` can save",
                f"make it inside the model's code, or {keep}",
            )
    for attr in dict.fromkeys(uses.deferred):
        # A property's getter reads its attributes each time the lambda reads the property; its
        # setter runs where `self.<property> = ...` does, which counts as that statement's method.
        sets = [item for read in (attr, *owner.properties.get(attr, ())) for item in owner.sets.get(read, ())]
        own = ("__init__", *owner.properties)
        later = next(((method, node) for method, _, node in sets if method not in own), None)
        if later is not None:
            method, node = later
            return _refusal(
                site,
                f"reads `self.{attr}` in a lambda, each time it runs, and `{method}` sets it (line"
                f" {src.loc(node).line}); a class of its own would keep the value it was made with",
                keep,
            )
    return None


def _makes_model_or_layer(src: SourceFile, value: cst.BaseExpression | None) -> bool:
    """``self.build_encoder()``, ``Dense(4)``, ``keras.Sequential(...)``: the object's layer or model."""
    if not isinstance(value, cst.Call):
        return False
    if self_attribute(value.func) is not None:
        return True
    name = src.keras(value.func)
    return (name is not None and name.is_layer_class) or makes_model(src, value)


def _refusal(site: ModelSite, message: str, hint: str) -> Diagnostic:
    return Diagnostic(site.loc.line, site.loc.col, f"`{site.name}` {message}", hint)
