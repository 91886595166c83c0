"""Writing an IR graph as Functional API code.

One statement per layer call, ``inputs = keras.Input(...)`` first and
``model = keras.Model(inputs=..., outputs=...)`` last, loops kept as loops.
Names come from the source where it had them, else ``inputs`` / ``x`` /
``outputs``.  A model made from parameters is written as a builder function
(``def build_mlp(use_bn=False): ...``), ``if`` statements on them kept.  What a
class did to its model once made (``self.compile(...)``) follows the model's line.
"""

from __future__ import annotations

from ..ir.control import Cond, Loop
from ..ir.dataflow import has_else
from ..ir.graph import Graph
from ..ir.iteration import for_header
from ..ir.nodes import Call, Define, Input, Node, Op, Stmt
from ..ir.reads import names_read
from ..ir.source_text import Loc
from .branches import else_lines
from .branch_calls import inlined_calls, render_inline
from .comments import Remarks, after_comments, last_on_lines
from .context import EmitContext, NoInputShape, refuse_lost_methods
from .model_setup import setup_lines
from .nested_calls import nested_calls
from .names import Namer, block_test, copy_locs, default_name, enter_block, enter_else, leave_block, target_names
from .render import format_block, render, render_args, render_statement
from .renamed_layers import refuse_renamed_layers
from .string_lines import code_lines
from .subclass.names import free_name


def emit_functional(graph: Graph, ctx: EmitContext) -> str:
    refuse_lost_methods(graph, "Functional")
    writer = graph_writer(graph, ctx, ctx.reserved | ({ctx.target} if ctx.target else set()))
    names = writer.namer.names
    arguments = [f"inputs={render(graph.inputs, names)}", f"outputs={render(graph.outputs, names)}"]
    if graph.name is not None:
        arguments.append(f"name={render(graph.name, names)}")
    if graph.extra:
        arguments.append(render_args(graph.extra, names))
    model_class = graph.base.text if graph.base is not None else ctx.symbols.model
    model = f"{model_class}({', '.join(arguments)})"
    if not graph.setup:
        writer.write(f"return {model}" if ctx.target is None else f"{ctx.target} = {model}", graph.loc, graph.returns)
    else:
        # ``self.compile(...)`` of the class the model was: on the model, once it is made.
        target = ctx.target or free_name("model", ctx.reserved | set(names.values()) | names_read(graph))
        writer.write(f"{target} = {model}", graph.loc, graph.returns)
        writer.lines += setup_lines(graph, target)
        writer.lines += [f"return {target}"] if ctx.target is None else []
    return format_block("\n".join(writer.lines) + "\n", ctx.indent, ctx.layout)


def graph_lines(graph: Graph, ctx: EmitContext, reserved: frozenset[str]) -> tuple[list[str], dict[str, str]]:
    """The statements that build the graph's tensors, and the name each tensor got.

    Shared with the class whose ``__init__`` builds the same code (emit/functional_subclass.py).
    """
    writer = graph_writer(graph, ctx, reserved)
    return writer.lines, writer.namer.names


def graph_writer(graph: Graph, ctx: EmitContext, reserved: frozenset[str]) -> "_Writer":
    """A writer that has written the graph's tensors; the model's own line is the caller's."""
    for node in graph.inputs_in_order():
        # A line that makes the input (``inputs = create_model_inputs()``) is written as it was.
        if not node.args and node.choice is None:
            raise NoInputShape(node.loc)
    refuse_renamed_layers(graph)
    writer = _Writer(graph, ctx, reserved)
    writer.body(graph.body, "")
    return writer


def block_lines(graph: Graph, ctx: EmitContext, reserved: frozenset[str]) -> list[str]:
    """The statements of a helper block's body, its tensor parameters named as its ``Input`` nodes,
    then the ``return`` of its outputs.

    Unlike a model's inputs, a parameter's name is free once it is last read (``x = ...(x)``).
    """
    writer = _Writer(graph, ctx, reserved, keep_inputs=False)
    for node in graph.inputs_in_order():
        writer.namer.bind(node.out, node.name or "x", fixed=True)
    writer.body(tuple(node for node in graph.body if not isinstance(node, Input)), "")
    writer.write(f"return {render(graph.outputs, writer.namer.names)}", graph.returns)
    return writer.lines


