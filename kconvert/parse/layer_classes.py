"""Reading a ``keras.layers.Layer`` subclass of the file as a block definition.

``class ResidualBlock(layers.Layer)`` made with ``ResidualBlock(16)`` and
called on tensors is one block with the parameters of its ``__init__``: the
layers of ``__init__`` and ``build``, the forward pass of ``call``.  Read as
such, a model that calls it can be compared with one that calls the helper
function it was written from, layer by layer.
"""

from __future__ import annotations


import libcst as cst

from ..ir.graph import Graph
from ..ir.model_parts import Block
from ..ir.nodes import Input
from ..ir.returned import spread
from ..ir.source_text import placeholder, ref
from .build_reads import bound_in, lift_shape_locals, on_input, read_build
from .builder import GraphBuilder, Refusal
from .helper_blocks import tensor_tuple
from .model_classes import traces_call
from .names_in import identifiers
from .source import SourceFile
from .subclass.call import CallLifter
from .subclass.captured import check_comprehension_names, check_shared_names
from .subclass.constructor import read_init
from .subclass.raise_guards import joined

# Methods a block class may have besides the ones read: they change no layer or tensor.
CONFIG_METHODS = frozenset({"get_config", "from_config", "compute_output_shape"})


def layer_class_block(src: SourceFile, name: str) -> Block | None:
    """The block the module-level Layer class ``name`` defines, or None when it is no such class
    or its code is more than layers made once and called in ``call``."""
    cls = next(
        (item for item in src.module.body if isinstance(item, cst.ClassDef) and item.name.value == name), None
    )
    if cls is None or not any(_is_layer(src, base.value) for base in cls.bases):
        return None
    methods = {item.name.value: item for item in cls.body.body if isinstance(item, cst.FunctionDef)}
    if "call" not in methods or set(methods) - CONFIG_METHODS - {"__init__", "build", "call"}:
        return None
    call = methods["call"]
    try:
        init = read_init(src, cls, methods.get("__init__"))
        check_shared_names(src, init, methods.get("__init__"), call)
        build = methods.get("build")
        # One that only traces call(), as kconvert writes it for a Normalization, makes nothing.
        build = None if build is not None and traces_call(build) else build
        built_locals, shaped, from_call = read_build(src, cls, init, build, call)
        # The tensors: ``call(self, x, skip, training=None)`` takes ``x`` and ``skip``, as the
        # helper ``decoder_block(x, skip, filters)`` it was written from did; the rest are flags.
        params = [*call.params.params[1:2], *(param for param in call.params.params[2:] if param.default is None)]
        if not params:
            return None
        tensors = {param.name.value for param in params}
        flags = {param.name.value for param in (*call.params.params, *call.params.kwonly_params)[1:]} - tensors
        builder = GraphBuilder(src)
        lifter = CallLifter(src, builder, init, call, flags=flags)
        values = [builder.new_value() for _ in params]
        lifter.env.update((param.name.value, value) for param, value in zip(params, values))
        lifter.statements(init.locals)
        if build is not None:
            lift_shape_locals(lifter, build, built_locals, shaped, values[0])
        # The values build()'s layers are made from: its own locals, and call()'s of the same name.
        made_from = {name: lifter.env[name] for name in bound_in(built_locals, shaped) if name in lifter.env}
        prelude = len(lifter.nodes)
        lifter.statements(call.body.body)
        made_from.update((name, lifter.env[name]) for name in from_call if name in lifter.env)
    except Refusal:
        return None
    if lifter.outputs is None:
        return None
    before, after = joined(lifter.nodes[:prelude], lifter.nodes[prelude:])
    outputs, nodes = lifter.outputs, tuple(after)
    whole = len(outputs.values) == 1 and outputs.text == placeholder(outputs.values[0])
    spread_out = spread(nodes, outputs.values[0]) if whole else None
    if spread_out is not None:
        # ``outputs = [a, b]; return outputs`` returns the list, as a helper's block does.
        nodes, packed, _ = spread_out
        outputs = packed.expr
    body = (
        *(Input(value, (), src.loc(call), param.name.value) for param, value in zip(params, values)),
        *before,
        *lifter.defines,
        *nodes,
    )
    graph = Graph(
        layers=tuple(
            on_input(src, layer, build, values[0], made_from)
            for layer in builder.layers
        ),
        body=body,
        inputs=ref(values[0]) if len(values) == 1 else tensor_tuple(values),
        outputs=outputs,
        loc=src.loc(cls),
        params=init.params,
        aliases=tuple(builder.aliases),
        returns=lifter.returned_at,
    )
    try:
        check_comprehension_names(graph, lifter.scoped_loops)
    except Refusal:
        return None  # kept a layer of its own, as the class it is
    return Block(name, graph, src.loc(cls))


def layer_class_reads(src: SourceFile) -> dict[str, frozenset[str]]:
    """The names each module-level Layer class of the file mentions: a model one of them makes
    (``self.experts = [make_expert() ...]``) is a part of that layer, built on what it is given."""
    return {
        item.name.value: identifiers(item)
        for item in src.module.body
        if isinstance(item, cst.ClassDef) and any(_is_layer(src, base.value) for base in item.bases)
    }


def _is_layer(src: SourceFile, base: cst.BaseExpression) -> bool:
    keras = src.keras(base)
    return keras is not None and keras.path in ("layers.Layer", "Layer")
