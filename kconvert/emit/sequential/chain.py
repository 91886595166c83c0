"""The chain a Sequential model is: the graph walked from its input to its output.

``Chain.walk`` lists what the model holds in order (layers, and the loops,
``if`` blocks and statements between them), with the source locations whose
comments go with each, or refuses at the first node that leaves the chain:
a second input, a layer called on anything but the previous output, a branch.
What those refusals say (the hint, the source's tensor names) is in chain_refusals.py, how a
loop or ``if`` is carried on in chain_blocks.py, how a helper's call is listed in chain_helpers.py.
"""

from __future__ import annotations

import libcst as cst

from ...ir.control import Cond, Loop
from ...ir.dataflow import list_names
from ...ir.graph import Graph
from ...ir.nodes import Call, Define, Input, Node, Op, Stmt
from ...ir.op_layers import layers_of
from ...ir.reads import is_import
from ...ir.source_text import PLACEHOLDER_PREFIX, Loc, placeholder
from ...ir.weightless import WEIGHTLESS_LAYERS
from ..comments import Remarks
from ..context import EmitRefusal, Symbols, closure_refusal
from ..render import render_args
from ..string_lines import code_lines
from .chain_blocks import ChainBlocks
from .chain_helpers import ChainHelpers
from .chain_refusals import CHAIN_HINT, source_names
from .expressions import op_refusal

# ("layer", code), ("stmt", code) or ("loop", for/if header) / ("end", ""), with the source locations
# whose comments go with it.
Entry = tuple[str, str, tuple[Loc, ...]]


