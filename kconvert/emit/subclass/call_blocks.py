"""A loop or ``if`` in a subclass's ``call()``: its header (a ``for`` over the layer lists
``__init__`` made, zipped with what the source iterated) and the tensors it carries, named
the same before, inside and after the block (an ``else``, and two loops written as one).

A mixin of ``ClassWriter``: it reads the writer's ``graph``, ``reads``, ``attrs``, ``namer``,
``fixed``, ``remarks`` and ``loop_vars``, and writes a block's body with ``call_body`` and
its expressions with ``expr``.
"""

from __future__ import annotations

import functools

from ...ir.dataflow import has_else
from ...ir.control import Cond, Loop
from ...ir.nodes import Call, Op
from ...ir.iteration import for_header
from ...ir.reads import identifiers_of
from ..branches import else_lines
from ..context import EmitRefusal
from ..names import block_test, copy_locs, enter_block, enter_else, leave_block
from .helpers import loops_over_iterable, names_read_in
from .names import layers_in, loops_around, singular


class CallBlocks:
    def carry(self, node: Loop | Cond, header: str | None, indent: str) -> list[str]:
        """The block's lines; an ``if`` (no ``header`` given) tests the carried names."""
        names, copies = enter_block(self.namer, node, self.fixed)
        if header is None:
            _refuse_layer_test(self.graph, node)
            header = f"if {self.expr(block_test(node))}:"
        # A comment beside the copy (``res = x  # Set aside residual``) stays above the copy.
        lines = self.remarks.with_copies([f"{indent}{header}"], node.loc, copies)
        body = self.call_body(node.body, indent + "    ")
        ends = [f"{indent}    {line}" for line in leave_block(self.namer, node, names)]
        body += self.remarks.around(ends, *copy_locs(node))
        lines += body or [f"{indent}    pass"]
        if isinstance(node, Cond) and has_else(node):
            enter_else(self.namer, node, names)
            other = self.call_body(node.orelse, indent + "    ")
            ends = [f"{indent}    {line}" for line in leave_block(self.namer, node, names, "other")]
            ends = self.remarks.around(ends, *copy_locs(node, "other"))
            if other or ends:
                lines += else_lines(other, ends, node.orelse, indent)
        return lines

    def carry_flat(self, outer: Loop, inner: Loop, indent: str) -> list[str]:
        """Both loops as one ``for`` over the flat list their passes filled (emit/flat_loops.py)."""
        names, copies = enter_block(self.namer, outer, self.fixed)
        lines = [indent + line for line in copies]
        self.namer.advance(inner)
        body = self.carry(inner, self.loop_header(inner), indent)
        lines += self.remarks.around(body[:1], outer.loc) + body[1:]
        return lines + [indent + line for line in leave_block(self.namer, outer, names)]

    @functools.cached_property
    def loop_reads(self) -> frozenset[str]:
        """What a loop variable of call() must not shadow: the names the model reads, but not
        another loop's variable that only ``__init__`` reads (``block`` in ``strides = ... block``)."""
        loops = [node for node in self.graph.walk() if isinstance(node, Loop) and node.target]
        targets = {name for loop in loops for name in identifiers_of(f"({loop.target})")}
        return frozenset((self.reads - targets) | names_read_in(self.graph.body) | {"self", "training", "inputs"})

    @functools.cached_property
    def tensor_names(self) -> frozenset[str]:
        """The names the source gave the model's tensors (``conv = Conv1D(...)(z)`` in a loop):
        a layer's loop variable of the same name would be rebound by its own call."""
        names = set()
        for node in self.graph.walk():
            if isinstance(node, (Call, Op)):
                names |= {node.name} if node.name else set()
                names |= {name for _, name in node.more}
        return frozenset(names)

    def loop_header(self, loop: Loop) -> str:
        lists = layers_in(self.graph, loop.body)
        # A layer of an outer loop's list is drawn from that loop's variable, the pass's own list.
        sources = [self.loop_vars.get(layer_id, f"self.{self.attrs[layer_id]}") for layer_id in lists]
        variables = []
        for layer_id in lists:
            # The layer's list of a loop inside is drawn whole: its pass's list keeps the plural name.
            inside = loops_around(loop.body, layer_id)
            variable = self.attrs[layer_id] if inside else singular(self.attrs[layer_id])
            if variable in self.tensor_names:
                variable = f"{variable}_layer"
            while variable in self.loop_reads or variable in self.loop_vars.values():
                variable += "_"
            self.loop_vars[layer_id] = variable
            variables.append(variable)
        for layer_id in self.graph.drawn_layers(loop):
            # ``down(x)``: called by the loop's own variable, as the source calls it.
            self.loop_vars[layer_id] = self.graph.layer(layer_id).reference.text
        if loops_over_iterable(loop, self.graph):
            # Zipped with the lists, a tuple target is one element: ``(index, units)``.
            bare = "," in loop.target and not loop.target.startswith("(")
            variables.insert(0, f"({loop.target})" if bare else loop.target)
            sources.insert(0, self.expr(loop.iterable))
        items = [(item.name, self.expr(item.source)) for item in loop.items]
        if not sources:
            iterable = self.expr(loop.iterable) if loop.target else ""
            return for_header(loop.target, iterable, items)
        variables += [name for name, _ in items]
        sources += [source for _, source in items]
        if len(sources) == 1:
            return f"for {variables[0]} in {sources[0]}:"
        return f"for {', '.join(variables)} in zip({', '.join(sources)}):"


def _refuse_layer_test(graph, node: Cond) -> None:
    """An ``if`` that tests a layer object the builder named, or made before the model
    (``if activation:`` before ``model.add(activation)``): call() holds that layer only as an
    attribute, which the other styles read back as a layer to call, not as a value to test."""
    named = {layer.name for layer in graph.layers if layer.binding == "named" and layer.name}
    named |= {
        layer.reference.text
        for layer in graph.layers
        if layer.binding == "external" and layer.reference is not None and layer.reference.text.isidentifier()
    }
    # A layer the builder is given (``if a_layer: model.add(a_layer)``) is a parameter, tested as one.
    tested = sorted(identifiers_of(node.test.text) & (named - {param.name for param in graph.params}))
    if tested:
        raise EmitRefusal(
            node.loc,
            f"this `if` tests the layer object `{tested[0]}`, which a subclass holds as an attribute"
            " to call, not as a value to test",
            "test the value the layer is made from instead (a layer object is always true), or keep"
            " this model a graph (`to-functional-subclass` writes a class that builds one)",
        )
