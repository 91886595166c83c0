"""A plain class's layer-building methods as functions of the module, for a class that builds a graph.

A class whose ``__init__`` builds a Functional graph calls helpers as Functional code does
(keras-hub's backbones call ``apply_block(x, ...)``), but it has no ``self._conv_block``: the
object whose method made the model is not there.  So each method the model calls, and each one
those call (parse/method_helpers.py), is written as a function of the module above the class:
``def conv_block(x, nb_filters, kernel_size, strides=1)``, what it reads of the object
(``self.nb_filters``, also through the methods it calls) a parameter named after the attribute,
placed before the first parameter with a default.  The calls pass those by keyword
(``conv_block(x, nb_filters=self.nb_filters)``; an argument given by position after them moves
to its keyword), and parse/self_reads.py makes the model's ``self.<attr>`` the class's parameters
as it does the builder's own reads.  A function says what its method said, and the method goes
when nothing reads it any more (rewrite/helper_methods.py).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace

import libcst as cst

from ..ir.graph import Graph
from ..ir.nodes import Node, Op
from ..types import Diagnostic
from .helpers import helper_definition
from .method_helpers import plain_methods
from .module_index import module_bindings
from .names_in import identifiers
from .self_uses import SelfUses, attribute_parameters, self_attribute
from .sites import ModelSite
from .source import SourceFile


def methods_as_functions(src: SourceFile, site: ModelSite, graph: Graph) -> Graph | Diagnostic:
    """``graph`` with each call of a method helper a call of its module function, written in
    ``graph.functions``; a Diagnostic when a function's name is taken."""
    owner = plain_methods(src, site.block)
    methods: dict[str, cst.FunctionDef] = {}
    for node in _ops(graph.body, inside=True):
        called = _called_method(node, owner)
        if called is not None and node.helper.problem is not None:
            # What could not be read of it (it calls itself, ...) kconvert could not check in the function.
            loc, message, hint = node.helper.problem
            return Diagnostic(loc.line, loc.col, f"`{called}` cannot be written as a function of the module: {message}", hint)
    for node in _ops(graph.body):
        called = _called_method(node, owner)
        if called is not None:
            _collect(src, owner, called, methods)
    if not methods:
        return graph
    # A name a method's body uses (``shortcut = ...`` in ``_shortcut``) would hide the function
    # from a body that calls it; one the model's code or the module uses, from the class.
    taken = set(site.used_names) | set(module_bindings(src.module))
    taken |= {name for definition in methods.values() for name in identifiers(definition.body)}
    names: dict[str, str] = {}
    for method, definition in methods.items():
        if definition.params.posonly_params:
            loc = src.loc(definition)
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{method}` takes positional-only parameters, which kconvert does not write as a function yet",
                "keep this model in its current style, or convert it to a subclass",
            )
        name = next((name for name in (method.lstrip("_"), method) if name and name not in taken), method)
        if name in taken:
            loc = src.loc(definition)
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{method}` would be written as the module's function `{name}`, a name the file already uses",
                "rename the method, or keep this model in its current style",
            )
        taken.add(name)
        names[method] = name
    reads = {method: _reads_through(method, methods, owner) for method in methods}
    params = {method: _param_names(methods[method], reads[method]) for method in methods}
    calls = _Calls(names, reads, params, methods)
    texts = []
    for method, definition in methods.items():
        calls.given = {attr: cst.Name(name) for attr, name in params[method].items()}
        body = definition.visit(calls)
        texts.append(_function(body, names[method], params[method]))
    calls.given = None

    def rewritten(node: Node) -> Node:
        if _called_method(node, owner) not in methods:
            return node
        text = cst.Module([]).code_for_node(cst.parse_expression(node.expr.text).visit(calls))
        return replace(node, expr=replace(node.expr, text=text))

    return replace(graph, body=_mapped(graph.body, rewritten), functions=tuple(texts))


def _ops(body, inside: bool = False) -> list[Op]:
    """The helper calls of ``body`` at any depth of its loops and ``if``s, and ``inside`` the
    helpers' bodies too."""
    found = []
    for node in body:
        if isinstance(node, Op) and node.helper is not None:
            found.append(node)
            found += _ops(node.helper.body, inside) if inside else []
        for field in ("body", "orelse"):
            found += _ops(getattr(node, field, ()) if not isinstance(node, Op) else (), inside)
    return found


