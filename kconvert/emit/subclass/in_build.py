"""Code of a block's ``call()`` as its ``build(input_shape)`` asks it, before any tensor exists.

``x.shape`` (``x.get_shape()``, ``K.int_shape(x)``) of the block's input, or of a tensor an ``if`` carries in as it entered
(``residual`` read in an ``elif``), is ``input_shape``; a value computed from that
shape alone (``channels = x.shape[-1]``) is read by its name, which build() computes
again; ``t.shape[-1]`` of a tensor whose channels the block's layers say
(``ir/channels.py``) is that expression.  Anything else a tensor gives is unknown there.
"""

from __future__ import annotations

import libcst as cst

from ...ir.control import Cond
from ...ir.graph import Graph, walk
from ...ir.source_text import Code, placeholder
from ...parse.shape_tests import shape_function


def input_values(graph: Graph) -> frozenset[str]:
    """The block's input and the values that stand for it inside an ``if``: a ``Cond``'s
    carried ``param`` is the tensor entering it (``residual`` read in an ``elif``)."""
    values = {graph.inputs_in_order()[0].out}
    for node in walk(graph.body):
        if isinstance(node, Cond):
            values |= {carried.param for carried in node.carried if carried.init in values}
    return frozenset(values)


def on_input_shape(
    code: Code, values: frozenset[str], static: dict[str, str], channels: dict[str, str] | None = None
) -> cst.BaseExpression | None:
    """``code`` with the input's (any of ``values``) ``.shape`` as ``input_shape``, the ``static``
    values by their names and ``<tensor>.shape[-1]`` by its ``channels`` (ir/channels.py); None
    when it reads anything else of a tensor."""
    channels = channels or {}
    tree = cst.parse_expression(code.text)
    names = {name for name, ref in code.refs if ref in values}
    if any(ref not in values and ref not in static and ref not in channels for _, ref in code.refs):
        return None
    renames = {placeholder(ref): static[ref] for _, ref in code.refs if ref in static}
    counted = {name: channels[ref] for name, ref in code.refs if ref in channels}
    changed = tree.visit(_InputShape(names, renames, counted))
    text = cst.Module([]).code_for_node(changed)
    if any(name in text for name, _ in code.refs if name not in renames):
        return None
    return changed


class _InputShape(cst.CSTTransformer):
    def __init__(self, names: set[str], renames: dict[str, str], channels: dict[str, str]) -> None:
        self.names = names
        self.renames = renames
        self.channels = channels

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        # ``x.shape[-1]`` of a tensor whose channels its layers say: that expression, bracketed.
        target = original.value
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.attr.value == "shape":
            said = self.channels.get(target.value.value)
            last = cst.Module([]).code_for_node(original.slice[0]) if len(original.slice) == 1 else ""
            if said is not None and last.replace(" ", "") == "-1":
                return cst.parse_expression(said if said.isidentifier() or said.isdigit() else f"({said})")
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        # ``K.int_shape(x)``, ``x.get_shape()`` and ``x.get_shape().as_list()``: its shape, which
        # build() is given as ``input_shape`` (a tuple, or a list when a saved model is loaded).
        func = original.func
        if shape_function(original) and self._is_input(original.args[0].value):
            return cst.Name("input_shape")
        if isinstance(func, cst.Attribute) and not original.args:
            inner = func.value
            if func.attr.value == "get_shape" and self._is_input(inner):
                return cst.Name("input_shape")
            if func.attr.value == "as_list" and isinstance(inner, cst.Call) and not inner.args:
                if isinstance(inner.func, cst.Attribute) and inner.func.attr.value == "get_shape" and self._is_input(inner.func.value):
                    return cst.Name("input_shape")
        return updated

    def _is_input(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Name) and node.value in self.names

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if isinstance(original.value, cst.Name) and original.value.value in self.names and original.attr.value == "shape":
            return cst.Name("input_shape")
        return updated

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.renames[original.value]) if original.value in self.renames else updated
