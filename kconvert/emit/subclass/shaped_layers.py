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
from ...ir.control import Loop
from ...ir.nodes import Call, Define, LayerDef, Node, Op
from ...ir.reads import identifiers_of
from ...ir.source_text import Code
from ...parse.shape_tests import shape_values
from ..branches import else_lines
from ..conditions import negate
from ..self_params import SelfParams
from .build import input_keys, traced_in_build
from .helpers import walk_written_out
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


def made_in_build(graph: Graph) -> frozenset[str]:
    """The layers the model class makes in its ``build(input_shape)``: those sized by its one
    input's shape (``Dense(inputs.shape[-1] * 2)``), or made only when that shape says so, as a
    block's Layer class makes them (emit/subclass/shaped_layers.py).  None when any layer made
    from a tensor is sized by another tensor's shape, or sits in a loop or a written-out helper
    (which build() cannot make), or when build() already traces call() (``traced_in_build``)."""
    nodes = [node for node in graph.body if shape_codes(graph, node)]
    if (
        not nodes
        or len(graph.inputs_in_order()) != 1
        or input_keys(graph) is not None
        or traced_in_build(graph)
        or not sized_by_input(graph)
        or any(isinstance(item, (Loop, Op)) for item in walk(nodes))
    ):
        return frozenset()
    return frozenset(item.layer for item in walk(nodes) if isinstance(item, (Call, Define)))


def made_from_tensor(graph: Graph, layer: LayerDef) -> tuple[str, str]:
    """The refusal of a layer sized by a tensor's shape that no build(input_shape) can make, with
    why: made in a helper written out (not a Layer class) or in a loop, sized by a tensor the
    model's layers make, or in a model of several inputs."""
    where = _made_where(graph.body, layer.id, None)[1]
    made = _tensors_read(graph, layer)
    rule = "a subclass makes its layers in __init__, or in build(input_shape) from its one input's shape"
    if where is not None and where != "a loop":
        return (
            f"this layer is sized by a tensor's shape in `{where}`, which is written out in the model"
            f" rather than made a Layer class (whose build(input_shape) could make it); {rule}",
            f"write `{where}` as a Layer class that makes this layer in build(input_shape), or keep the"
            " Functional API",
        )
    if where is not None:
        return (
            f"this layer is sized by a tensor's shape in a loop: build(input_shape) has no one place for"
            f" the layers each pass makes; {rule}",
            "write the size as a number or a constructor parameter, or keep the Functional API",
        )
    if made:
        return (
            f"this layer is sized by `{made[0]}.shape`, a tensor the model's layers make, which exists only"
            f" once call() runs; {rule}",
            "write the size as a number or a constructor parameter (what sized the layer that made"
            f" `{made[0]}`), or keep the Functional API",
        )
    return (
        "this layer is made from a tensor (its shape) of a model of several inputs, and Keras hands"
        f" build(input_shape) the first one's shape alone; {rule}",
        "write the size as a number or a constructor parameter, or keep the Functional API",
    )


def _made_where(body: tuple[Node, ...], layer_id: str, around: str | None) -> tuple[bool, str | None]:
    """Whether ``body`` makes ``layer_id``, and where: in the helper written out around it (its
    name), in ``"a loop"``, or at the top of the model, under an ``if`` too (None)."""
    for node in body:
        if isinstance(node, (Call, Define)) and node.layer == layer_id:
            return True, around
        inner = [(branch, "a loop" if isinstance(node, Loop) else around) for branch in branches(node)]
        if isinstance(node, Op) and node.helper is not None and node.helper.problem is None:
            inner.append((node.helper.body, node.helper.name))
        for branch, context in inner:
            found = _made_where(branch, layer_id, context)
            if found[0]:
                return found
    return False, None


def _tensors_read(graph: Graph, layer: LayerDef) -> list[str]:
    """The names of the tensors, made by the model's layers, whose shapes ``layer`` reads."""
    nodes = {node.out: node for node in walk_written_out(graph.body) if isinstance(node, (Call, Op))}
    # ``dim = x.shape[-1]`` then ``Conv2D(dim)``: the tensor is the one ``dim`` is read from.
    todo, seen, made = [value for arg in layer.args for _, value in arg.value.refs], set(), []
    while todo:
        node = nodes.get(todo.pop(0))
        if node is None or node.out in seen:
            continue
        seen.add(node.out)
        if isinstance(node, Call) and node.name:
            made.append(node.name)
        elif isinstance(node, Op):
            todo += [value for _, value in node.expr.refs]
    return made