class _Writer:
    def __init__(self, graph: Graph, ctx: EmitContext, reserved: frozenset[str], keep_inputs: bool = True) -> None:
        self.graph = graph
        self.ctx = ctx
        self.namer = Namer(graph, reserved | _layer_names(graph), keep_inputs)
        self.lines: list[str] = []
        # Tensors a loop leaves for its next iteration: each must have its carried name.
        self.fixed: dict[str, str] = {}
        self.remarks = Remarks(graph)
        # The calls written inside the expression that reads them, by the tensor each makes.
        self.inline: dict[str, str] = {}

    def name(self, node: Input | Call | Op) -> str:
        """The assignment target for the node's tensors: ``x``, or ``seq, h, c`` when unpacked."""
        made = ((node.out, node.name or default_name(self.graph, node)), *getattr(node, "more", ()))
        return target_names(self.namer, self.fixed, made)

    def body(self, body: tuple[Node, ...], indent: str) -> None:
        inlined = inlined_calls(self.graph, body, strict=False) | nested_calls(self.graph, body)
        last = last_on_lines(body)
        for node in body:
            self.namer.advance(node)
            if isinstance(node, Call) and id(node) in inlined:
                # Run only in a branch of the expression after it: written there, as the source had it.
                self.inline[node.out] = _call(self.graph, node, {**self.namer.names, **self.inline})
            elif isinstance(node, Op) and id(node) in inlined:
                self.inline[node.out] = render_inline(node.expr, self.namer.names, self.inline)
            elif isinstance(node, Stmt):
                lines = [indent + line for line in code_lines(render_statement(node.reads, self.namer.names))]
                self.lines += self.remarks.around(lines, node.loc, beside=False)
            elif isinstance(node, Define):
                layer = self.graph.layer(node.layer)
                made = layer.constructor(called=bool(self.graph.calls_of(layer.id)))
                self.write(f"{indent}{layer.name} = {made}", node.loc, layer.loc)
            elif isinstance(node, Input) and node.choice is not None:
                self.namer.bind(node.out, node.name, fixed=True)
                self.write("\n".join(indent + line if line else line for line in code_lines(node.choice)), node.loc)
            elif isinstance(node, Input):
                args = render_args(node.args, self.namer.names)
                factory = node.factory.text if node.factory else self.ctx.symbols.input
                # An Input the source did not write (its first layer's ``input_shape=``) leaves the
                # comments of that layer's line to the layer's call, even of a layer made apart and
                # listed there; a subclass's (the line of its ``call``) takes what opened its
                # constructor (parse/comments.py).
                layer_lines = {layer.loc.line for layer in self.graph.layers}
                layer_lines |= {call.loc.line for call in self.graph.walk() if isinstance(call, Call)}
                mine = node.factory or node.loc.line not in layer_lines
                # Else the model's code starts here: what titled the statement that made it goes
                # above, and the blank line that set it off, unless nothing is written above to set
                # it off from (the layers it lists, written out): the model's own line keeps that.
                loc, blank = (node.loc, True) if mine else (self.graph.loc, bool(self.lines))
                self.write(f"{indent}{self.name(node)} = {factory}({args})", loc, after=bool(mine), blank=blank)
            elif isinstance(node, Call):
                call = _call(self.graph, node, {**self.namer.names, **self.inline})
                locs = (node.loc, self.graph.layer(node.layer).loc)
                self.write(f"{indent}{self.name(node)} = {call}", *locs, after=id(node) in last)
            elif isinstance(node, Op) and node.changes is not None:
                expr = render(node.expr, self.namer.names)
                self.namer.bind(node.out, self.namer[node.changes], fixed=True)
                self.write(f"{indent}{expr}", node.loc)
            elif isinstance(node, Op):
                expr = render_inline(node.expr, self.namer.names, self.inline)
                self.write(f"{indent}{self.name(node)} = {expr}", node.loc, after=id(node) in last)
            elif isinstance(node, Loop):
                items = [(item.name, render(item.source, self.namer.names)) for item in node.items]
                header = for_header(node.target, render(node.iterable, self.namer.names), items)
                self.carry(node, header, indent)
            elif isinstance(node, Cond):
                self.carry(node, None, indent)

    def write(self, statement: str, *locs: Loc, after: bool = True, blank: bool = True) -> None:
        """One statement, with the comments of the source lines it comes from, and the copies
        (``res = x``) that naming its tensors made due.  ``after`` and ``blank``: as ``Remarks.around``'s."""
        made = self.remarks.around(code_lines(statement), *locs, after=after, blank=blank)
        self.lines += after_comments(made, self.namer.take_copies())

    def carry(self, node: Loop | Cond, header: str | None, indent: str) -> None:
        """The block; an ``if`` (no ``header`` given) tests the carried names."""
        names, copies = enter_block(self.namer, node, self.fixed)
        if header is None:
            header = f"if {render(block_test(node), self.namer.names)}:"
        # A comment beside the copy (``res = x  # Set aside residual``) was recorded above the
        # block's header: it stays above the copy.
        self.lines += self.remarks.with_copies([f"{indent}{header}"], node.loc, [*copies, *self.namer.take_copies()])
        self.body(node.body, indent + "    ")
        ends = [f"{indent}    {line}" for line in leave_block(self.namer, node, names)]
        self.lines += self.remarks.around(ends, *copy_locs(node))
        if isinstance(node, Cond) and has_else(node):
            enter_else(self.namer, node, names)
            start = len(self.lines)
            self.body(node.orelse, indent + "    ")
            copies = [f"{indent}    {line}" for line in leave_block(self.namer, node, names, "other")]
            copies = self.remarks.around(copies, *copy_locs(node, "other"))
            self.lines[start:] = else_lines(self.lines[start:], copies, node.orelse, indent)


def _layer_names(graph: Graph) -> frozenset[str]:
    """The names the code calls layers by (``block = Dense(8)``, a layer made outside): a tensor
    that took one (a subclass names a call's output after its attribute) would hide the layer
    from its next call."""
    named = {layer.name for layer in graph.layers if layer.binding == "named" and layer.name}
    # A graph class's layer attribute (``self.body``) is read back as the name ``body``.
    named |= {name.removeprefix("self.") for name in named}
    named |= {layer.reference.text for layer in graph.layers if layer.reference and layer.reference.text.isidentifier()}
    return frozenset(named)


def _call(graph: Graph, call: Call, names) -> str:
    """The call's expression; a layer the source made with a merge helper keeps that spelling."""
    layer = graph.layer(call.layer)
    if layer.function is not None and layer.binding == "inline":
        return f"{layer.function.text}({render_args(call.args + layer.args, names)})"
    return f"{_callee(graph, call, names)}({render_args(call.args, names)})"


def _callee(graph: Graph, call: Call, names) -> str:
    layer = graph.layer(call.layer)
    if layer.binding == "named":
        return layer.name
    # Called on a tensor, a layer ignores ``input_shape=`` (Keras 3 warns of it): the model's
    # ``keras.Input`` gives the shape.
    if layer.reads_tensors:
        return f"{layer.factory.text}({render_args(layer.kept_args(), names)})"
    return layer.constructor(called=True)
