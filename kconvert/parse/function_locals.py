"""Values a builder function computes before its model that the model's own code reads.

``total`` in ``for i in range(n): total += i`` before ``Dense(total)``: the Functional
and Sequential targets keep the model's code where it is, but a class target moves it
into a class at module level, where the function's locals do not exist.  The
statements that only prepare the model's arguments (``parse/prelude.py``) are moved
with it; anything else the moved code reads is found here, by libcst's scope
analysis of the function, so that the conversion is refused with the line of the
local rather than failing the safety check.  The other way, a class built on a shape that the
function building it computes cannot become graph code at module level (``shape_out_of_reach``).
"""

from __future__ import annotations

import builtins
from dataclasses import replace

import libcst as cst
from libcst.metadata import Assignment

from ..ir.graph import Graph
from ..ir.nodes import Input
from ..ir.reads import identifiers_of, names_read, params_of
from ..ir.source_text import Loc
from ..types import Diagnostic, Style
from .module_index import module_bindings
from .names_in import bound_names
from .sites import ModelSite
from .source import SourceFile


def function_local_problem(src: SourceFile, site: ModelSite, target: Style) -> Diagnostic | None:
    """Why a class made of a builder function's model could not read what the model reads there:
    a layer the function made before the model, or another local it computed."""
    layer = _local_layer(site)
    if layer is not None:
        name, loc = layer
        message = f"`{name}` is made in `{site.scope}` before the model"
        hint = f"make `{name}` inside the model's code, pass it in as a parameter"
    else:
        computed = local_read_by_class(src, site, site.graph, with_inputs=target is Style.FUNCTIONAL_SUBCLASS)
        if computed is None:
            return None
        name, loc = computed
        message = f"`{name}` is computed in `{site.scope}` before the model, and the model reads it"
        hint = f"compute `{name}` inside the model's code, make it a parameter of `{site.scope}`"
    return Diagnostic(
        loc.line,
        loc.col,
        f"{message}; a {target} model is a class at module level, which cannot read the function's locals",
        f"{hint}, or keep this model Functional",
    )


def shape_out_of_reach(src: SourceFile, site: ModelSite, target: Style) -> Diagnostic | None:
    """Why a class built in a function on a shape that function computes (``model(keras.Input(
    shape=(n,)))`` in ``def build(n)``, ``img_shape = (64, 64, 3)`` there) cannot become graph
    code: that code is written where the class is, at module level, where those names do not
    exist.  Its own parameters, the module's names and builtins it can read.  (A class that
    builds a graph makes its inputs in its own code.)"""
    if site.style is not Style.SUBCLASS:
        return None
    reach = module_bindings(src.module) | {param.name for param in site.graph.params} | set(dir(builtins))
    for node in site.graph.inputs_in_order():
        for arg in node.args:
            outside = sorted(identifiers_of(arg.value.text) - reach - {"self"})
            if outside:
                return Diagnostic(
                    site.loc.line,
                    site.loc.col,
                    f"`{site.name}` is built on an input shape that reads `{outside[0]}`, a name of the"
                    f" function that builds it; a {target} model is written where the class is, at"
                    " module level, which cannot read it",
                    "pass the shape with --input-shape, or build the model on a shape the module has",
                )
    return None


def _local_layer(site: ModelSite) -> tuple[str, Loc] | None:
    """A layer the model uses that its builder function made before the model's own code."""
    if site.scope is None or site.graph is None:
        return None
    before = site.block.body[: site.start]
    bound = {name: statement for statement in before for name in bound_names(statement)}
    for layer in site.graph.layers:
        if layer.binding == "external" and layer.reference is not None and layer.reference.text in bound:
            return layer.reference.text, layer.loc
    return None


def local_read_by_class(src: SourceFile, site: ModelSite, graph: Graph, with_inputs: bool) -> tuple[str, Loc] | None:
    """The first function local, bound before the model's statements, that the class would read.

    ``with_inputs`` says whether the model's inputs are made inside the class too (a
    functional-subclass), or at the call site (a subclass built on ``keras.Input``).
    """
    if site.scope is None or site.start >= site.end:
        return None
    statements = site.block.body[site.start : site.end]
    first, last = src.loc(statements[0]).line, src.end_line(statements[-1])
    scope = src.scope(statements[0])
    if scope is None:
        return None
    # A computed ``name=`` reading a local is passed where the function makes the class.
    graph = replace(graph, name=None)
    read = names_read(graph) if with_inputs else _read_without_inputs(graph)
    params = _parameter_names(src, site.block)
    found: list[tuple[Loc, str]] = []
    for access in scope.accesses:
        node = access.node
        if not isinstance(node, cst.Name) or node.value in params or node.value not in read:
            continue
        line = src.loc(node).line
        if not first <= line <= last:
            continue
        for referent in access.referents:
            if isinstance(referent, Assignment) and referent.scope is scope and _before(src, referent.node, first):
                found.append((src.loc(referent.node), node.value))
                break
    if not found:
        return None
    loc, name = min(found, key=lambda pair: (pair[0].line, pair[0].col))
    return name, loc


def _read_without_inputs(graph: Graph) -> frozenset[str]:
    """What the model reads, but for the arguments of its ``keras.Input`` calls."""
    inputs = tuple(node for node in graph.body if isinstance(node, Input) and node.choice is None)
    bare = tuple(Input(node.out, (), node.loc, node.name) if node in inputs else node for node in graph.body)
    return names_read(replace(graph, body=bare))


def _before(src: SourceFile, node: cst.CSTNode, line: int) -> bool:
    try:
        return src.loc(node).line < line
    except KeyError:
        return False


def _parameter_names(src: SourceFile, block: cst.CSTNode) -> set[str]:
    node = block
    while node is not None and not isinstance(node, cst.FunctionDef):
        node = src.parent(node)
    if node is None:
        return set()
    return {param.name.value for param in params_of(node)}
