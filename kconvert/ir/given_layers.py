"""A layer a block is given, as the block's instance makes it.

``ResidualBlock(activation=layers.Activation("relu"))`` calls ``activation(x)`` in
its body: compared with the helper it was (``residual_block(x,
activation=layers.Activation("relu"))``, whose layer is made at the call), that
call is of the layer the argument makes, one per instance.

A model's own parameter may hold layer objects it calls too (``head(x)``, or each of a
list, ``for down in stack: x = down(x)``): a class keeps them for ``get_config``, which
saves each as its own config (emit/serializable.py), as Keras asks of a layer's config.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from .control import Loop
from .graph import Graph
from .nodes import LayerDef
from .source_text import Arg, Code


def given_layer(layer: LayerDef, params: dict[str, str]) -> LayerDef:
    """``layer`` as the argument its block's instance gives the parameter that holds it
    (``params``: each parameter's argument); itself when it is no parameter, or the argument
    makes no layer there (a name the caller bound)."""
    if layer.binding != "external" or layer.reference is None or layer.reference.text not in params:
        return layer
    try:
        made = cst.parse_expression(params[layer.reference.text])
    except cst.ParserSyntaxError:
        return layer
    if not isinstance(made, cst.Call) or not isinstance(made.func, (cst.Name, cst.Attribute)):
        return layer
    text = cst.Module([]).code_for_node
    args = tuple(
        Arg(Code(text(arg.value)), arg.keyword.value if arg.keyword is not None else None, arg.star if isinstance(arg.star, str) else "")
        for arg in made.args
    )
    factory = text(made.func)
    return replace(layer, type_name=factory.rsplit(".", 1)[-1], factory=Code(factory), args=args, binding="inline", name=None, reference=None)


def called_params(graph: Graph) -> frozenset[str]:
    """The parameters of ``graph`` that hold layer objects it calls: ``head`` of ``x = head(x)``,
    and ``stack`` of ``for down in stack: x = down(x)``, whose items the loop calls."""
    params = {param.name for param in graph.params if not param.star}
    return _called(graph) & params


def layer_sources(graph: Graph) -> frozenset[str]:
    """The names ``graph`` takes its layers from: those holding layer objects it calls (``head``,
    ``stack``) and the functions or methods it calls to make one (``_down`` of ``self._down(8)(x)``)."""
    made = {layer.factory.text.removeprefix("self.") for layer in graph.layers if layer.factory is not None}
    return frozenset(name for name in _called(graph) | made if name.isidentifier())


def _called(graph: Graph) -> frozenset[str]:
    called = {layer.reference.text for layer in graph.layers if layer.binding == "external" and layer.reference is not None}
    called |= {node.iterable.text for node in graph.walk() if isinstance(node, Loop) and graph.drawn_layers(node)}
    return frozenset(called)
