"""Writing an IR graph as a class whose ``__init__`` builds it with the Functional API.

The keras-hub backbone form: ``__init__`` takes the graph's parameters, makes the
tensors exactly as Functional code does (emit/functional.py writes them), hands
them to ``super().__init__(inputs=..., outputs=..., **kwargs)``, stores its
parameters for ``get_config`` and sets the model up as the source class did (``self.compile(...)``).  The class is registered for saving
(emit/serializable.py); the source class's own methods (``train_step``) are kept.
After the class, the model is made under the source's variable name; it needs no
build, since a Functional model is built when it is made.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

import libcst as cst

from ..ir.block_params import assigned_in
from ..ir.graph import Graph
from ..ir.given_layers import called_params
from ..ir.layer_makers import layer_makers
from ..ir.learned_params import learned_params
from ..ir.nodes import Define, Stmt
from ..ir.reads import names_read, only_imports, self_attributes
from .builder import signature
from .context import EmitContext, EmitRefusal
from .comments import Remarks
from .docstrings import doc_lines, joined
from .functional import graph_writer
from .given import instance_arguments
from .layer_attributes import as_attributes
from .module_level import without_definitions
from .outer_changes import refuse_outer_changes
from .render import format_parts, render, render_args
from .string_lines import code_lines
from .serializable import (
    class_head,
    computed_name_lines,
    config_lines,
    constructor,
    kept_methods,
    stored_lines,
    without_name_param,
)
from .subclass.class_name import class_name


def emit_functional_subclass(graph: Graph, ctx: EmitContext) -> str:
    graph, definitions = without_definitions(without_name_param(graph), ctx)
    read = ctx.attributes.union(*(self_attributes(method.code) for method in kept_methods(graph)))
    graph = as_attributes(graph, read)
    # Layers the rest of the file reads (``dense_1.get_weights()``) are made where it sees them.
    kept = [node for node in graph.body if isinstance(node, Define) and graph.layer(node.layer).name in ctx.kept]
    # An import among the model's lines (a notebook's `from keras import Model` just above the
    # model) stays at module level, above the class that may need what it binds.
    imports = [node for node in graph.body if isinstance(node, Stmt) and only_imports(cst.parse_statement(node.code))]
    graph = replace(graph, body=tuple(node for node in graph.body if node not in kept and node not in imports))
    _refuse_layer_attributes(graph)
    refuse_outer_changes(graph, ctx, "functional-subclass")
    name = class_name(graph, ctx)
    before = [node.code.strip() for node in imports]
    kept_lines = [f"{graph.layer(node.layer).name} = {graph.layer(node.layer).constructor()}" for node in kept]
    base = graph.base.text if graph.base is not None else ctx.symbols.model
    members, remarks, beside = _members(graph, ctx, name)
    # The class replaces a class or a builder named like one: their docstring is its own.
    lines = class_head(graph, ctx, [f"class {name}({base}):{beside}"])
    for index, member in enumerate(members):
        lines += ([""] if index else []) + [textwrap.indent(line, "    ") if line else "" for line in member]
    outer = instance_arguments(graph.params)
    outer += computed_name_lines(graph, ctx, list(graph.params), graph_first=True)[1]
    # The builder's ``**kwargs`` went to ``keras.Model(...)``: the class passes them on to it.
    outer += [f"**{arg.value.text}" for arg in graph.extra if arg.star == "**"]
    # A builder returns the instance it makes, built by its own constructor.
    made = f"return {name}({', '.join(outer)})" if ctx.target is None else f"{ctx.target} = {name}({', '.join(outer)})"
    # What was said above the model's own line (``# Define the model``) is said above the instance.
    made_lines = remarks.around([made], graph.loc, blank=False)
    parts = [(before, ctx.indent)] + [(definition.splitlines(), ctx.indent) for definition in definitions]
    # A plain class's methods the model calls, as functions of the module above the class.
    parts += [(function.splitlines(), ctx.class_indent) for function in graph.functions]
    parts += [(kept_lines, ctx.indent), (lines, ctx.class_indent), (made_lines, ctx.indent)]
    return format_parts(parts, ctx.layout)


def _members(graph: Graph, ctx: EmitContext, name: str) -> tuple[list[list[str]], Remarks, str]:
    """``__init__``, the source class's own methods, then ``get_config``: each as its lines; the
    comments the graph's code did not take; and the comment beside the class line, if any."""
    learned = learned_params(graph)
    graph = _guarded(graph, learned)
    # The tensors are locals of __init__: only the names its code reads are taken.
    reserved = names_read(graph) | {"self", name, "name", "kwargs"} | {param.name for param in graph.params}
    writer = graph_writer(graph, ctx, frozenset(reserved))
    body, names = writer.lines, writer.namer.names
    extra = tuple(arg for arg in graph.extra if arg.star != "**")
    params, super_args = constructor(graph, list(graph.params), [render_args(extra, names)] if extra else [])
    arguments = [f"inputs={render(graph.inputs, names)}", f"outputs={render(graph.outputs, names)}"]
    # A tensor the caller gives (``input_tensor``) is no configuration: made again from its config,
    # the class builds a new Input, as Keras does when it loads a Functional model.
    given = {name for node in graph.inputs_in_order() for name in node.given}
    stored = [param for param in params if param.name not in given]
    set_up = frozenset(name for setup in graph.setup for name in setup.sets)
    # A parameter the graph's code assigns to (``units = units * 2``) is kept as given, before that
    # code: made again from its config, the class assigns to it again.
    rebound = assigned_in(graph.body)
    init = [f"def __init__(self, {signature(tuple(params))}):"]
    init += ["    " + line for line in doc_lines(joined(graph.init_doc, graph.call_doc))]
    kept = [param for param in stored if param.name not in learned]
    init += ["    " + line for line in stored_lines([param for param in kept if param.name in rebound], set_up, writer.remarks)]
    init += ["    " + line for line in body]
    init += ["    " + line for line in computed_name_lines(graph, ctx, list(graph.params), graph_first=True)[0]]
    made = f"super().__init__({', '.join(arguments + super_args)})"
    if ctx.makes_no_instance:
        # No line makes an instance: the class stands for the model's own line, and what was said
        # beside it goes beside the class line; what was said above it, above the line making it.
        beside = writer.remarks.around([""], graph.loc, above=False)[-1]
        init += ["    " + line for line in writer.remarks.around([made], graph.loc, graph.returns)]
    else:
        beside = ""
        init += ["    " + line for line in writer.remarks.around([made], graph.returns)]
    init += ["    " + line for line in stored_lines([param for param in kept if param.name not in rebound], set_up, writer.remarks)]
    init += ["    " + line if line else "" for setup in graph.setup for line in code_lines(setup.code)]
    members = [init] + [code_lines(method.code) for method in kept_methods(graph)]
    lines = [line for member in members for line in member]
    config = config_lines(stored, ctx, lines, layer_makers(graph), frozenset(learned), called_params(graph))
    members += [config] if config else []
    return members, writer.remarks, beside


