"""The one line that makes a class's model, where a graph style can write the model's own code.

A subclass made once at module level (``model = MLP()`` and nothing else in the file names
``MLP``) is, in the Functional API or as a Sequential, the module-level code a user writes:
``inputs = keras.Input(...)`` … ``model = keras.Model(...)`` in place of that line, and no
class.  A builder function named like the class would stand for a class that nothing else
needs, and it would make the round trip Functional → subclass → Functional end somewhere
else than it started.  Any other use (a second instance, arguments, ``isinstance``,
``custom_objects``) keeps the builder function, which every such use still calls, and so do
parameters of the class's own (``hidden=64``), which the builder keeps named.

Likewise a class whose only use is a module-level function that makes, builds and returns it
(``def build_model(hidden=64): model = MLP(hidden=hidden); model(keras.Input(...)); return
model``, what to-subclass writes for a builder) becomes that function's own code, each class
parameter the argument the function passes: no second function named like the class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import libcst as cst

from ..ir.code import Substitute, substitute
from ..ir.graph import Graph
from ..ir.reads import identifiers_of
from ..ir.texts import map_texts
from ..parse.module_index import call_assignment
from ..parse.names_in import name_nodes
from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from .splice import Replacement, comment_key, comments_in


def single_instance(src: SourceFile, site: ModelSite) -> tuple[int, str] | None:
    """``(index, variable)`` of the module-level ``variable = Cls()`` that is the only use of the
    class ``site``, when the model's code can stand there in its place."""
    graph = site.graph
    if site.block is not src.module or graph is None or graph.has_docs() or site.end != site.start + 1:
        return None
    # A class with parameters (``hidden=64``, ``use_bn``) is a model a caller can vary: its builder
    # function keeps them named.  ``name="regressor"`` is the model's name, ``**kwargs`` nothing.
    if any(not param.star and (param.name != "name" or param.default is None) for param in graph.params):
        return None
    found = None
    for index, statement in enumerate(src.module.body):
        if index == site.start:
            continue
        uses = sum(name.value == site.name for name in name_nodes(statement))
        if not uses:
            continue
        made = call_assignment(statement)
        if found is not None or uses > 1 or made is None or len(statement.body) > 1 or index < site.end:
            return None
        if not _bare_instance(made[1], site.name):
            return None
        found = index, made[0]
    return found


def at_instance(graph: Graph, given: Mapping[str, str] | None = None) -> Graph:
    """The graph as the instance line makes it: each parameter the argument ``given`` for it, else
    its default (``name="mlp"``), ``**kwargs`` nothing, so passing nothing on."""
    stars = {param.name for param in graph.params if param.star}
    extra = tuple(arg for arg in graph.extra if not identifiers_of(arg.value.text) & stars)
    values = {param.name: param.default.text for param in graph.params if param.default is not None}
    values.update(given or {})
    graph = replace(graph, params=(), extra=extra)
    if not values:
        return graph

    def statement(text: str) -> str:
        return cst.parse_module(text + "\n").visit(Substitute(values)).code[:-1]

    return map_texts(graph, lambda text: substitute(text, values), statement)


def _bare_instance(call: cst.Call, name: str) -> bool:
    return isinstance(call.func, cst.Name) and call.func.value == name and not call.args


def instance_replacements(
    src: SourceFile, site: ModelSite, index: int, new: tuple[cst.BaseStatement, ...]
) -> tuple[Replacement, ...] | None:
    """The class gone and the model's code in place of the line ``index`` that made it; None when
    a comment of the class would have nowhere to go."""
    placed = comments_in(new)
    if index == site.end:
        # The line right below the class: the code takes the class's place, its blank lines and
        # the comments above it.
        return (Replacement(src.module, site.start, index + 1, new, placed),)
    left = set(map(comment_key, comments_in(src.module.body[site.start : site.end]))) - set(map(comment_key, placed))
    if left:
        return None
    return Replacement(src.module, site.start, site.end, ()), Replacement(src.module, index, index + 1, new, placed)