class Chain(ChainHelpers, ChainBlocks):
    """Walks the graph as one chain, collecting list entries and hoisted statements."""

    def __init__(self, graph: Graph, symbols: Symbols, remarks: Remarks) -> None:
        self.graph = graph
        self.remarks = remarks
        self.input_symbol = symbols.input
        self.symbols = symbols
        self.hoisted: list[str] = []
        self.entries: list[Entry] = []
        self.current: str | None = None
        self.seen_input = False
        # Whether the list starts with a ``keras.Input`` that gives the shape.
        self.shaped = False
        # Whether a layer (or a block) has been written: statements then stay in place.
        self.in_chain = False
        # Inside a loop or ``if``: an import there runs only when the block does, so it stays.
        self.in_block = False
        self.source_names = source_names(graph)
        self.lists = list_names(graph)
        # Inside a helper's body; the layers it binds to names there, made in the list instead.
        self.in_helper = False
        self.unnamed: set[str] = set()
        self.listed: set[str] = set()
        # The statements between the Input and the first layer (a class's ``__init__`` freezing
        # the layers it keeps): where the form places them (``placed``).
        self.early: list[Stmt] = []
        self.after_input = 0

    def walk(self) -> tuple[list[str], list[Entry]]:
        self.nodes(self.graph.body)
        returned = self.graph.outputs
        outputs = _single(returned.text, returned.values)
        if outputs is None and returned.values and (len(returned.values) == 1 or not _collection(returned.text)):
            # ``return tf.nn.softmax(self.out(x))``: the expression is the last entry, or the reason.
            self.op(Op(f"{returned.values[0]}:out", returned, self.graph.loc, "the model's output"))
            outputs = self.current
        if outputs is None:
            names = ", ".join(f"`{self.source_names.get(value, 'tensor')}`" for value in returned.values)
            raise EmitRefusal(
                self.graph.loc,
                f"the model has {len(returned.values)} outputs ({names}); a Sequential model has exactly one"
                if returned.values
                else "the model's outputs are not a tensor its layers compute",
                CHAIN_HINT,
            )
        if outputs != self.current:
            raise EmitRefusal(self.graph.loc, "the model's outputs are not the last layer's output", CHAIN_HINT)
        return self.hoisted, self.entries

    def nodes(self, body: tuple[Node, ...]) -> None:
        for node in body:
            if isinstance(node, Stmt) and node.refs:
                self.shape_read(node)
            elif isinstance(node, Stmt) and self.in_chain and (self.in_block or not is_import(node.code)):
                # After a layer (or in a loop) the statement must run where it stands: the
                # layers after it may read what it binds, and only ``.add()`` calls keep it there.
                self.entries.append(("stmt", node.code, (node.loc,)))
            elif isinstance(node, Stmt) and self.seen_input and not (self.in_block or self.in_helper or is_import(node.code)):
                self.early.append(node)
            elif isinstance(node, Stmt):
                self.hoist_early()
                self.hoisted += self.remarks.around(code_lines(node.code), node.loc, beside=False)
            elif isinstance(node, Define) and self.in_helper:
                # The helper's name for the layer is no name of the model's code: each call makes its own.
                self.unnamed.add(node.layer)
            elif isinstance(node, Define):
                self.hoist_early()
                layer = self.graph.layer(node.layer)
                self.hoisted += self.remarks.around([f"{layer.name} = {layer.constructor()}"], node.loc, layer.loc)
            elif isinstance(node, Input):
                self.input(node)
            elif isinstance(node, Call):
                self.call(node)
            elif isinstance(node, Op) and node.helper is not None:
                self.helper(node)
            elif isinstance(node, Op) and node.name in self.lists:
                raise EmitRefusal(
                    node.loc,
                    f"`{node.name}` is a list of tensors the model fills and reads again (skip connections, parallel branches);"
                    " a Sequential model is one chain of layers",
                    CHAIN_HINT,
                )
            elif isinstance(node, Loop) and node.items:
                raise EmitRefusal(
                    node.loc,
                    f"this loop draws tensors from `{node.items[0].source.text}` (skip connections);"
                    " a Sequential model is one chain of layers",
                    CHAIN_HINT,
                )
            elif isinstance(node, Op):
                self.op(node)
            elif isinstance(node, Loop):
                self.carry(node, f"for {node.target} in {node.iterable.text}:")
            elif isinstance(node, Cond) and node.test.refs:
                # A Sequential model is a list of layers: no code runs where a shape could be read.
                raise EmitRefusal(
                    node.loc,
                    "this `if` reads the shapes of tensors, which a Sequential model never names",
                    "keep the Functional API or convert it to a subclass",
                )
            elif isinstance(node, Cond):
                self.carry(node, f"if {node.test.text}:")

    def hoist_early(self) -> None:
        """A line hoisted after the early statements keeps them above it, in their order."""
        for node in self.early:
            self.hoisted += self.remarks.around(code_lines(node.code), node.loc, beside=False)
        self.early = []

    def placed(self, added: bool) -> list[Entry]:
        """The entries, with the early statements after the Input when the model is grown by
        ``.add()`` calls (where the model's code, read back, has them), else hoisted."""
        if not added:
            self.hoist_early()
            return self.entries
        early = [("stmt", node.code, (node.loc,)) for node in self.early]
        self.early = []
        return self.entries[: self.after_input] + early + self.entries[self.after_input :]

    def input(self, node: Input) -> None:
        inputs = self.graph.inputs
        if inputs.text.lstrip().startswith("{"):
            # ``keras.Model({"features": x}, y)`` is called with a dict; a Sequential takes the tensor.
            written = inputs.text
            for hole, value in inputs.refs:
                written = written.replace(hole, (node.name or "tensor") if value == node.out else "...")
            raise EmitRefusal(
                node.loc,
                f"the model takes its input in a dict, `{written}`; a Sequential model takes one tensor",
                "keep the Functional API, or convert it to a subclass",
            )
        if self.seen_input:
            raise EmitRefusal(
                node.loc,
                f"`{node.name or 'this input'}` is a second input; a Sequential model has exactly one",
                CHAIN_HINT,
            )
        self.seen_input = True
        self.current = node.out
        if node.args:
            self.shaped = True
            factory = node.factory.text if node.factory else self.input_symbol
            self.entries.append(("layer", f"{factory}({render_args(node.args, {})})", (node.loc,)))
        self.after_input = len(self.entries)

    def call(self, node: Call) -> None:
        layer = self.graph.layer(node.layer)
        what = f"`{node.name}`" if node.name else f"the {layer.type_name} layer"
        if len(node.args) != 1 or node.args[0].keyword or node.args[0].star:
            # Named as the source wrote them (``args.cnn, inputs``): a tensor without a name reads
            # as ``tensor``.
            names = {value: self.source_names.get(value, "tensor") for arg in node.args for _, value in arg.value.refs}
            called = f"`({render_args(node.args, names)})`" if node.args else "no tensor"
            raise EmitRefusal(
                node.loc,
                f"{what} is called with {called}, not the previous layer's output alone;"
                " a Sequential model passes each layer only the previous output",
                CHAIN_HINT,
            )
        if node.more:
            names = ", ".join(name for _, name in ((node.out, node.name), *node.more))
            raise EmitRefusal(
                node.loc,
                f"`{names}` unpacks {len(node.more) + 1} outputs of the {layer.type_name} layer;"
                " a Sequential model passes exactly one tensor from each layer to the next",
                CHAIN_HINT,
            )
        (arg,) = node.args
        values = arg.value.values
        if len(values) > 1:
            said = [self.source_names.get(value, "?") for value in values]
            # A copy (``residual = x``) is the same value under another name: the names would repeat.
            names = f" ({', '.join(f'`{name}`' for name in said)})" if len(set(said)) == len(said) else ""
            raise EmitRefusal(
                node.loc,
                f"{what} merges {len(values)} tensors{names}; a Sequential model is one chain of layers",
                CHAIN_HINT,
            )
        if arg.value.text != placeholder(self.current):
            named = self.source_names.get(values[0]) if values else None
            used = f"`{named}`" if named else "an earlier tensor" if values else "no tensor"
            # ``x = Conv2D(...)(x)`` after ``shortcut = ...``: "`x` is called on `x`" would say
            # nothing; the layer's type and the output it skips do.
            called = f"the {layer.type_name} layer" if node.name in (None, named) else what
            previous = self.source_names.get(self.current)
            skipped = f" (`{previous}`)" if previous and previous != named else ""
            raise EmitRefusal(
                node.loc,
                f"{called} is called on {used} instead of the previous layer's output{skipped},"
                " so the graph branches or skips a layer",
                CHAIN_HINT,
            )
        if layer.closure:
            raise EmitRefusal(layer.loc, *closure_refusal(layer, "a Sequential model lists layer objects"))
        if layer.reads_tensors:
            raise EmitRefusal(
                layer.loc,
                "this layer is made from a tensor (its shape); a Sequential model lists layers made"
                " before any tensor exists",
                "write the size as a number or a builder parameter, or keep the Functional API",
            )
        self.current = node.out
        self.in_chain = True
        if layer.id in self.unnamed and layer.id in self.listed:
            raise EmitRefusal(
                node.loc,
                f"{what} is called twice in the helper (shared weights), which it makes under a name of its own",
                CHAIN_HINT,
            )
        if layer.id in self.listed and layer.type_name not in WEIGHTLESS_LAYERS:
            # Keras runs such a Sequential, but its config lists the layer once: the model loaded
            # from a ``.keras`` file skips the second pass.  Weights shared by two passes no
            # Sequential can save; a weightless layer is made again for each pass after its first.
            raise EmitRefusal(
                node.loc,
                f"{_layer_named(layer)} is called a second time here; a Sequential model would list it"
                " twice, which Keras saves as one entry, so the model loaded from a .keras file is another",
                "keep the Functional API, which calls one layer twice and saves it so",
            )
        again = layer.id in self.listed
        self.listed.add(layer.id)
        # After a ``keras.Input`` that gives the shape, ``input_shape=`` is redundant (Keras 3 warns).
        named = layer.binding == "named" and layer.id not in self.unnamed and not again
        made = layer.name if named else layer.constructor(self.shaped)
        self.entries.append(("layer", made, (node.loc, layer.loc)))

    def op(self, node: Op) -> None:
        """An expression on the previous output that layers compute exactly (``keras.ops.relu(x)``
        is ``Activation("relu")``, ``ir/op_layers.py``) stands in the list as those layers."""
        made = layers_of(node.expr) if not node.more and node.changes is None else ()
        if not made or node.expr.values[0] != self.current:
            raise op_refusal(node, self.source_names)
        self.current = node.out
        self.in_chain = True
        for index, same in enumerate(made):
            # The comments of the expression's line go with the first layer written for it.
            written = f"{self.symbols.layer_class(same.kind)}({same.arg})"
            self.entries.append(("layer", written, (node.loc,) if not index else ()))

    def shape_read(self, node: Stmt) -> None:
        """``assert x.shape == ...`` on the last layer's output is ``model.output_shape`` there."""
        if not self.in_chain or any(value != self.current for _, value in node.refs):
            raise EmitRefusal(
                node.loc,
                "this statement reads the shape of a tensor other than the last layer's output;"
                " a Sequential model only tells its current `output_shape`",
                CHAIN_HINT,
            )
        if _shape_member(node.code):
            # ``x.shape.rank``: a tensor's shape has it, the tuple ``model.output_shape`` has not.
            raise EmitRefusal(
                node.loc,
                f"this statement reads `.shape.{_shape_member(node.code)}` of a tensor; a Sequential model's"
                " `output_shape` is a plain tuple, without it",
                "read the shape as a tuple (`len(x.shape)`, `x.shape[-1]`), or keep the Functional API",
            )
        self.entries.append(("shape", node.code, (node.loc,)))


