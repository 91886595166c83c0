"""A subclass's ``call()``: the graph's nodes as calls of the class's layers, in source order.

Tensors keep the source's names (emit/names.py), parameters are read as ``self.<param>``,
layers that take ``training`` get the call's flag, and a helper's body is written where it was
called, its results standing for the call's.  Loops and ``if`` statements, and the tensors they
carry, are written by emit/subclass/call_blocks.py; ``__init__`` by emit/subclass/constructor.py.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.code import render_statement, unpack_singleton
from ...ir.control import Cond, Loop
from ...ir.dataflow import consumed, produced
from ...ir.nodes import Call, Input, Node, Op, Stmt
from ...ir.reads import identifiers_of
from ...ir.source_text import Code, Loc, ref
from ..branch_calls import inlined_calls, render_inline
from ..comments import after_comments, last_on_lines, statement_starts
from ..docstrings import doc_lines
from ..flat_loops import flat_inner
from ..names import Namer, default_name, target_names
from ..self_params import SelfParams
from ..string_lines import code_lines
from .build import input_keys
from .helpers import walk_written_out
from .names import GENERIC_NAMES

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


class CallWriter:
    """The ``call()`` half of a class writer; the writer sets ``graph``, ``ctx``, ``params``,
    ``reads``, ``attrs``, ``remarks``, ``loop_vars``, ``inline``, ``init_values``, ``settled``,
    ``spelled`` and ``keeps_inputs``."""

    # Each input's comments go with the first line that reads it (instance.py says when).
    inputs_said_in_call = False

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
        lines += ["    " + line for line in doc_lines(self.graph.call_doc)]
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
        # Over the whole call(), with the helpers written out: its last line may be written apart.
        last = last_on_lines(walk_written_out(self.graph.body))
        starts = statement_starts(body)
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
                lines += self.placed(line, node, (node.loc, self.graph.layer(node.layer).loc), last, starts)
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
                lines += self.placed(f"{indent}{self.tensor_name(node)} = {expr}", node, (node.loc,), last, starts)
            elif isinstance(node, Stmt) and node.refs:
                lines += self.remarks.around(
                    [indent + line for line in code_lines(self.statement(node.reads))], node.loc, beside=False
                )
            elif isinstance(node, Loop) and flat_inner(node, self.graph) is not None:
                lines += self.carry_flat(node, flat_inner(node, self.graph), indent)
            elif isinstance(node, Loop):
                lines += self.carry(node, self.loop_header(node), indent)
            elif isinstance(node, Cond):
                lines += self.carry(node, None, indent)
        return lines

    def placed(self, line: str, node: Node, locs: tuple[Loc, ...], last: frozenset[int], starts: dict[int, Loc]) -> list[str]:
        """A tensor's line with the comments of its source lines, and those above the statement
        it opens (a nested call written first), then the copies naming it makes."""
        if self.inputs_said_in_call:
            made_at = {made.out: made.loc for made in self.graph.inputs_in_order()}
            locs += tuple(made_at[value] for value in consumed(node) if value in made_at)
        made = self.remarks.around([line], *locs, after=id(node) in last)
        made = self.remarks.around(made, starts[id(node)], after=False) if id(node) in starts else made
        return after_comments(made, self.namer.take_copies())

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
        # A graph passes the model's own flag to the call instead, when it is called with one
        # (Keras 3's ``Functional`` does; fit() passes True): the flag written holds only without.
        args = [
            f"training={arg[len('training='):]} if training is None else training"
            if arg in ("training=False", "training=True") else arg
            for arg in args
        ]
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
        rewritten = SelfParams(params, self.settled, self.spelled)

        def of_self(text: str) -> str:
            if not (params | set(self.spelled)) & identifiers_of(text):
                return text
            return cst.Module([]).code_for_node(cst.parse_expression(text).visit(rewritten))

        # A call written inside its branch (emit/branch_calls.py) goes in once the parameters are read.
        return render_inline(code, self.namer.names, self.inline, of_self)

    def statement(self, code: Code) -> str:
        """A check of the shapes of call()'s tensors (``if len(x.shape) != 2: raise ...``), which
        runs where the graph code ran it: tensors by their names, parameters as ``self.<param>``."""
        params = {param.name for param in self.params} | self.init_values
        module = cst.parse_module(render_statement(code, self.namer.names) + "\n")
        return module.visit(SelfParams(params, self.settled, self.spelled)).code.rstrip("\n")