def _mapped(body, change):
    out = []
    for node in body:
        if not isinstance(node, Op) and is_dataclass(node):
            inner = {f.name: _mapped(getattr(node, f.name), change) for f in fields(node) if f.name in ("body", "orelse")}
            node = replace(node, **inner) if inner else node
        out.append(change(node))
    return tuple(out)


def _called_method(node: Node, owner: dict[str, cst.FunctionDef]) -> str | None:
    if not isinstance(node, Op) or node.helper is None:
        return None
    call = cst.parse_expression(node.expr.text)
    name = self_attribute(call.func) if isinstance(call, cst.Call) else None
    return name if name == node.helper.name and name in owner else None


def _collect(src: SourceFile, owner, name: str, methods: dict[str, cst.FunctionDef]) -> None:
    """``name`` and the methods its body calls as helpers, each once, callees first."""
    if name in methods:
        return
    definition = owner[name]
    methods[name] = definition
    for call in _self_calls(definition):
        if call in owner and helper_definition(src, _func_in(definition, call)) is not None:
            _collect(src, owner, call, methods)


def _self_calls(definition: cst.FunctionDef) -> list[str]:
    uses = SelfUses()
    definition.body.visit(uses)
    return list(dict.fromkeys(uses.called))


def _func_in(definition: cst.FunctionDef, name: str) -> cst.BaseExpression:
    """The ``self.<name>`` the body calls, as its node (helper_definition locates it)."""
    found: list[cst.BaseExpression] = []

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if self_attribute(node.func) == name and not found:
                found.append(node.func)

    definition.body.visit(Visitor())
    return found[0]


def _reads_through(method: str, methods: dict[str, cst.FunctionDef], owner, seen: frozenset[str] = frozenset()) -> list[str]:
    """The attributes ``method`` reads of the object, itself or through the method helpers it
    calls (which it must pass them to), in the order first read; methods are not attributes."""
    uses = SelfUses()
    methods[method].body.visit(uses)
    found: list[str] = []
    for attr in uses.reads:
        if attr in methods and attr not in seen | {method}:
            found += _reads_through(attr, methods, owner, seen | {method})
        elif attr not in owner:
            found.append(attr)
    return list(dict.fromkeys(found))


def _param_names(definition: cst.FunctionDef, attrs: list[str]) -> dict[str, str]:
    """Each attribute with the parameter that stands for it: its name without a leading ``_``,
    numbered when the method already uses that name."""
    return attribute_parameters(attrs, set(identifiers(definition)) - {"self"})


def _function(definition: cst.FunctionDef, name: str, params: dict[str, str]) -> str:
    """The method as a module function: no ``self``, each attribute's parameter before the
    first parameter with a default."""
    ordered = list(definition.params.params)[1:]
    at = _first_default(ordered)
    added = [cst.Param(cst.Name(param)) for param in params.values()]
    new = definition.params.with_changes(params=[*ordered[:at], *added, *ordered[at:]])
    function = definition.with_changes(name=cst.Name(name), params=new, leading_lines=())
    return cst.Module([function]).code.strip() + "\n"


def _first_default(params: list[cst.Param]) -> int:
    return next((index for index, param in enumerate(params) if param.default is not None), len(params))


class _Calls(cst.CSTTransformer):
    """``self.<method>(...)`` → ``<function>(..., <attr>=<value>)``; in a function's own body
    (``given``) ``self.<attr>`` → its parameter."""

    def __init__(self, names, reads, params, methods) -> None:
        self.names, self.reads, self.params, self.methods = names, reads, params, methods
        self.given: dict[str, cst.Name] | None = None

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        method = self_attribute(original.func)
        if method not in self.names:
            return updated
        ordered = list(self.methods[method].params.params)[1:]
        at = _first_default(ordered)
        args = []
        for index, arg in enumerate(updated.args):
            if arg.keyword is None and not arg.star and index >= at:
                # After the new parameters a positional argument would land on one of them.
                arg = arg.with_changes(keyword=cst.Name(ordered[index].name.value), equal=cst.AssignEqual())
            args.append(arg)
        for attr in self.reads[method]:
            value = self.given[attr] if self.given is not None else cst.parse_expression(f"self.{attr}")
            args.append(cst.Arg(value, keyword=cst.Name(self.params[method][attr]), equal=cst.AssignEqual()))
        args = [arg.with_changes(comma=cst.MaybeSentinel.DEFAULT) for arg in args]
        return updated.with_changes(func=cst.Name(self.names[method]), args=args)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        attr = self_attribute(original)
        if self.given is None or attr not in self.given:
            return updated
        return self.given[attr].with_changes(lpar=updated.lpar, rpar=updated.rpar)