class ShapedLayers:
    """The ``build(input_shape)`` half of a class writer (with ``InitWriter`` and ``ClassWriter``):
    ``_made_by`` leaves the shape-sized layers to ``build_lines``."""

    def start_build(self) -> None:
        self.in_build: list[Node] = []
        self.static = input_shape_values(self.graph)
        self.entering = input_values(self.graph)
        self.channels = known_channels(self.graph, self.entering, {param.name for param in self.params})
        self.build_only = _build_only(self.graph, self.static)

    def _made_by(self, node: Node, body: tuple[Node, ...], made: set[str]) -> list[str]:
        if node in self.graph.body and shape_codes(self.graph, node):
            self.in_build.append(node)
            made.update(_layers_of((node,)))
            return []
        return super()._made_by(node, (node,), made)

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
            elif isinstance(node, Cond) and any(carried.out in needed for carried in node.carried):
                lines += [f"    if {self._built(node.test)}:", *self._computed(node.body), "    else:", *self._computed(node.orelse)]
        return lines + ["    " + line for line in self._made_under(tuple(self.in_build), set())]

    def _computed(self, body: tuple[Node, ...]) -> list[str]:
        """A branch of an ``if`` that chooses how a value is read from the input's shape."""
        return [f"        {self.static[node.out]} = {self._built(node.expr)}" for node in body]

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
        params = {param.name for param in self.params} | self.init_values
        tree = tree.visit(SelfParams(params, self.settled, self.spelled))
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

    def from_shape(node: Node, known: dict[str, str]) -> bool:
        return (
            isinstance(node, Op) and node.out in computed and not node.more and node.name not in (None, "input_shape", "self")
            and on_input_shape(node.expr, frozenset({inputs[0].out}), known) is not None
        )

    for node in graph.body:
        if from_shape(node, static):
            static[node.out] = node.name
        elif isinstance(node, Cond) and node.orelse and not node.test.refs and node.carried:
            # ``if channels_first: n = x.shape[1]`` ``else: n = x.shape[-1]``, on parameters: each
            # branch computes the value from the shape alone, and build() asks the same test.
            inner = {item.out: item.name for item in (*node.body, *node.orelse) if from_shape(item, static)}
            chosen = all(carried.name and {carried.result, carried.other} <= set(inner) for carried in node.carried)
            if chosen and len(inner) == len(node.body) + len(node.orelse):
                static |= inner | {carried.out: carried.name for carried in node.carried}
    return static


def _static_reads(nodes: list[Node], graph: Graph, static: dict[str, str]) -> set[str]:
    """The values of ``static`` that the shape codes of ``nodes`` read, and those they read in turn."""
    reads = {node.out: [value for _, value in node.expr.refs] for node in walk(graph.body) if isinstance(node, Op)}
    for node in graph.body:
        if isinstance(node, Cond):
            reads |= {carried.out: [carried.result, carried.other] for carried in node.carried}
    todo = [value for node in nodes for code in shape_codes(graph, node) for _, value in code.refs]
    needed: set[str] = set()
    while todo:
        value = todo.pop()
        if value in static and value not in needed:
            needed.add(value)
            todo += reads[value]
    return needed


def _build_only(graph: Graph, static: dict[str, str]) -> frozenset[str]:
    """The values of ``static`` that no node of call() reads, nor its outputs, but only the
    arguments of layers (made in build()) and other such values.  One an ``if`` chooses stays
    call()'s: its branches leave it to the ``if``."""
    top = {node.out for node in graph.body if isinstance(node, Op)}
    unread = (set(static) & top) - set(graph.outputs.values)
    changed = True
    while changed:
        read = {value for node in walk(graph.body) if getattr(node, "out", None) not in unread for value in consumed(node)}
        changed = bool(unread & read)
        unread -= read
    return frozenset(unread)
