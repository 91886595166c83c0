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
``call()`` is written by emit/subclass/call_writer.py, its loops and ``if`` statements and the
tensors they carry by emit/subclass/call_blocks.py.
"""

from __future__ import annotations

from ...ir.build_slice import input_reads, rebuilt_statements
from ...ir.graph import Graph
from ...ir.nodes import Call, Define, Op, Stmt
from ...ir.input_reads import read_only_by_inputs
from ...ir.given_layers import called_params
from ...ir.layer_makers import layer_makers
from ...ir.learned_params import LearningBlocks, learned_params
from ...ir.reads import names_read, statement_names
from ...parse.shape_tests import batch_free
from ..comments import Remarks
from ..context import EmitContext, EmitRefusal, closure_refusal, refuse_chosen_inputs
from ..module_level import refuse_local_definitions, without_definitions
from ..outer_changes import refuse_outer_changes
from ..render import format_parts
from ..string_lines import code_lines
from ..serializable import class_head, config_lines, kept_methods, stored_whole, without_name_param
from .build import build_line, build_method
from .call_blocks import CallBlocks
from .call_writer import CallWriter
from .class_name import class_name
from .constructor import InitWriter
from .instance import InstanceWriter
from .helpers import walk_written_out
from .names import attribute_names
from .shaped_layers import ShapedLayers, made_from_tensor, made_in_build


def emit_subclass(
    graph: Graph, ctx: EmitContext, classes: tuple[list[str], ...] = (), learning: LearningBlocks = {}
) -> str:
    """The model's class and the line that makes it; ``classes``: the lines of classes it
    uses (its blocks' Layer classes), written before it, and what they learn from (``learning``)."""
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
    writer = (_ShapedModelWriter if in_build else ClassWriter)(graph, ctx, learning)
    defined = writer.class_lines()
    for made in reversed(classes):
        defined = made + ["", ""] + defined
    # Layers the rest of the file reads are made where it can see them, before the class, and
    # helpers defined among the model's lines stay module-level definitions above them.
    parts = [(definition.splitlines(), ctx.indent) for definition in definitions]
    parts += [(writer.kept, ctx.indent), (defined, ctx.class_indent), (writer.built_with + writer.instance_lines(), ctx.indent)]
    return format_parts(parts, ctx.layout)


class ClassWriter(InstanceWriter, InitWriter, CallWriter, CallBlocks):
    """A model class: ``__init__`` (emit/subclass/constructor.py), ``call``, kept methods, ``get_config``."""

    # A model's inputs keep their name (``inputs``) to the end of call().
    keeps_inputs = True

    def __init__(self, graph: Graph, ctx: EmitContext, learning: LearningBlocks = {}) -> None:
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
        self.learned = learned_params(graph, learning)
        self.stmt_reads = frozenset().union(
            *(statement_names(node.code) for node in walk_written_out(graph.body) if isinstance(node, Stmt))
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
        config = config_lines(
            self.params, self.ctx, lines, layer_makers(self.graph), frozenset(self.learned), called_params(self.graph)
        )
        lines = stored_whole(lines, self.params) if config else lines
        if config:
            lines += [""] + ["    " + line for line in config]
        return lines

    def build_lines(self) -> list[str]:
        return build_method(self.graph, self.ctx)

class _ShapedModelWriter(ShapedLayers, ClassWriter):
    """A model class whose ``build(input_shape)`` makes the layers its input's shape sizes."""

    def __init__(self, graph: Graph, ctx: EmitContext, learning: LearningBlocks = {}) -> None:
        super().__init__(graph, ctx, learning)
        self.start_build()

    def build_lines(self) -> list[str]:
        # Loading a saved model calls build() alone, not call(): a symbolic call builds every
        # layer, so each finds the weights saved for it.
        lines = super().build_lines()
        return lines + [f"    self.call({self.ctx.symbols.input}(batch_shape=input_shape))"]
