"""The model as a whole in Functional code: ``keras.Model(...)``'s arguments, its inputs, its wiring."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..ir.dataflow import consumed, produced
from ..ir.graph import Graph, walk
from ..ir.nodes import Call, Carrier, Input, Node, Op
from ..ir.source_text import Loc
from .builder import refuse
from .keras_names import INPUT
from .names_in import calls_in
from .shape_tests import shape_values
from .source import SourceFile


def model_arguments(call: cst.Call):
    """``(inputs, outputs, name, extra)`` of a ``keras.Model(...)`` call, or None."""
    inputs = outputs = name = None
    extra = []
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    for arg in call.args:
        keyword = arg.keyword.value if arg.keyword else None
        if keyword == "inputs":
            inputs = arg.value
        elif keyword == "outputs":
            outputs = arg.value
        elif keyword == "name":
            name = arg
        elif keyword is not None or arg.star:
            extra.append(arg)
    if inputs is None and positional:
        inputs = positional[0].value
    if outputs is None and len(positional) > 1:
        outputs = positional[1].value
    if inputs is None or outputs is None:
        return None
    return inputs, outputs, name, extra


def input_statement(src: SourceFile, statement: cst.BaseStatement) -> tuple[str, ...]:
    """The names bound by ``name = keras.Input(...)`` (``x = inputs = keras.Input(...)``: both)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return ()
    small = statement.body[0]
    if (
        isinstance(small, cst.Assign)
        and all(isinstance(target.target, cst.Name) for target in small.targets)
        and isinstance(small.value, cst.Call)
    ):
        keras = src.keras(small.value.func)
        if keras is not None and keras.path in INPUT:
            return tuple(target.target.value for target in small.targets)
    return ()


