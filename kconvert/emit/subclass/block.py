"""Writing a helper block as a ``keras.layers.Layer`` class, as the Keras guide makes a block.

"Making new layers and models via subclassing": ``__init__`` takes the
helper's non-tensor parameters and makes the sublayers, ``call(self, x,
training=None)`` holds the helper's body, and ``get_config`` returns the
parameters.  A sublayer made from the input's shape, or only when its shape
says so (``if shortcut.shape[-1] != filters``), is made in
``build(input_shape)`` under the same test, nested as the source nests it
(``if pooling: ... elif filters != residual.shape[-1]:``), so no layer is made
that is never called; a value computed from that shape alone, tested or sizing
layers (``channels = x.shape[-1]``, then ``if channels != filters:`` or
``Dense(channels // 4)``), is computed again in ``build()`` from ``input_shape``
(call() keeps it only if it reads it itself), and a test on the channels of a
tensor the block's layers made is asked of what their arguments say
(``in_build.py``).  Keras hands a one-argument ``build()`` the shape of the
first tensor argument, so a block of several tensors sizes layers by its first
one's shape only (``shape_first.py`` puts the one that sizes them first).  A
block whose shape tests read anything else of a tensor, or sit in a loop, is not
written as a class (``writable``): its calls are written out.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.block_calls import blocks_as_layers
from ...ir.channels import known_channels
from ...ir.control import Cond
from ...ir.dataflow import consumed
from ...ir.graph import Graph, branches, walk
from ...ir.loop_blocks import loops_as_blocks
from ...ir.model_parts import Block
from ...ir.nodes import Call, Define, Input, Node, Op, Stmt
from ...ir.reads import identifiers_of
from ...ir.source_text import Code
from ...parse.shape_tests import shape_values
from ..branches import else_lines
from ..conditions import negate
from ..context import EmitContext
from ..model_attributes import MODEL_ATTRIBUTES
from ..self_params import SelfParams
from ..serializable import config_lines, decorator_lines
from .class_name import camel_case, class_name, says_nothing
from .in_build import input_values, on_input_shape
from .model import ClassWriter, emit_subclass
from .names import layer_noun
from .shape_first import shape_input_first


def emit_subclass_with_blocks(graph: Graph, ctx: EmitContext) -> str:
    """The model as a subclass, each of its helper blocks, and each loop pass of several layers
    (ir/loop_blocks.py), a Layer class before it."""
    # A pass of a model nothing names is a plain ``Block``: ``MyModelBlock`` (``MyModel1Block``
    # for a second one) says no more.
    graph = shape_input_first(graph)
    name = class_name(graph, ctx)
    owner = "" if says_nothing(name) else layer_noun(name)
    graph = loops_as_blocks(
        graph, lambda block, blocks: writable(block, block_classes(replace(graph, blocks=blocks), ctx)), owner
    )
    classes = block_classes(graph, ctx)
    converted = blocks_as_layers(graph, classes)
    used = _used_classes(converted, graph.blocks, classes)
    made = tuple(
        block_class_lines(block, classes[block.name], classes, ctx) for block in graph.blocks if block.name in used
    )
    return emit_subclass(converted, ctx, made)


def _used_classes(graph: Graph, blocks: tuple[Block, ...], classes: dict[str, str]) -> set[str]:
    """The blocks whose classes the model makes, itself or through another block's class: a block
    called only inside a helper that is written out at its calls is written out there too."""
    by_class = {classes[block.name]: block for block in blocks if block.name in classes}
    used: set[str] = set()
    todo = [graph]
    while todo:
        for layer in todo.pop().layers:
            block = by_class.get(layer.type_name)
            if block is not None and block.name not in used:
                used.add(block.name)
                todo.append(blocks_as_layers(block.graph, classes))
    return used


def block_classes(graph: Graph, ctx: EmitContext) -> dict[str, str]:
    """``{block name: class name}`` of the blocks of ``graph`` written as Layer classes."""
    # The model's class may be named as a helper is (``merge`` of merge.py): the block's class
    # gives way, or the model would make an instance of itself.
    taken = set(ctx.reserved) | {class_name(graph, ctx)}
    classes: dict[str, str] = {}
    for block in graph.blocks:
        if not writable(block.graph, classes):
            continue
        name = camel_case([part.lower() for part in block.name.split("_") if part])
        if not name.isidentifier():
            name = "Block" + name
        while name in taken and name not in ctx.shared_classes:
            name += "Layer"
        taken.add(name)
        classes[block.name] = name
    return classes


def writable(graph: Graph, classes: dict[str, str]) -> bool:
    """A block whose shape-dependent layers depend on its (first) input's shape alone, at the
    top of its body, whose blocks are classes too, and whose parameters a Layer can store as
    attributes (not ``name`` or ``dtype``, which the Layer itself has)."""
    if any(param.name in MODEL_ATTRIBUTES or param.star for param in graph.params):
        return False
    for node in walk(graph.body):
        if isinstance(node, Op) and node.helper is not None and node.helper.block not in classes:
            return False
        if isinstance(node, Stmt) and node.refs:
            # A shape check has no faithful place in call(): written out, the model refuses it.
            return False
    # ``decoder_block(x, skip, filters)`` is ``call(self, x, skip)``, each tensor an argument as
    # Keras layers take them; a one-argument ``build(input_shape)`` gets the first one's shape
    # (Keras 2 and 3 alike), so only what the first tensor's shape says can be made there.
    static = _input_shape_values(graph)
    entering = input_values(graph)
    channels = known_channels(graph, entering, {param.name for param in graph.params})
    for node in graph.body:
        tests = [item.test for item in walk((node,)) if isinstance(item, Cond)]
        for code in _shape_codes(graph, node):
            # A layer sized by the channels another layer of the block says (``Dense(h.shape[-1])``
            # as ``Dense(self.units)``) would be read back as sized by that argument, not by the
            # tensor: only tests read them.
            test = any(code is test for test in tests)
            if on_input_shape(code, entering, static, channels if test else {}) is None:
                return False
    # build() asks the ``if``s again, nested as the source nests them (``if pooling: ... elif
    # filters != x.shape[-1]:``); a loop's passes have no such one place there.
    return not any(branches(node) and not isinstance(node, Cond) and _shape_codes(graph, node) for node in walk(graph.body))


def block_class_lines(block: Block, name: str, classes: dict[str, str], ctx: EmitContext) -> list[str]:
    graph = blocks_as_layers(block.graph, classes)
    return _BlockWriter(graph, ctx, name).class_lines()


class _BlockWriter(ClassWriter):
    # ``x = self.conv(x)``: the helper's input name is free once it is read for the last time.
    keeps_inputs = False
    # ``return x + h`` as the helper wrote it: read back, a Layer class's call() is the block's
    # body whatever it returns, so no name is needed for the check.
    returns_expressions = True

    def __init__(self, graph: Graph, ctx: EmitContext, name: str) -> None:
        super().__init__(graph, ctx)
        self.name = name
        self.in_build: list[Node] = []
        self.static = _input_shape_values(graph)
        self.entering = input_values(graph)
        self.channels = known_channels(graph, self.entering, {param.name for param in self.params})
        self.build_only = _build_only(graph, self.static)

    def class_lines(self) -> list[str]:
        # Registered like the model class: loading a saved model looks its blocks up by name.
        lines = decorator_lines(self.graph, self.ctx) + [f"class {self.name}({self.ctx.symbols.layer}):"]
        if self.graph.doc is not None:
            # The helper's docstring says what the block does: the class's now.
            lines += ["    " + line for line in self.graph.doc.splitlines()] + [""]
        lines += ["    " + line for line in self.init_lines()]
        if self.in_build:
            lines += [""] + ["    " + line for line in self.build_lines()]
        lines += [""] + ["    " + line for line in self.call_lines()]
        config = config_lines(self.params, self.ctx)
        if config:
            lines += [""] + ["    " + line for line in config]
        # The helper goes, and with it any comment of its own that no line of the class took
        # (one above ``x0 = x``): kept above the class, as the rewriter keeps a model's.
        return [remark.text for remark in self.remarks.waiting] + lines

    def made_in(self, body: tuple[Node, ...], made: set[str]) -> list[str]:
        lines: list[str] = []
        for node in body:
            if node in self.graph.body and _shape_codes(self.graph, node):
                self.in_build.append(node)
                made.update(_layers_of((node,)))
            else:
                lines += super().made_in((node,), made)
        return lines

    def read_in_build(self) -> set[str]:
        layers = _layers_of(tuple(node for node in self.graph.body if _shape_codes(self.graph, node)))
        return {name for layer in layers for arg in self.graph.layer(layer).args for name in identifiers_of(arg.value.text)}

    def call_body(self, body: tuple[Node, ...], indent: str) -> list[str]:
        # ``filters = x.shape[-1]`` that only the layers build() makes read is build()'s alone.
        kept = tuple(node for node in body if not (isinstance(node, Op) and node.out in self.build_only))
        return super().call_body(kept, indent)

    def build_lines(self) -> list[str]:
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

    def call_header(self, inputs: tuple[Input, ...]) -> list[str]:
        names = [self.namer.bind(node.out, node.name or "inputs", fixed=True) for node in inputs]
        return [f"def call(self, {', '.join(names)}, training=None):"]


def _layers_of(body: tuple[Node, ...]) -> list[str]:
    return list(dict.fromkeys(item.layer for item in walk(body) if isinstance(item, (Call, Define))))


def _shape_codes(graph: Graph, node: Node) -> list[Code]:
    """The code of ``node`` that reads a tensor's shape outside call(): an ``if`` on shapes
    (nested ones too), a layer made from a tensor."""
    codes = []
    for item in walk((node,)):
        if isinstance(item, Cond) and item.test.refs:
            codes.append(item.test)
        elif isinstance(item, (Call, Define)):
            codes += [arg.value for arg in graph.layer(item.layer).args if arg.value.refs]
    return codes


def _input_shape_values(graph: Graph) -> dict[str, str]:
    """``{value: name}`` of the values the top of the block's body computes from its input's
    shape alone (``channels = x.shape[-1]``), which build() can compute from ``input_shape``."""
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
    todo = [value for node in nodes for code in _shape_codes(graph, node) for _, value in code.refs]
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
