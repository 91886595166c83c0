"""Layers sized by a class's input's shape, made in its ``build(input_shape)``.

Shared by a block's Layer class (emit/subclass/block.py) and the model class
(emit/subclass/model.py): a sublayer made from the input's shape
(``Dense(x.shape[-1])``), or only when its shape says so (``if
shortcut.shape[-1] != filters``), is made in ``build(input_shape)`` under the
same test, nested as the source nests it, so no layer is made that is never
called; a value computed from that shape alone, tested or sizing layers
(``channels = x.shape[-1]``, then ``Dense(channels // 4)``), is computed again
in ``build()`` (call() keeps it only if it reads it itself), and a test on the
channels of a tensor the class's layers made is asked of what their arguments
say (``in_build.py``).  ``sized_by_input`` says whether a class can: what
anything else of a tensor gives exists only once that tensor does.
"""

from __future__ import annotations

import libcst as cst

from ...ir.channels import known_channels
from ...ir.control import Cond
from ...ir.dataflow import consumed
from ...ir.graph import Graph, branches, walk
from ...ir.nodes import Call, Define, Node, Op
from ...ir.reads import identifiers_of
from ...ir.source_text import Code
from ...parse.shape_tests import shape_values
from ..branches import else_lines
from ..conditions import negate
from ..self_params import SelfParams
from .in_build import input_values, on_input_shape


def sized_by_input(graph: Graph) -> bool:
    """Whether every shape ``graph``'s layers and tests read outside call() is its (first)
    input's, at the top of its body or under an ``if`` there (build() asks it again), never in
    a loop (whose passes have no one place in build())."""
    static = input_shape_values(graph)
    entering = input_values(graph)
    channels = known_channels(graph, entering, {param.name for param in graph.params})
    for node in graph.body:
        tests = [item.test for item in walk((node,)) if isinstance(item, Cond)]
        for code in shape_codes(graph, node):
            # A layer sized by the channels another layer says (``Dense(h.shape[-1])`` as
            # ``Dense(self.units)``) would be read back as sized by that argument, not by the
            # tensor: only tests read them.
            test = any(code is test for test in tests)
            if on_input_shape(code, entering, static, channels if test else {}) is None:
                return False
    return not any(branches(node) and not isinstance(node, Cond) and shape_codes(graph, node) for node in walk(graph.body))


class ShapedLayers:
    """The ``build(input_shape)`` half of a class writer (with ``InitWriter`` and ``ClassWriter``):
    ``made_in`` leaves the shape-sized layers to ``build_lines``."""

    def start_build(self) -> None:
        self.in_build: list[Node] = []
        self.static = input_shape_values(self.graph)
        self.entering = input_values(self.graph)
        self.channels = known_channels(self.graph, self.entering, {param.name for param in self.params})
        self.build_only = _build_only(self.graph, self.static)

    def made_in(self, body: tuple[Node, ...], made: set[str]) -> list[str]:
        lines: list[str] = []
        for node in body:
            if node in self.graph.body and shape_codes(self.graph, node):
                self.in_build.append(node)
                made.update(_layers_of((node,)))
            else:
                lines += super().made_in((node,), made)
        return lines

    def read_in_build(self) -> set[str]:
        layers = _layers_of(tuple(node for node in self.graph.body if shape_codes(self.graph, node)))
        return {name for layer in layers for arg in self.graph.layer(layer).args for name in identifiers_of(arg.value.text)}

    def call_body(self, body: tuple[Node, ...], indent: str) -> list[str]:
        # ``filters = x.shape[-1]`` that only the layers build() makes read is build()'s alone.
        kept = tuple(node for node in body if not (isinstance(node, Op) and node.out in self.build_only))
        return super().call_body(kept, indent)

    def build_lines(self) -> list[str]:
        if not self.in_build:
            return []
        lines = ["def build(self, input_shape):"]
        needed = _static_reads(self.in_build, self.graph, self.static)
        for node in self.graph.body:
            if isinstance(node, Op) and node.out in needed:
                line = f"    {self.static[node.out]} = {self._built(node.expr)}"
                # Computed in build() alone, the value takes its comments along; computed in
                # call() too, they stay with call()'s line.
                lines += self.remarks.around([line], node.loc) if node.out in self.build_only else [line]
        return lines + ["    " + line for line in self._made_under(tuple(self.in_build), set())]

    def _made_under(self, body: tuple[Node, ...], made: set[str]) -> list[str]:
        """The layers ``body`` makes, each under the ``if``s call() asks again around it; only an
        ``else`` making layers is ``if not``, with no empty branch."""
        lines: list[str] = []
        for node in body:
            if isinstance(node, Cond):
                test = self._built(node.test)
                inner = self._made_under(node.body, made)
                other = ["    " + line for line in self._made_under(node.orelse, made)]
                if inner:
                    lines += [f"if {test}:", *("    " + line for line in inner)]
                    lines += else_lines(other, [], node.orelse, "") if other else []
                elif other:
                    lines += [f"if {negate(test)}:", *other]
            elif isinstance(node, (Call, Define)) and node.layer not in made:
                made.add(node.layer)
                lines += self._made([node.layer])
        return lines

    def _made(self, layer_ids: list[str]) -> list[str]:
        made = []
        for layer_id in layer_ids:
            layer = self.graph.layer(layer_id)
            args = ", ".join(
                (f"{arg.keyword}=" if arg.keyword else arg.star) + self._built(arg.value) for arg in layer.args
            )
            made.append(f"self.{self.attrs[layer_id]} = {layer.factory.text}({args})")
        return made

    def _built(self, code: Code) -> str:
        """``code`` in build(): the input's shape as ``input_shape``, parameters and the values
        ``__init__`` stores for call() (``axis = -1``) as ``self.<name>``."""
        tree = on_input_shape(code, self.entering, self.static, self.channels)
        tree = tree.visit(SelfParams({param.name for param in self.params} | self.init_values))
        return cst.Module([]).code_for_node(tree)


