"""The line after a converted subclass's instance that builds it, so ``summary()`` sees its layers.

A subclass is built only by a call: on ``keras.Input`` where the model's
inputs have shapes, on zeros for a stateful RNN (which a symbolic call cannot
trace).  A layer that makes tensors while it is built (a ``Normalization``'s
mean and variance) needs the model's own ``build(input_shape)``
(``traced_in_build``).  A builder's parameter only the ``Input`` reads
(``input_shape``) is the build line's, not the class's (``without_shape_params``).
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.graph import Graph
from ...ir.nodes import Input, LayerDef
from ...ir.input_reads import params_read_only_by_inputs
from ...ir.source_text import Arg
from ..context import EmitContext
from ..given import as_given


def without_shape_params(graph: Graph, ctx: EmitContext, taken: tuple[str, ...] = ()) -> Graph:
    """The graph without the builder's parameters only its ``Input`` reads, when the line that
    builds the instance is written in that builder, where they are: the class has no use for them.
    A method's ``self.img_shape`` read as a parameter (``Param.given``) stays one: the way back
    would have nowhere to take it from.  A graph class's instances give the build line after
    each of them the parameters ``taken`` (rewrite/instance_shapes.py)."""
    if taken:
        return replace(graph, params=tuple(param for param in graph.params if param.name not in taken))
    if ctx.makes_no_instance or not build_line(graph, ctx, "model"):
        return graph
    shapes = params_read_only_by_inputs(graph)
    return replace(graph, params=tuple(param for param in graph.params if param.name not in shapes or param.given))


def build_line(graph: Graph, ctx: EmitContext, target: str) -> str | None:
    """``model(keras.Input(shape=(20,)))``: Keras 3 builds a subclass's layers only by a call."""
    inputs = graph.inputs_in_order()
    if not builds_on_inputs(graph):
        return None
    if builds_on_zeros(graph):
        return f"{target}({ctx.symbols.ops}.zeros({_zeros_shape(inputs[0])}))"
    if builds_by_shape(graph):
        # Its layers are then built by the first real call, outside any symbolic trace.
        return f"{target}.build({_zeros_shape(inputs[0]).replace('(1,', '(None,', 1)})"
    made = built_inputs(graph, ctx)
    keys = input_keys(graph)
    if keys is not None:
        structure = "{" + ", ".join(f"{key}: {item}" for key, item in zip(keys, made)) + "}"
    else:
        structure = made[0] if len(made) == 1 else f"[{', '.join(made)}]"
    return f"{target}({structure})"


def built_inputs(graph: Graph, ctx: EmitContext) -> list[str]:
    """``keras.Input(shape=(20,))`` for each of the model's inputs, in order, as the build line makes them."""
    return [f"{ctx.symbols.input}({_args_text(node, graph)})" for node in graph.inputs_in_order()]


# Layers that make tensors while they are built (a Normalization's mean and variance): built in a
# symbolic trace (a call on ``keras.Input``), those tensors belong to that trace and every later
# call fails with "tensor ... is out of scope".
BUILT_ON_DATA = frozenset({"Normalization", "Discretization"})


def _built_on_data(layer: LayerDef) -> bool:
    """A layer of ``BUILT_ON_DATA`` or of a class whose build() keeps a tensor, or an external
    Sequential that lists one: it builds its layers at its first call, inside the trace of the
    model that calls it."""
    return layer.type_name in BUILT_ON_DATA or layer.builds_tensor or not BUILT_ON_DATA.isdisjoint(layer.holds)


def builds_on_zeros(graph: Graph) -> bool:
    """Whether to build on data: Keras 3 cannot trace a stateful RNN on a symbolic
    ``keras.Input``, but a call on zeros of the model's full batch shape builds it."""
    inputs = graph.inputs_in_order()
    stateful = any(
        arg.keyword == "stateful" and arg.value.text == "True" for layer in graph.layers for arg in layer.args
    )
    return stateful and len(inputs) == 1 and any(arg.keyword == "batch_shape" for arg in inputs[0].args)


def traced_in_build(graph: Graph) -> bool:
    """Whether the model class gets a ``build(input_shape)`` that calls ``call()`` on a symbolic
    input: a model with a layer of ``BUILT_ON_DATA``, or a block that has one and its own such
    ``build`` (``builds_itself``), whose inputs are one or a list.

    Without a ``build()`` of its own, a subclass's first call, even on data, traces ``call()``
    in a scope of its own, and such a layer built there makes its tensors in that scope.  Called
    on a symbolic input (as a Functional model is made), each layer is built before its call,
    outside any trace.  A block's Layer class called so is built before its call, but its own
    layers only in its trace: it needs a ``build()`` of its own, else the model is left to
    ``builds_by_shape``.
    """
    own = [block for block in graph.blocks if builds_itself(block.graph)]
    in_blocks = any(_built_on_data(layer) for block in graph.blocks if block not in own for layer in block.graph.layers)
    return (
        (any(_built_on_data(layer) for layer in graph.layers) or bool(own))
        and not in_blocks
        and input_keys(graph) is None
    )


