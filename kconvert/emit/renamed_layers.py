"""A layer's name given to another layer before the model calls the first: graph code cannot.

A subclass's ``__init__`` may bind ``dense = Dense(8)`` at each pass of a helper written out
there and keep each layer as an attribute; its call() calls them by their attributes.  Graph
code (Functional, functional-subclass, Sequential) calls a layer by its name, which by then
names the last layer bound to it: written so, the model called one layer twice.
"""

from __future__ import annotations

from ..ir.graph import Graph
from ..ir.nodes import Call, Define, Stmt
from ..ir.reads import statement_binds
from ..ir.source_text import Loc
from .context import EmitRefusal


def refuse_renamed_layers(graph: Graph) -> None:
    """A layer's name given to another layer before its call (a subclass's ``__init__`` binding
    ``dense = Dense(8)`` twice, its call() calling both by their attributes): graph code calls a
    layer by its name, which then names the other one.  The k-th layer of a name must be called
    while the k-th line binding that name holds."""
    named = [layer for layer in graph.layers if layer.binding == "named" and layer.name]
    shared = {layer.name for layer in named if sum(other.name == layer.name for other in named) > 1}
    ordinal = {layer.id: [other.id for other in named if other.name == layer.name].index(layer.id) for layer in named}
    bindings: dict[str, list[Loc]] = {}
    for node in graph.body:
        if isinstance(node, Define) and graph.layer(node.layer).name in shared:
            bindings.setdefault(graph.layer(node.layer).name, []).append(node.loc)
        elif isinstance(node, Stmt):
            for name in statement_binds(node.code) & shared:
                bindings.setdefault(name, []).append(node.loc)
        elif isinstance(node, Call) and graph.layer(node.layer).name in shared:
            layer = graph.layer(node.layer)
            bound = bindings.get(layer.name, [])
            if len(bound) > ordinal[layer.id] + 1:
                raise EmitRefusal(
                    bound[ordinal[layer.id] + 1],
                    f"`{layer.name}` names another layer here, before the model calls the one it named"
                    " first; graph code calls each layer by its name",
                    f"give each layer a name of its own (`{layer.name}_1 = ...`), or keep this model in its"
                    " current style",
                )
