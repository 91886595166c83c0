"""A model a method makes that reads attributes of its object: ``self.latent_dim`` as a parameter.

A GAN's ``build_generator(self)`` makes its model from ``self.latent_dim`` and
``self.img_shape``.  A class of its own at module level has no such object, so each attribute
the model reads becomes a parameter named after it (``latent_dim``), given by the line that makes
the model in the method (``Generator(latent_dim=self.latent_dim, ...)``), the way a builder's own
parameters are: the values are read at the same moment as before, in the same place.

What cannot be passed in that way is refused, naming it: ``self`` itself, a method or layer of
the object called by the model, an attribute the model's code sets, an attribute the object
makes a layer or model of (a parameter of a model class is configuration ``get_config()``
saves), and an attribute a lambda reads each time the model runs that a later method changes.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field, replace

import libcst as cst

from ..ir.graph import Graph
from ..ir.model_parts import Param
from ..ir.reads import lambda_parameters, names_read
from ..ir.texts import map_texts
from ..types import Diagnostic, Style
from .sequential.items import makes_model
from .sites import ModelSite
from .source import SourceFile


def lifted_self_reads(src: SourceFile, site: ModelSite, target: Style) -> Graph | Diagnostic:
    """The site's graph with each ``self.<attr>`` it reads as a parameter of the same name
    (``Param.given`` the attribute), or why the model cannot take them so."""
    uses = _Uses()
    map_texts(site.graph, uses.expression, uses.statement)
    # A layer of the object (``self.encoder``), or one its method makes (``self.get_activation("relu")``).
    made = [code for layer in site.graph.layers for code in (layer.reference, layer.factory) if code is not None]
    uses.layers = [code.text for code in made]
    owner = _class_of(src, site.block)
    problem = _problem(src, site, target, uses, owner)
    if problem is not None:
        return problem
    # In the order the model's statements first read them, which is the order a person would list.
    order = _Uses()
    for statement in site.block.body[site.start : site.end]:
        statement.visit(order)
    first = {attr: index for index, attr in reversed(list(enumerate(order.reads)))}
    names = _parameter_names(site, sorted(dict.fromkeys(uses.reads), key=lambda attr: first.get(attr, len(first))))
    lift = _Lift(names)
    graph = map_texts(site.graph, lambda text: _expression(text, lift), lambda text: _statement(text, lift))
    lifted = tuple(Param(name, given=f"self.{attr}") for attr, name in names.items())
    # Required parameters go before any with a default: the line that makes the model names each.
    first = next((i for i, param in enumerate(graph.params) if param.default is not None or param.star), None)
    at = len(graph.params) if first is None else first
    return replace(graph, params=graph.params[:at] + lifted + graph.params[at:])


@dataclass
class _Uses(cst.CSTVisitor):
    """How the model's code uses ``self``: attributes read (in order), called, set; bare reads."""

    reads: list[str] = field(default_factory=list)
    called: list[str] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)
    bare: bool = False
    # Attributes read inside a lambda: the model reads them each time it runs.
    deferred: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    lambdas: int = 0

    def expression(self, text: str) -> str:
        cst.parse_expression(text).visit(self)
        return text

    def statement(self, text: str) -> str:
        cst.parse_module(text + "\n").visit(self)
        return text

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        if "self" in lambda_parameters(node):
            return False
        self.lambdas += 1
        return True

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self.lambdas -= 1

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        attr = _self_attribute(node)
        if attr is None:
            node.value.visit(self)
            return False
        self.reads.append(attr)
        if self.lambdas:
            self.deferred.append(attr)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        attr = _self_attribute(node.func)
        if attr is not None:
            self.called.append(attr)

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.bare = self.bare or node.value == "self"

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.assigned += _set_attributes(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.assigned += _set_attributes(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.assigned += _set_attributes(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self.assigned += _set_attributes(node.target)


class _Lift(cst.CSTTransformer):
    """``self.<attr>`` → the parameter's name, but inside a lambda whose own parameter is ``self``."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return "self" not in lambda_parameters(node)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        attr = _self_attribute(original)
        if attr is None:
            return updated
        return cst.Name(self.names[attr], lpar=updated.lpar, rpar=updated.rpar)


def _expression(text: str, lift: _Lift) -> str:
    if "self" not in text:
        return text
    return cst.Module([]).code_for_node(cst.parse_expression(text).visit(lift))


def _statement(text: str, lift: _Lift) -> str:
    if "self" not in text:
        return text
    return cst.parse_module(text + "\n").visit(lift).code[:-1]


def _self_attribute(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        return node.attr.value
    return None


def _set_attributes(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [attr for element in target.elements for attr in _set_attributes(element.value)]
    if isinstance(target, cst.StarredElement):
        return _set_attributes(target.value)
    attr = _self_attribute(target)
    return [attr] if attr is not None else []


@dataclass(frozen=True)
class _Owner:
    """The class whose method makes the model: its methods, and where each attribute is set."""

    methods: frozenset[str]
    # attr -> (method, value, statement) for each ``self.<attr> = ...`` in the class.
    sets: dict[str, list[tuple[str, cst.BaseExpression | None, cst.CSTNode]]]


def _class_of(src: SourceFile, node: cst.CSTNode) -> _Owner | None:
    while node is not None and not isinstance(node, cst.ClassDef):
        node = src.parent(node)
    if node is None:
        return None
    methods = frozenset(item.name.value for item in node.body.body if isinstance(item, cst.FunctionDef))
    sets: dict = {}
    for item in node.body.body:
        if isinstance(item, cst.FunctionDef):
            item.visit(_Sets(item.name.value, sets))
    return _Owner(methods, sets)


class _Sets(cst.CSTVisitor):
    def __init__(self, method: str, sets: dict) -> None:
        self.method = method
        self.sets = sets

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            for attr in _set_attributes(target.target):
                self.sets.setdefault(attr, []).append((self.method, node.value, node))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        for attr in _set_attributes(node.target):
            self.sets.setdefault(attr, []).append((self.method, None, node))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        for attr in _set_attributes(node.target):
            self.sets.setdefault(attr, []).append((self.method, node.value, node))


def _problem(src: SourceFile, site: ModelSite, target: Style, uses: _Uses, owner: _Owner | None) -> Diagnostic | None:
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
        later = next(((method, node) for method, _, node in owner.sets.get(attr, ()) if method != "__init__"), None)
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
    if _self_attribute(value.func) is not None:
        return True
    name = src.keras(value.func)
    return (name is not None and name.is_layer_class) or makes_model(src, value)


def _refusal(site: ModelSite, message: str, hint: str) -> Diagnostic:
    return Diagnostic(site.loc.line, site.loc.col, f"`{site.name}` {message}", hint)


def _parameter_names(site: ModelSite, reads: list[str]) -> dict[str, str]:
    """Each attribute read, in order, with its parameter's name: the attribute's own without a
    leading ``_``, unless the model's code already reads or binds that name (``units_1`` then)."""
    # The class's constructor and call() see these, and nothing else of the method's.
    taken = set(names_read(site.graph)) | {"self", "name", "kwargs", "inputs", "training"}
    names: dict[str, str] = {}
    for attr in dict.fromkeys(reads):
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

