"""A subclass built on the shape its maker has (``input_shape``), to a model that makes its Input.

to-subclass leaves a builder parameter only the model's ``Input`` reads out of the class
(``def build_model(input_shape, classes): model = Net(classes=classes);
model(keras.Input(shape=input_shape)); return model``): a subclass has no use for it.  Graph
code makes its ``Input`` itself, written where the class is (a class that builds a graph, or
a builder function named like the class) or in the one function that makes the model
(rewrite/builder_site.py, which needs nothing of this).  Written where the class is, the names
the shape reads become the model's parameters (in the builder's order, with its defaults, when
one builder makes the model) and each line that makes the model passes them
(``Net(input_shape=input_shape, classes=classes)``), as to-functional-subclass writes the
builder in the first place.  Every use of the class must be such a line followed by its build
line, where the names are bound; else the conversion is refused as before
(``parse/function_locals.shape_out_of_reach``).
"""

from __future__ import annotations

import builtins
from dataclasses import replace

import libcst as cst

from ..ir.graph import Graph
from ..ir.model_parts import Param
from ..ir.reads import identifiers_of, params_of
from ..ir.source_text import Code
from ..types import Diagnostic, Style
from ..parse.module_index import module_bindings
from ..parse.names_in import name_nodes
from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from .builder_site import only_builder
from .builds import built_instances, function_names


def with_shape_params(src: SourceFile, site: ModelSite) -> tuple[Graph, tuple[str, ...]] | None:
    """The class's graph with the names its inputs read that its module cannot as parameters of
    its own, and those names, which each line making the model passes; None when there are none,
    or a line making the model has no build line reading them."""
    graph = site.graph
    wanted = _unreached(src, site)
    uses = sum(name.value == site.name for name in name_nodes(src.module)) - 1
    if not wanted or len(built_instances(src, site)) != uses:
        return None
    found = only_builder(src, site)
    params = _in_builder_order(graph, found, set(wanted)) if found is not None else None
    if params is None:
        params = [*(Param(name) for name in wanted), *graph.params]
    return replace(graph, params=tuple(params)), tuple(wanted)


def _in_builder_order(graph: Graph, found, wanted: set[str]) -> list[Param] | None:
    """The class's parameters with the builder's ``wanted`` ones where the builder has them among
    those it passes on, with its defaults; None when its signature cannot have them so."""
    order = [param for param in params_of(found.function) if not param.star]
    if not wanted <= {param.name.value for param in order}:
        return None
    code = cst.Module([]).code_for_node
    new = {
        param.name.value: Param(param.name.value, Code(code(param.default)) if param.default is not None else None)
        for param in order
        if param.name.value in wanted
    }
    # Each parameter of the class the builder passes on as its own, where the builder has it.
    passed = {value: name for name, value in found.given.items() if value.isidentifier()}
    mine = {param.name: param for param in graph.params}
    params = []
    for param in order:
        name = param.name.value
        if name in new:
            params.append(new[name])
        elif passed.get(name) in mine:
            params.append(mine.pop(passed[name]))
    params += [param for param in graph.params if param.name in mine]
    plain = [param for param in params if not param.star]
    if any(later.default is None for at, param in enumerate(plain) if param.default is not None for later in plain[at:]):
        return None
    return params


def shape_out_of_reach(
    src: SourceFile, site: ModelSite, target: Style, builder: frozenset[str] = frozenset()
) -> Diagnostic | None:
    """Why a class built in a function on a shape that function computes (``model(keras.Input(
    shape=(n,)))`` in ``def build(n)``, ``img_shape = (64, 64, 3)`` there) cannot become graph
    code: that code is written where the class is, at module level, where those names do not
    exist.  Its own parameters, the module's names and builtins it can read, and ``builder``, the
    parameters of the function it is written in when it takes that function's place
    (rewrite/builder_site.py).  (A class that builds a graph makes its inputs in its own code.)"""
    if site.style is not Style.SUBCLASS:
        return None
    outside = _unreached(src, site, builder)
    if not outside:
        return None
    return Diagnostic(
        site.loc.line,
        site.loc.col,
        f"`{site.name}` is built on an input shape that reads `{outside[0]}`, a name of the"
        f" function that builds it; a {target} model is written where the class is, at"
        " module level, which cannot read it",
        "pass the shape with --input-shape, or build the model on a shape the module has",
    )


def _unreached(src: SourceFile, site: ModelSite, builder: frozenset[str] = frozenset()) -> list[str]:
    """The names the class's input shapes read that code written where the class is cannot: all
    but its own parameters, builtins, ``builder`` and the module's names, but for those the
    function building it binds itself (its ``img_size`` hides the module's)."""
    local = set().union(*(function_names(src, block) for block, _, _ in built_instances(src, site)))
    reach = (module_bindings(src.module) - local) | {param.name for param in site.graph.params} | set(dir(builtins)) | builder
    read = {name for node in site.graph.inputs_in_order() for arg in node.args for name in identifiers_of(arg.value.text)}
    return sorted(read - reach - {"self"})
