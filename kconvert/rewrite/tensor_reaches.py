"""Code after a model that reads a tensor of the model's code (``inputs``, ``z_mean``), when the
model becomes a class that builds its graph: the class makes those tensors in its ``__init__``,
where later code cannot read them, but the model holds the very same tensors.  Each read becomes
the way to its tensor through the model (``encoder.input``, ``encoder.outputs[1]``,
``encoder.get_layer("z").output``), as a person converting by hand writes it."""

from __future__ import annotations

import re

import libcst as cst

from ..ir.nodes import Call
from ..ir.source_text import Code, Loc
from ..parse.graph_uses import named_literal
from ..parse.names_in import bound_names
from ..parse.sites import ModelSite, block_statements
from ..parse.source import SourceFile


def tensor_reach(site: ModelSite, name: str) -> str | None:
    """The expression that is the tensor ``name`` of ``site``'s code, reached through the model:
    ``model.input`` (``model.inputs[i]`` of several), ``model.output`` (``model.outputs[i]``), or
    ``model.get_layer("n").output`` of a layer made with ``name="n"`` and called once.  None when
    the model's code binds ``name`` more than once (which tensor is meant is the last line's) or
    reaches it no such way."""
    graph = site.graph
    if graph is None or not _bound_once(site, name):
        return None
    inputs = [node for node in graph.inputs_in_order() if node.name == name]
    if inputs:
        return _among(site.name, "input", graph.inputs, inputs[0].out)
    made = _made(graph, name)
    if made is None:
        return None
    listed = _among(site.name, "output", graph.outputs, made.out)
    if listed is not None:
        return listed
    layer = _called_once(graph, made)
    named = [named_literal(arg.value.text) for arg in layer.args if arg.keyword == "name"] if layer else []
    if named and isinstance(named[0], str) and '"' not in named[0] and "\\" not in named[0]:
        return f'{site.name}.get_layer("{named[0]}").output'
    return None


def nameable(site: ModelSite, name: str) -> bool:
    """Whether the tensor ``name`` is the one output of a layer the model makes, calls once and
    gives no ``name=``: given one, ``model.get_layer(NAME).output`` would reach it."""
    made = _made(site.graph, name) if site.graph is not None and _bound_once(site, name) else None
    layer = _called_once(site.graph, made) if made is not None else None
    return layer is not None and not any(arg.keyword == "name" for arg in layer.args)


def _bound_once(site: ModelSite, name: str) -> bool:
    statements = block_statements(site.block)[site.start : site.end]
    return sum(name in bound_names(statement) for statement in statements) == 1


def _made(graph, name: str) -> Call | None:
    """The one call of the model's code that binds ``name``, with one output."""
    made = [node for node in graph.body if isinstance(node, Call) and node.name == name]
    return made[0] if len(made) == 1 and not made[0].more else None


def _called_once(graph, made: Call):
    """The layer ``made`` calls, when the model makes it and calls it there alone: its ``output``
    is that call's tensor."""
    layer = graph.layer(made.layer)
    calls = [node for node in graph.walk() if isinstance(node, Call) and node.layer == layer.id]
    return layer if len(calls) == 1 and layer.binding != "external" else None


def _among(model: str, kind: str, listed: Code, value: str) -> str | None:
    """``model.input`` when ``listed`` (the model's inputs or outputs) is the tensor ``value``
    alone, ``model.inputs[i]`` when it is a list or tuple of tensors with ``value`` at ``i``:
    Keras keeps the structure the model was given in ``input``, and the flat list in ``inputs``."""
    placeholders = dict(listed.refs)
    if placeholders.get(listed.text) == value:
        return f"{model}.{kind}"
    expr = cst.parse_expression(listed.text)
    if not isinstance(expr, (cst.List, cst.Tuple)) or not expr.elements:
        return None
    names = [element.value.value if isinstance(element.value, cst.Name) else None for element in expr.elements]
    if any(not isinstance(element, cst.Element) or name not in placeholders for element, name in zip(expr.elements, names)):
        return None
    values = [placeholders[name] for name in names]
    return f"{model}.{kind}s[{values.index(value)}]" if values.count(value) == 1 else None


def tensor_reaches(src: SourceFile, site: ModelSite) -> dict[Loc, str] | None:
    """Where later code reads a tensor of ``site``'s code, the expression each read becomes; None
    when one of them has no way through the model, when the model's variable may not be the model
    there (an attribute, or a name the file binds anywhere else: a function's own ``model``), or
    when later models build on the model's inputs (each class then makes its own)."""
    if not re.fullmatch(r"\w+", site.name) or site.shared or _bound_elsewhere(src, site.name):
        return None
    reaches: dict[Loc, str] = {}
    for name, reads in site.escaping_reads.items():
        reach = tensor_reach(site, name)
        if reach is None:
            return None
        reaches.update((loc, reach) for loc in reads)
    return reaches


def _bound_elsewhere(src: SourceFile, name: str) -> bool:
    """Whether ``name`` is bound more than once in the file, counting every scope (a parameter, an
    import, an assignment in a function): the model's own line is its only binding."""
    scopes = {id(scope): scope for scope in src.scopes() if scope is not None}.values()
    return sum(len(scope.assignments[name]) for scope in scopes) != 1


def reached(src: SourceFile, module: cst.Module, reaches: dict[Loc, str]) -> cst.Module:
    """``module`` with each name read at a location of ``reaches`` written as its expression."""
    return module.visit(_Reach(src, reaches)) if reaches else module


class _Reach(cst.CSTTransformer):
    def __init__(self, src: SourceFile, reaches: dict[Loc, str]) -> None:
        self.src = src
        self.reaches = reaches

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        try:
            reach = self.reaches.get(self.src.loc(original))
        except KeyError:
            # A node kconvert wrote: no read of the source's.
            return updated
        return updated if reach is None else cst.parse_expression(reach)