def _guarded(graph: Graph, learned: dict[str, frozenset[int]]) -> Graph:
    """Each statement that learns layer state from a parameter (``norm.adapt(data)``) under
    ``if data is not None:``: the class made again from its config is given no data, and its
    weights bring the state back (ir/learned_params.py)."""

    def guarded(node):
        tested = [name for name, ids in learned.items() if id(node) in ids]
        if not isinstance(node, Stmt) or not tested:
            return node
        test = " and ".join(f"{name} is not None" for name in tested)
        return replace(node, code=f"if {test}:\n" + textwrap.indent(node.code.strip("\n"), "    ") + "\n")

    return replace(graph, body=tuple(guarded(node) for node in graph.body)) if learned else graph


def _refuse_layer_attributes(graph: Graph) -> None:
    """A kept method that reads a subclass's layer attribute (``self.encoder``) would find none:
    this class keeps its layers in the graph, not as attributes."""
    layers = {layer.name for layer in graph.layers if layer.name} - {param.name for param in graph.params}
    for method in kept_methods(graph):
        read = self_attributes(method.code) & layers
        if read:
            attribute = sorted(read)[0]
            raise EmitRefusal(
                method.loc,
                f"`{method.name}` reads the layer `self.{attribute}`, which a functional-subclass does not"
                " keep as an attribute",
                "read it with `self.get_layer(...)`, or keep this model a subclass",
            )
