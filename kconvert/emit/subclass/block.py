"""Writing a helper block as a ``keras.layers.Layer`` class, as the Keras guide makes a block.

"Making new layers and models via subclassing": ``__init__`` takes the
helper's non-tensor parameters and makes the sublayers, ``call(self, x,
training=None)`` holds the helper's body, and ``get_config`` returns the
parameters.  A sublayer made from the input's shape, or only when its shape
says so (``if shortcut.shape[-1] != filters``), is made in
``build(input_shape)`` under the same test (emit/subclass/shaped_layers.py, as
the model class does).  Keras hands a one-argument ``build()`` the shape of the
first tensor argument, so a block of several tensors sizes layers by its first
one's shape only (``shape_first.py`` puts the one that sizes them first).  A
block whose shape tests read anything else of a tensor, or sit in a loop, is not
written as a class (``writable``): its calls are written out.
"""

from __future__ import annotations

from dataclasses import replace

from ...ir.block_calls import blocks_as_layers
from ...ir.graph import Graph, walk
from ...ir.given_layers import called_params
from ...ir.layer_makers import layer_makers
from ...ir.learned_params import LearningBlocks, learning_blocks
from ...ir.loop_blocks import loops_as_blocks
from ...ir.model_parts import Block
from ...ir.nodes import Input, Op, Stmt
from ..context import EmitContext
from ..serializable import class_head, config_lines, stored_whole
from .build import build_method, builds_itself
from .class_name import GENERIC_MODEL_NAMES, builder_subject, camel_case, class_name, says_nothing
from .model import ClassWriter, emit_subclass
from .names import layer_noun
from .shape_first import shape_input_first
from .shaped_layers import ShapedLayers, sized_by_input


def emit_subclass_with_blocks(graph: Graph, ctx: EmitContext) -> str:
    """The model as a subclass, each of its helper blocks, and each loop pass of several layers
    (ir/loop_blocks.py), a Layer class before it."""
    # A pass of a model nothing names is a plain ``Block``: ``MyModelBlock`` (``MyModel1Block``
    # for a second one) says no more; a ``CharCNNModel``'s is a ``CharCNNBlock``.
    graph = shape_input_first(graph)
    name = class_name(graph, ctx)
    owner = "" if says_nothing(name) else layer_noun(name).removesuffix("_model") or layer_noun(name)
    graph = loops_as_blocks(
        graph, lambda block, blocks: writable(block, block_classes(replace(graph, blocks=blocks), ctx)), owner
    )
    classes = block_classes(graph, ctx)
    converted = blocks_as_layers(graph, classes)
    used = _used_classes(converted, graph.blocks, classes)
    learning = learning_blocks(graph.blocks, classes)
    made = tuple(
        block_class_lines(block, classes[block.name], classes, ctx, learning)
        for block in graph.blocks
        if block.name in used
    )
    return emit_subclass(converted, ctx, made, learning)


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
        # ``build_category_branch`` makes a ``CategoryBranch``, as ``build_resnet`` a ``ResNet``.
        subject = builder_subject(block.name) or block.name
        if subject.lower() in GENERIC_MODEL_NAMES | {"layer", "block"}:
            subject = block.name
        # ``PrimaryCap`` keeps its capitals (was ``Primarycap``); ``CONV_BLOCK`` is a ``ConvBlock``.
        name = camel_case([part.lower() if part.isupper() else part for part in subject.split("_") if part])
        if not name.isidentifier():
            name = "Block" + name
        while name in taken and name not in ctx.shared_classes:
            name += "Layer"
        taken.add(name)
        classes[block.name] = name
    return classes


# What ``keras.layers.Layer.__init__`` takes itself, and its ``get_config`` returns.
LAYER_ARGUMENTS = frozenset({"trainable", "dtype", "autocast", "activity_regularizer"})


def writable(graph: Graph, classes: dict[str, str]) -> bool:
    """A block whose shape-dependent layers depend on its (first) input's shape alone, at the
    top of its body, whose blocks are classes too (a helper that is no block is written out in
    its body, as a model's is), and whose parameters a Layer can take: not what its own
    constructor takes (``dtype``, ``trainable``; ``name`` is the Layer's own, which its class passes
    on: serializable.constructor). One named like another attribute of Keras' (``layers``, a list of
    widths) is kept under another name (serializable.stored_as)."""
    if any(param.name in LAYER_ARGUMENTS or param.star for param in graph.params):
        return False
    for node in walk(graph.body):
        if isinstance(node, Op) and node.helper is not None and node.helper.block not in (None, *classes):
            return False
        if isinstance(node, Stmt) and node.refs:
            # A shape check has no faithful place in call(): written out, the model refuses it.
            return False
    # ``decoder_block(x, skip, filters)`` is ``call(self, x, skip)``, each tensor an argument as
    # Keras layers take them; a one-argument ``build(input_shape)`` gets the first one's shape
    # (Keras 2 and 3 alike), so only what the first tensor's shape says can be made there.
    return sized_by_input(graph)


def block_class_lines(
    block: Block, name: str, classes: dict[str, str], ctx: EmitContext, learning: LearningBlocks
) -> list[str]:
    graph = blocks_as_layers(block.graph, classes)
    # What a helper it calls says is that helper's, whose own class or function says it.
    return _BlockWriter(graph, ctx, name, learning).class_lines(block.graph.helper_lines())


class _BlockWriter(ShapedLayers, ClassWriter):
    # ``x = self.conv(x)``: the helper's input name is free once it is read for the last time.
    keeps_inputs = False

    def __init__(self, graph: Graph, ctx: EmitContext, name: str, learning: LearningBlocks) -> None:
        super().__init__(graph, ctx, learning)
        self.name = name
        self.start_build()

    def class_lines(self, helpers: set[int]) -> list[str]:
        # Registered like the model class: loading a saved model looks its blocks up by name.
        # The helper's docstring says what the block does: the class's now.
        lines = class_head(self.graph, self.ctx, [f"class {self.name}({self.ctx.symbols.layer}):"])
        lines += ["    " + line for line in self.init_lines()]
        build = self.build_lines() or (build_method(self.graph, self.ctx) if builds_itself(self.graph) else [])
        if build:
            lines += [""] + ["    " + line for line in build]
        lines += [""] + ["    " + line for line in self.call_lines()]
        config = config_lines(
            self.params, self.ctx, lines, layer_makers(self.graph), frozenset(self.learned), called_params(self.graph)
        )
        lines = stored_whole(lines, self.params) if config else lines
        if config:
            lines += [""] + ["    " + line for line in config]
        # The helper goes, and with it any comment of its own that no line of the class took
        # (one above ``x0 = x``): kept above the class, as the rewriter keeps a model's.
        return [remark.text for remark in self.remarks.waiting if remark.line not in helpers] + lines

    def call_header(self, inputs: tuple[Input, ...]) -> list[str]:
        names = [self.namer.bind(node.out, node.name or "inputs", fixed=True) for node in inputs]
        return [f"def call(self, {', '.join(names)}, training=None):"]