def input_list(statement: cst.BaseStatement) -> tuple[str, tuple[str, ...]] | None:
    """``all_inputs = [age, sex]``: the name and the names it lists, if that is the statement."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
        return None
    names = listed_names(small.value)
    return (small.targets[0].target.value, names) if names else None


def listed_names(expr: cst.BaseExpression) -> tuple[str, ...]:
    """``[a, b]`` or ``(a, b)`` of plain names: those names; anything else: ()."""
    if not isinstance(expr, (cst.List, cst.Tuple)) or not expr.elements:
        return ()
    elements = [element.value for element in expr.elements if not isinstance(element, cst.StarredElement)]
    if len(elements) != len(expr.elements) or not all(isinstance(element, cst.Name) for element in elements):
        return ()
    return tuple(element.value for element in elements)


def check_connected(graph: Graph, read_later: dict[str, Loc] | None = None, graph_code: bool = False) -> Graph:
    """Every tensor the model's statements make must reach the outputs (``read_later``: the names
    code after the model reads, and where); the graph given back.  In ``graph_code`` (Functional
    code, a class that builds a graph) a layer called on the model's tensors whose result nothing
    uses is left out of the model by Keras: kept in ``graph.unused``, which only a style that
    writes the same graph code can write (``site_refusals.py``)."""
    unused = []
    if not graph.outputs.values:
        # A course template's ``predictions = ...`` (a TODO): no layer computes what the model
        # returns, so there is no graph to write in another style.
        raise refuse(
            graph.loc,
            f"the model's outputs `{graph.outputs.text}` are not a tensor its layers compute",
            "compute the outputs from the inputs with layers (a placeholder such as `...` is not a model yet)",
        )
    needed = _needed(graph)
    for node in graph.body:
        if isinstance(node, (Call, Op, *Carrier)) and not set(produced(node)) & needed and not _inert(node):
            read = (read_later or {}).get(_described(node))
            if read is not None:
                # ``shape = K.int_shape(x)`` in an encoder, read by the decoder built after it.
                # Said where it is read, with no line in the message: the safety check knows a
                # refusal the source had by its message, and lines move when a conversion writes.
                raise refuse(
                    read,
                    f"`{_described(node)}` is computed from the model's tensors among its statements, but"
                    " only code after the model reads it; only the Functional form keeps those tensors",
                    "keep this model Functional, or compute the value without the model's tensors",
                )
            if graph_code and isinstance(node, Call):
                unused.append((_described(node), node.loc))
                continue
            raise refuse(
                node.loc,
                f"`{_described(node)}` is computed among the model's statements"
                " but the model does not use it",
                "move unrelated code after the model, or add the tensor to the outputs",
            )
        # A chosen input (``input_tensor``) reaches the model through the ``if`` that picks its inputs.
        picked = isinstance(node, Input) and node.choice is not None and not graph.inputs.values
        if isinstance(node, Input) and node.out not in graph.inputs.values and not picked:
            _refuse_input_of_inner_model(graph, node)
            raise refuse(
                node.loc,
                f"`{node.name}` is an Input that is not among the model's inputs",
                "add it to `inputs=` or move it after the model",
            )
    return replace(graph, unused=tuple(unused)) if unused else graph


def _refuse_input_of_inner_model(graph: Graph, node: Input) -> None:
    """``TimeDistributed(keras.Model(inputs=frame, outputs=x))(frames)``: the Input is another
    model's, made inside this model's code as a layer's argument; kconvert reads that argument as
    an expression and does not convert the model it makes, whose layers would be lost.  (No line in
    the message: the safety check knows a refusal the source had by its message.)"""
    for layer in graph.layers:
        if any(node.out in arg.value.values and "Model(" in arg.value.text for arg in layer.args):
            raise refuse(
                node.loc,
                f"`{node.name}` is the input of a model made inside this model's code, in the arguments"
                f" of `{layer.type_name}`; kconvert does not convert a model"
                " nested in another's lines",
                "build the inner model in a function of its own and call it there"
                f" (`{layer.type_name}(frame_model())`, say), which kconvert converts too, or keep this model Functional",
            )


def check_inputs_reach_outputs(graph: Graph, model: cst.Call, src: SourceFile) -> None:
    """Functional code whose outputs no input of the model reaches (its layers called on a tensor
    of code before it, ``Dense(2)(x)`` with ``x`` another model's): ``keras.Model(...)`` stops
    with "Graph disconnected", and another style would write a model as broken."""
    inputs = [node.out for node in graph.walk() if isinstance(node, Input) and node.out in graph.inputs.values]
    if inputs and graph.outputs.values and not set(inputs) & _needed(graph):
        raise refuse(
            src.loc(model),
            "no input of this model reaches its outputs (its layers are called on a tensor its own lines do not"
            " compute), so Keras stops here with a \"Graph disconnected\" error",
            "call the model's first layer on its Input",
        )


def _needed(graph: Graph) -> set[str]:
    """The values the outputs are computed from, the outputs included."""
    needed = set(graph.outputs.values)
    for node in reversed(graph.body):
        if isinstance(node, Carrier):
            if set(produced(node)) & needed:
                needed |= {value for inner in walk((node,)) for value in consumed(inner)}
                needed |= set(consumed(node))
        elif set(produced(node)) & needed:
            needed |= set(consumed(node))
            if isinstance(node, Call):
                # ``AveragePooling2D(pool_size=(shape[1], shape[2]))(x)`` after ``shape = K.int_shape(x)``.
                needed |= {value for arg in graph.layer(node.layer).args for value in arg.value.values}
    return needed


def _inert(node: Node) -> bool:
    """An unused read such as ``pooled = out.pooler_output``: it makes nothing, so any style may keep it.

    A call is never inert: a layer, a merge function or a helper makes weights that a Functional
    model leaves out when its result is unused, and another style would not.  But for one that
    reads tensors only through their static shapes (PeleeNet's ``features_shape =
    K.int_shape(features)``): it computes numbers, known in every style that runs code.
    """
    if not isinstance(node, Op) or node.helper is not None:
        return False
    return not _has_call(node.expr.text) or bool(shape_values((node,)))


def _has_call(code: str) -> bool:
    return bool(calls_in(cst.parse_expression(code)))


def _described(node: Node) -> str:
    """The variable(s) the source gave a node's tensors, for a refusal."""
    if isinstance(node, Carrier):
        return ", ".join(carried.name for carried in node.carried if carried.name) or "this tensor"
    return node.name or "this tensor"