def builds_itself(graph: Graph) -> bool:
    """Whether a block's Layer class has a ``build`` that traces its ``call()`` as a model's does:
    it has a layer of ``BUILT_ON_DATA``, one input, and no layer sized by a tensor (whose
    ``build`` makes those)."""
    return (
        any(_built_on_data(layer) for layer in graph.layers)
        and len(graph.inputs_in_order()) == 1
        and not any(layer.reads_tensors for layer in graph.layers)
    )


def build_method(graph: Graph, ctx: EmitContext) -> list[str]:
    """The class's ``build`` when ``traced_in_build`` says it needs one, else nothing: a call on
    ``keras.Input`` of the shape Keras gives, or of each shape of the list a model of several
    inputs is called with (each of its input's dtype: a lookup of strings takes no floats)."""
    if not traced_in_build(graph):
        return []
    inputs = graph.inputs_in_order()
    if len(inputs) == 1:
        made = f"{ctx.symbols.input}(batch_shape=input_shape)"
    else:
        made = "[" + ", ".join(
            f"{ctx.symbols.input}({', '.join([f'batch_shape=input_shape[{index}]', *_dtype(node)])})"
            for index, node in enumerate(inputs)
        ) + "]"
    # Said of what the model has: a Normalization's statistics, or a layer of the file's keeping a tensor.
    seen = [*graph.layers, *(layer for block in graph.blocks for layer in block.graph.layers)]
    normalizes = any(layer.type_name in BUILT_ON_DATA or BUILT_ON_DATA.intersection(layer.holds) for layer in seen)
    maker = "Normalization" if normalizes else "layer"
    return [
        "def build(self, input_shape):",
        '    """Builds each layer before its symbolic call, outside any trace: the tensors a',
        f"    {maker} makes while it is built stay usable.\"\"\"",
        f"    self.call({made})",
    ]


def _dtype(node: Input) -> list[str]:
    return [f"dtype={arg.value.text}" for arg in node.args if arg.keyword == "dtype"]


def builds_by_shape(graph: Graph) -> bool:
    """A model of one input of a written-out shape with a layer that makes tensors while it is
    built, which ``traced_in_build`` cannot build: ``model.build(shape)`` marks the model built
    without a trace (Keras warns that it builds none of its layers; the first real call builds
    them, eagerly)."""
    inputs = graph.inputs_in_order()
    layers = [layer for inner in (graph, *(block.graph for block in graph.blocks)) for layer in inner.layers]
    return (
        any(_built_on_data(layer) for layer in layers)
        and not traced_in_build(graph)
        and len(inputs) == 1
        and (shape := _zeros_shape(inputs[0])) is not None
        and shape.startswith("(1,")
    )


def _zeros_shape(node: Input) -> str | None:
    """``(8, 5, 2)`` from ``batch_shape=(8, 5, 2)``, ``(1, 5)`` from ``shape=(5,)``; None when a
    dimension is unknown or the shape is not written out."""
    for arg in node.args:
        if arg.keyword == "batch_shape":
            return arg.value.text
        if arg.keyword == "shape" or (arg.keyword is None and arg is node.args[0]):
            shape = cst.parse_expression(arg.value.text)
            if isinstance(shape, (cst.Tuple, cst.List)) and all(
                isinstance(element.value, cst.Integer) for element in shape.elements
            ):
                dims = ["1", *(element.value.value for element in shape.elements)]
                return f"({', '.join(dims)})"
    return None


def builds_on_inputs(graph: Graph) -> bool:
    """Whether the model has input shapes to build it with (it then needs ``keras.Input``)."""
    inputs = graph.inputs_in_order()
    return bool(inputs) and all(node.args for node in inputs)


def input_keys(graph: Graph) -> list[str] | None:
    """The keys (as written) of inputs given as a dict, in the order of the graph's Inputs."""
    expr = cst.parse_expression(graph.inputs.text)
    if not isinstance(expr, cst.Dict):
        return None
    by_placeholder = {
        element.value.value: cst.Module([]).code_for_node(element.key)
        for element in expr.elements
        if isinstance(element, cst.DictElement) and isinstance(element.value, cst.Name)
    }
    placeholders = dict((value, name) for name, value in graph.inputs.refs)
    return [by_placeholder[placeholders[node.out]] for node in graph.inputs_in_order()]


def _args_text(node: Input, graph: Graph) -> str:
    """The Input's arguments as the line beside the instance reads them (``shape=(self.latent_dim,)``)."""
    return ", ".join(arg_text(replace(arg, value=replace(arg.value, text=as_given(arg.value.text, graph)))) for arg in node.args)


def arg_text(arg: Arg) -> str:
    return f"{arg.keyword}={arg.value.text}" if arg.keyword else f"{arg.star}{arg.value.text}"