def _layers_of(body: tuple[Node, ...]) -> list[str]:
    return list(dict.fromkeys(item.layer for item in walk(body) if isinstance(item, (Call, Define))))


def shape_codes(graph: Graph, node: Node) -> list[Code]:
    """The code of ``node`` that reads a tensor's shape outside call(): an ``if`` on shapes
    (nested ones too), a layer made from a tensor."""
    codes = []
    for item in walk((node,)):
        if isinstance(item, Cond) and item.test.refs:
            codes.append(item.test)
        elif isinstance(item, (Call, Define)):
            codes += [arg.value for arg in graph.layer(item.layer).args if arg.value.refs]
    return codes


def input_shape_values(graph: Graph) -> dict[str, str]:
    """``{value: name}`` of the values the top of the body computes from its input's shape
    alone (``channels = x.shape[-1]``), which build() can compute from ``input_shape``."""
    inputs = graph.inputs_in_order()
    computed = shape_values(graph.body)
    static: dict[str, str] = {}
    for node in graph.body:
        if isinstance(node, Op) and node.out in computed and not node.more and node.name is not None:
            if node.name not in ("input_shape", "self") and on_input_shape(node.expr, frozenset({inputs[0].out}), static):
                static[node.out] = node.name
    return static


def _static_reads(nodes: list[Node], graph: Graph, static: dict[str, str]) -> set[str]:
    """The values of ``static`` that the shape codes of ``nodes`` read, and those they read in turn."""
    exprs = {node.out: node.expr for node in graph.body if isinstance(node, Op) and node.out in static}
    todo = [value for node in nodes for code in shape_codes(graph, node) for _, value in code.refs]
    needed: set[str] = set()
    while todo:
        value = todo.pop()
        if value in static and value not in needed:
            needed.add(value)
            todo += [inner for _, inner in exprs[value].refs]
    return needed


def _build_only(graph: Graph, static: dict[str, str]) -> frozenset[str]:
    """The values of ``static`` that no node of call() reads, nor its outputs, but only the
    arguments of layers (made in build()) and other such values."""
    unread = set(static) - set(graph.outputs.values)
    changed = True
    while changed:
        read = {value for node in walk(graph.body) if getattr(node, "out", None) not in unread for value in consumed(node)}
        changed = bool(unread & read)
        unread -= read
    return frozenset(unread)