def _single(text: str, values: tuple[str, ...]) -> str | None:
    """The one tensor of ``x`` or ``[x]``, else None."""
    if len(values) != 1:
        return None
    expr = cst.parse_expression(text)
    if isinstance(expr, (cst.List, cst.Tuple)) and len(expr.elements) == 1:
        expr = expr.elements[0].value
    return values[0] if isinstance(expr, cst.Name) and expr.value == placeholder(values[0]) else None


def _collection(text: str) -> bool:
    """Whether the outputs are written as a list, tuple or dict of tensors (several outputs)."""
    return isinstance(cst.parse_expression(text), (cst.List, cst.Tuple, cst.Dict))


def _shape_member(code: str) -> str | None:
    """The attribute the statement reads off a tensor's ``.shape`` (``rank``, ``as_list``), if any."""
    found: list[str] = []

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            inner = node.value
            if (
                isinstance(inner, cst.Attribute)
                and inner.attr.value == "shape"
                and isinstance(inner.value, cst.Name)
                and inner.value.value.startswith(PLACEHOLDER_PREFIX)
            ):
                found.append(node.attr.value)

    cst.parse_module(code + "\n").visit(Visitor())
    return found[0] if found else None


def _layer_named(layer) -> str:
    """``the layer `shared```, or ``the Dense layer`` for one the source gave no name."""
    return f"the layer `{layer.name}`" if layer.binding == "named" else f"the {layer.type_name} layer"
