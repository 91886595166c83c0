"""Writing an IR graph as a ``keras.Model`` subclass, and the line that makes it.

``__init__`` (emit/subclass/constructor.py) takes the graph's parameters and creates
every layer once, as ``self.<attr>``; a layer made in a loop becomes a list
built by a comprehension, and a layer made under an ``if`` is made under the
same test.
``call`` mirrors the graph (loops over the lists, the same ``if`` statements
on ``self.<param>``), passing ``training`` on to the layers that use it.
The class is registered and ``get_config`` returns the parameters
(emit/serializable.py), so the model can be saved, loaded and cloned.  After
the class, the model is made under the source's variable name (emit/subclass/instance.py) and built
(emit/subclass/build.py), so ``summary()`` shows every layer.
How call() writes a loop or ``if`` and the tensors it carries is in emit/subclass/call_blocks.py.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.build_slice import input_reads, rebuilt_statements
from ...ir.code import render_statement, unpack_singleton
from ...ir.control import Cond, Loop
from ...ir.dataflow import produced
from ...ir.graph import Graph
from ...ir.nodes import Call, Define, Input, Node, Op, Stmt
from ...ir.reads import identifiers_of, names_read, read_only_by_inputs, statement_names
from ...ir.source_text import Code, ref
from ...parse.shape_tests import batch_free
from ..branch_calls import inlined_calls, render_inline
from ..comments import Remarks, after_comments
from ..context import EmitContext, EmitRefusal, closure_refusal, refuse_chosen_inputs
from ..flat_loops import flat_inner
from ..module_level import refuse_local_definitions, without_definitions
from ..outer_changes import refuse_outer_changes
from ..names import Namer, default_name, target_names
from ..render import format_parts
from ..string_lines import code_lines
from ..self_params import SelfParams
from ..serializable import class_head, config_lines, kept_methods, stored_whole, without_name_param
from .build import build_line, build_method, input_keys
from .call_blocks import CallBlocks
from .class_name import class_name
from .constructor import InitWriter
from .instance import InstanceWriter
from .helpers import check_foreign_loops, walk_written_out
from .names import GENERIC_NAMES, attribute_names
from .shaped_layers import ShapedLayers, made_from_tensor, made_in_build

# Layers whose call takes ``training``: passing it on is what readers expect to see.
TRAINING_LAYERS = frozenset(
    {
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "GaussianNoise",
        "GaussianDropout",
        "AlphaDropout",
        "BatchNormalization",
    }
)


def emit_subclass(graph: Graph, ctx: EmitContext, classes: tuple[list[str], ...] = ()) -> str:
    """The model's class and the line that makes it; ``classes``: the lines of classes it
    uses (its blocks' Layer classes), written before it."""
    refuse_chosen_inputs(graph, "subclassed")
    refuse_local_definitions(graph, ctx)
    graph, definitions = without_definitions(without_name_param(graph), ctx)
    in_build = made_in_build(graph)
    for node in walk_written_out(graph.body):
        if isinstance(node, Stmt) and node.refs and not batch_free(node.reads):
            # One that reads only the rank and the axes after the batch is written in call().
            raise EmitRefusal(
                node.loc,
                "this statement reads the shape of a tensor while the model is built (`model.output_shape`,"
                " `x.shape`); in a subclass's call() that shape has the batch's real size, not None",
                "keep this model Sequential or Functional (or functional-subclass), read only the axes"
                " after the batch (`x.shape[1:]`), or remove the check",
            )
        if isinstance(node, Op) and node.builds_on_tensor:
            # In call() it would be made again at each call, on a tensor Keras refuses to build it on.
            raise EmitRefusal(
                node.loc,
                f"`{node.name or 'this tensor'}` is a ready-made model built on a tensor of the model (`input_tensor=`),"
                " a part of this model's graph that a subclass's call() cannot make",
                "keep the Functional API, or convert it to functional-subclass (a class that builds the same graph)",
            )
        layer = graph.layer(node.layer) if isinstance(node, (Call, Define)) else None
        if layer is not None and layer.closure:
            raise EmitRefusal(layer.loc, *closure_refusal(layer, "a subclass makes its layers once, in __init__"))
        if layer is not None and layer.reads_tensors and layer.id not in in_build:
            raise EmitRefusal(layer.loc, *made_from_tensor(graph, layer))
    check_foreign_loops(graph)
    writer = (_ShapedModelWriter if in_build else ClassWriter)(graph, ctx)
    defined = writer.class_lines()
    for made in reversed(classes):
        defined = made + ["", ""] + defined
    # Layers the rest of the file reads are made where it can see them, before the class, and
    # helpers defined among the model's lines stay module-level definitions above them.
    parts = [(definition.splitlines(), ctx.indent) for definition in definitions]
    parts += [(writer.kept, ctx.indent), (defined, ctx.class_indent), (writer.built_with + writer.instance_lines(), ctx.indent)]
    return format_parts(parts, ctx.layout)


class ClassWriter(InstanceWriter, InitWriter, CallBlocks):
    """A model class: ``__init__`` (emit/subclass/constructor.py), ``call``, kept methods, ``get_config``."""

    # A model's inputs keep their name (``inputs``) to the end of call().
    keeps_inputs = True

    def __init__(self, graph: Graph, ctx: EmitContext) -> None:
        self.graph = graph
        self.ctx = ctx
        self.name = class_name(graph, ctx)
        self.params = [param for param in graph.params if not param.star]
        self.reads = names_read(graph)
        self.attrs = attribute_names(graph, self.reads)
        self.loop_vars: dict[str, str] = {}
        # The calls written inside the expression that reads them, by the tensor each makes.
        self.inline: dict[str, str] = {}
        self.remarks = Remarks(graph)
        self.kept: list[str] = []
        self.build_values = read_only_by_inputs(graph) if build_line(graph, ctx, "model") else frozenset()
        self.built_with: list[str] = []
        self.rebuilt = self.rebuilt_for_build()
        self.stmt_reads = frozenset().union(
            *(statement_names(node.code) for node in graph.walk() if isinstance(node, Stmt))
        )

    def rebuilt_for_build(self) -> frozenset[int]:
        """The statements of ``__init__`` written again before the line that builds the instance,
        whose input shape reads what they compute (ir/build_slice.py)."""
        if build_line(self.graph, self.ctx, "model") is None:
            return frozenset()
        chosen, missing = rebuilt_statements(self.graph, input_reads(self.graph) - self.build_values)
        if missing is not None:
            raise EmitRefusal(
                self.graph.inputs_in_order()[0].loc,
                f"the model's input shape reads `{missing}`, which its code computes where the line"
                " that builds a subclass's instance cannot compute it again",
                f"compute `{missing}` from the builder's parameters before the model's code, or keep"
                " this model a graph (`to-functional-subclass` writes a class that builds one)",
            )
        return chosen

    def class_lines(self) -> list[str]:
        refuse_outer_changes(self.graph, self.ctx, "subclass", blocks=True)
        base = self.graph.base.text if self.graph.base is not None else self.ctx.symbols.model
        lines = class_head(self.graph, self.ctx, self.class_line(f"class {self.name}({base}):"))
        lines += ["    " + line for line in self.init_lines()]
        build = self.build_lines()
        if build:
            lines += [""] + ["    " + line for line in build]
        lines += [""] + ["    " + line for line in self.call_lines()]
        for method in kept_methods(self.graph):
            # A method of the source class (``train_step``), as it was written.
            lines += [""] + ["    " + line if line else "" for line in code_lines(method.code)]
        config = config_lines(self.params, self.ctx, lines)
        lines = stored_whole(lines, self.params) if config else lines
        if config:
            lines += [""] + ["    " + line for line in config]
        return lines

    def build_lines(self) -> list[str]:
        return build_method(self.graph, self.ctx)

    def call_lines(self) -> list[str]:
        inputs = self.graph.inputs_in_order()
        reserved = self.reads | {"self", "training"}
        self.namer = Namer(self.graph, frozenset(reserved), keep_inputs=self.keeps_inputs)
        self.fixed: dict[str, str] = {}
        lines = self.call_header(inputs)
        body = self.graph.body
        # Plain statements are written in __init__ or above the class (an import among the
        # model's lines), never in call(): the last node call() writes is the last other one.
        last = next((node for node in reversed(body) if not isinstance(node, Stmt)), None)
        if self.returns_last(last):
            # ``return self.activation(x)``: the source returned the expression, unnamed.
            lines += self.call_body(tuple(node for node in body if node is not last), "    ")
            self.namer.advance(last)
            returned = [f"    return {self.call(last)}"]
            return lines + self.remarks.around(returned, last.loc, self.graph.layer(last.layer).loc, self.graph.returns)
        lines += self.call_body(body, "    ")
        # A graph model returns the tensor of a one-element ``outputs=[y]``, so call() does too.
        outputs = replace(self.graph.outputs, text=unpack_singleton(self.graph.outputs.text))
        return lines + self.remarks.around([f"    return {self.expr(outputs)}"], self.graph.returns)

    def returns_last(self, last: Node | None) -> bool:
        """Whether call() returns its last layer call as is (``return self.dense(x)``): when the
        source gave its tensor no name (a Sequential's last layer, ``return layers.Dense(10)(x)``),
        or one that says no more than ``return`` does (``outputs``, which the Functional API needs
        and the way back writes again, ``x``).

        Not ``return x + h``: read back, a returned expression is the outputs, not a node.
        A name of the model's own (``logits``, ``score``) stays.
        """
        return (
            isinstance(last, Call)
            and (last.name is None or last.name in GENERIC_NAMES)
            and not last.more
            and self.graph.outputs.refs == ref(last.out).refs
            and unpack_singleton(self.graph.outputs.text) == ref(last.out).text
        )

    def call_header(self, inputs: tuple[Input, ...]) -> list[str]:
        """``def call(...)`` and the lines that name its inputs."""
        lines = ["def call(self, inputs, training=None):"]
        keys = input_keys(self.graph)
        if len(inputs) == 1 and keys is None:
            self.namer.bind(inputs[0].out, "inputs", fixed=True)
        else:
            names = [
                self.namer.bind(node.out, node.name or default_name(self.graph, node)) for node in inputs
            ]
            if keys is None:
                lines.append(f"    {', '.join(names)} = inputs")
            else:
                lines += [f"    {names[index]} = inputs[{key}]" for index, key in enumerate(keys)]
        return lines

    def call_body(self, body: tuple[Node, ...], indent: str) -> list[str]:
        lines: list[str] = []
        inlined = inlined_calls(self.graph, body)
        for node in body:
            self.namer.advance(node)
            if isinstance(node, Call) and id(node) in inlined:
                # Run only in a branch of the expression after it: written there (branch_calls.py).
                self.inline[node.out] = self.call(node)
            elif isinstance(node, Call):
                # The call is written before its target is named: naming it may move what the
                # call reads to its other name (``res = x``), which the call still reads as ``x``.
                call = self.call(node)
                line = f"{indent}{self.tensor_name(node)} = {call}"
                made = self.remarks.around([line], node.loc, self.graph.layer(node.layer).loc)
                lines += after_comments(made, self.namer.take_copies())
            elif isinstance(node, Op) and node.helper is not None:
                # A tensor a block carries is named so where the helper's body makes it: no copy after.
                for value, result in zip(produced(node), node.helper.results):
                    if value in self.fixed:
                        self.fixed.setdefault(result, self.fixed[value])
                lines += self.call_body(node.helper.body, indent)
                lines += self.results(node, indent)
            elif isinstance(node, Op) and node.changes is not None:
                line = f"{indent}{self.expr(node.expr)}"
                self.namer.bind(node.out, self.namer[node.changes], fixed=True)
                lines += self.remarks.around([line], node.loc)
            elif isinstance(node, Op):
                expr = self.expr(node.expr)
                line = f"{indent}{self.tensor_name(node)} = {expr}"
                lines += after_comments(self.remarks.around([line], node.loc), self.namer.take_copies())
            elif isinstance(node, Stmt) and node.refs:
                lines += self.remarks.around(
                    [indent + line for line in code_lines(self.statement(node.reads))], node.loc, beside=False
                )
            elif isinstance(node, Loop) and flat_inner(node) is not None:
                lines += self.carry_flat(node, flat_inner(node), indent)
            elif isinstance(node, Loop):
                lines += self.carry(node, self.loop_header(node), indent)
            elif isinstance(node, Cond):
                lines += self.carry(node, None, indent)
        return lines

    def results(self, node: Op, indent: str) -> list[str]:
        """The helper's returned tensors stand for the call's: same names, no new line.

        Only a tensor that must have a fixed name (the one a loop or ``if`` carries) is copied.
        """
        lines = []
        for value, result in zip(produced(node), node.helper.results):
            name = self.namer[result]
            if value in self.fixed and self.fixed[value] != name:
                lines.append(f"{indent}{self.fixed[value]} = {name}")
                name = self.fixed[value]
            self.namer.bind(value, name, fixed=True)
        return lines

    def call(self, node: Call) -> str:
        layer = self.graph.layer(node.layer)
        callee = self.loop_vars.get(layer.id) or f"self.{self.attrs[layer.id]}"
        args = [
            f"{arg.keyword}={self.expr(arg.value)}" if arg.keyword else f"{arg.star}{self.expr(arg.value)}"
            for arg in node.args
        ]
        held = next((a for a in args if a in ("training=False", "training=True")), None)
        if held is not None:
            # Keras 3: a graph passes the model's own flag instead, when it has one.
            raise EmitRefusal(
                node.loc,
                f"`{held}` holds in a graph only while the model is called without a training"
                " flag: Keras 3 passes the model's own flag to this call instead (fit() passes"
                " True), so a subclass's call() that passes it always would differ while training",
                "keep the model a graph, or drop the argument and freeze the layer with"
                " `layer.trainable = False`",
            )
        if layer.type_name in TRAINING_LAYERS and not any(arg.keyword == "training" for arg in node.args):
            args.append("training=training")
        return f"{callee}({', '.join(args)})"

    def tensor_name(self, node: Call | Op) -> str:
        """The assignment target for the node's tensors: ``x``, or ``seq, h, c`` when unpacked."""
        made = ((node.out, node.name or default_name(self.graph, node)), *node.more)
        return target_names(self.namer, self.fixed, made)

    def expr(self, code: Code) -> str:
        """``code`` in call(): tensors by their names, parameters as ``self.<param>``."""
        params = {param.name for param in self.params} | self.init_values

        def of_self(text: str) -> str:
            if not params & identifiers_of(text):
                return text
            return cst.Module([]).code_for_node(cst.parse_expression(text).visit(SelfParams(params)))

        # A call written inside its branch (emit/branch_calls.py) goes in once the parameters are read.
        return render_inline(code, self.namer.names, self.inline, of_self)

    def statement(self, code: Code) -> str:
        """A check of the shapes of call()'s tensors (``if len(x.shape) != 2: raise ...``), which
        runs where the graph code ran it: tensors by their names, parameters as ``self.<param>``."""
        params = {param.name for param in self.params} | self.init_values
        module = cst.parse_module(render_statement(code, self.namer.names) + "\n")
        return module.visit(SelfParams(params)).code.rstrip("\n")


class _ShapedModelWriter(ShapedLayers, ClassWriter):
    """A model class whose ``build(input_shape)`` makes the layers its input's shape sizes."""

    def __init__(self, graph: Graph, ctx: EmitContext) -> None:
        super().__init__(graph, ctx)
        self.start_build()

    def build_lines(self) -> list[str]:
        # Loading a saved model calls build() alone, not call(): a symbolic call builds every
        # layer, so each finds the weights saved for it.
        lines = super().build_lines()
        return lines + [f"    self.call({self.ctx.symbols.input}(batch_shape=input_shape))"]
