"""Reading a helper function once, as a block definition with parameters.

``residual_block(x, filters)`` called three times is one definition called
three times, as a ``Layer`` is one class with three instances.  Its body is
read here once, with the tensor parameters as shapeless ``Input`` nodes and the
others left as names (``Conv2D(filters, 3)``), so an emitter can write it as a
``keras.layers.Layer`` class.  Which parameters are tensors is decided by the
first call; a call that passes tensors differently, or a function that cannot
stand as a block (it rebinds a parameter, reads the layer object it is given
other than by calling or testing it, ...), is no block: its calls are written
out as before.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import libcst as cst

from ..ir.control import Cond
from ..ir.graph import Graph
from ..ir.model_parts import Block, Remark
from ..ir.nodes import Carrier, Helper, Input, Node, Op
from ..ir.returned import spread
from ..ir.source_text import Code, placeholder, ref
from .builder import GraphBuilder, Refusal, refuse
from .comments import remarks_between
from .docstrings import docstring
from .method_blocks import with_self_args, with_self_params
from .method_helpers import method_definition
from .model_classes import is_docstring
from .names_in import assigned_anywhere, calls_in, name_nodes
from .params import source_param
from .source import SourceFile



class _Tried(NamedTuple):
    """A function already tried: the block, the tensor parameters it was read with and those given
    a layer object, its ``def`` (a method and a function of one name are two helpers) and, for a
    method, ``{attr: parameter}`` of what it reads of the object (parse/method_blocks.py)."""

    block: Block | None
    tensors: tuple[frozenset[str], frozenset[str]]
    definition: cst.FunctionDef
    lifted: dict[str, str]


def as_block(
    lifter, helper: Helper, call: cst.Call, definition: cst.FunctionDef, arguments, tensors, layered: frozenset[str]
) -> Helper:
    """``helper`` as a call of the block ``definition`` stands for, when it can be one.

    ``arguments`` maps each parameter to its argument, ``tensors`` the tensor
    parameters to their values at this call, ``layered`` the parameters it gives
    a layer object made right there (``activation=layers.Activation("relu")``),
    which the block's instance is made with as the Keras wrappers are (``Bidirectional(LSTM(8))``).
    A call that gives layer objects to other parameters than an earlier call did makes the
    function no block for any call.
    A method (``self._conv_block(x)``) takes what it reads of the object too.
    """
    tried: dict[str, _Tried] = lifter.builder.blocks
    name = definition.name.value
    params = (frozenset(tensors), layered)
    usable = True
    if name in tried and tried[name].definition is not definition:
        # ``block(x)`` and ``self.block(x)`` in one model: two helpers, one name; neither is a block.
        usable = False
    if name in tried and tried[name].tensors[1] != layered:
        # A layer object one call makes and another does not (``shared``, the module's): instances of
        # one class would hold their own layer and a layer of the file's, which no config says.
        usable = False
    if helper.problem is not None or not usable:
        tried[name] = _Tried(None, params, definition, {})
        return helper
    if name not in tried:
        block, lifted = _block(lifter, definition, params, tried, method_definition(lifter.src, call.func) is not None) or (None, {})
        tried[name] = _Tried(block, params, definition, lifted)
    block, read_with, _, lifted = tried[name]
    if block is None or read_with != params:
        return helper
    given = {id(value) for param, value in arguments.items() if param not in tensors}
    args = tuple(GraphBuilder.arg(arg, _given(lifter, arg.value)) for arg in call.args if id(arg.value) in given)
    args = with_self_args(args, block.graph.params, lifted)
    order = [param.name for param in block.graph.inputs_in_order()]
    if not set(order) <= set(tensors):
        # An Input the function makes itself (``inputs = layers.Input(...)`` in a conv block) is
        # no tensor its caller hands it: not a block, read as its lines are.
        return helper
    inputs = tuple(tensors[param] for param in order)
    return replace(helper, block=name, args=args, inputs=inputs)


def _given(lifter, value: cst.BaseExpression) -> Code:
    """An argument that is not a tensor as the block's instance is made with it: as written, or
    the value it names (``n`` of ``n = x.shape[-1]``), which the caller's shape gives."""
    if isinstance(value, cst.Name) and value.value in lifter.env:
        return ref(lifter.env[value.value])
    return Code(lifter.src.code(value))


def blocks_of(builder: GraphBuilder) -> tuple[Block, ...]:
    """The blocks a model's lifting read, in the order they were first called: those every call
    could use (a later call that passes tensors or layer objects otherwise unmakes one)."""
    return tuple(tried.block for tried in builder.blocks.values() if tried.block is not None)


def settled(body: tuple[Node, ...], builder: GraphBuilder) -> tuple[Node, ...]:
    """``body`` with each helper call of a block that ``blocks_of`` left out written out only."""
    kept = {block.name for block in blocks_of(builder)}

    def node_of(node: Node) -> Node:
        if isinstance(node, Op) and node.helper is not None:
            helper = node.helper
            block = helper.block if helper.block in kept else None
            helper = replace(helper, block=block, body=tuple(map(node_of, helper.body)))
            return replace(node, helper=helper if block else replace(helper, args=(), inputs=()))
        if isinstance(node, Cond):
            return replace(node, body=tuple(map(node_of, node.body)), orelse=tuple(map(node_of, node.orelse)))
        if isinstance(node, Carrier):
            return replace(node, body=tuple(map(node_of, node.body)))
        return node

    return tuple(map(node_of, body))


def _block(
    caller, definition: cst.FunctionDef, params: tuple[frozenset[str], frozenset[str]], tried, method: bool
) -> tuple[Block, dict[str, str]] | None:
    """The block ``definition`` is, read with ``params`` (its tensor parameters, and those that
    hold a layer it calls), and what it reads of the object when it is a ``method`` (its ``self``
    no parameter); ``caller`` is the lifter of the code that calls it."""
    tensors, layered = params
    src = caller.src
    loc = src.loc(definition)
    ordered = [*definition.params.posonly_params, *definition.params.params, *definition.params.kwonly_params]
    ordered = ordered[int(method) :]
    statements = body_statements(definition)
    last = statements.pop()
    constants = {param.name.value for param in ordered} - tensors
    if not tensors or _default_layers(src, ordered) or _calls_any(definition, constants - layered):
        return None
    if constants & {"training", "mask"}:
        # What Keras passes a Layer's call() itself: a class taking it in its constructor would
        # hold the helper's flag where the graph lets the model's own flag through.
        return None
    if any(not _only_called(definition, name) for name in layered):
        # ``activation.units``, ``[activation]``: the parameter is read as the layer it calls only.
        return None
    builder = GraphBuilder(src, caller.builder.root)
    # Blocks a block calls live in the model, next to it.
    builder.blocks = tried
    lifter = caller.sub_lifter(definition, builder)
    inputs = []
    for param in ordered:
        if param.name.value in tensors:
            value = builder.new_value()
            inputs.append(Input(value, (), loc, param.name.value))
            lifter.env[param.name.value] = value
    try:
        lifter.statements(statements)
        returned = last.body[0].value
        elements = returned.elements if isinstance(returned, cst.Tuple) else ()
        results = [lifter.value_of(element.value) for element in elements] or [lifter.value_of(returned)]
    except Refusal:
        return None
    outputs = tensor_tuple(results, bare=not returned.lpar) if elements else ref(results[0])
    spread_out = None if elements else spread(tuple(lifter.nodes), results[0])
    if spread_out is not None:
        # ``outputs = [a, b]; return outputs``: the block returns the list it packs, as written.
        lifter.nodes[:], packed, _ = spread_out
        outputs = packed.expr
    graph = Graph(
        layers=tuple(builder.layers),
        body=(*inputs, *lifter.nodes),
        inputs=ref(inputs[0].out) if len(inputs) == 1 else tensor_tuple([node.out for node in inputs]),
        outputs=outputs,
        loc=loc,
        doc=docstring(src, definition.body.body),
        params=tuple(
            replace(source_param(src, param), layer=param.name.value in layered)
            for param in ordered
            if param.name.value not in tensors
        ),
        aliases=tuple(builder.aliases),
        returns=src.loc(last),
    )
    first, last = src.loc(definition).line, src.end_line(definition)
    # The comment above the ``def`` says what the helper does: its class's now, above the class
    # (a remark of the ``def`` line, which no node of the body has, is written above it).
    lines = definition.leading_lines
    if _heads_the_code(src.module, definition):
        # Then what a blank line parts from the ``def`` is the file's header, not the helper's.
        lines = lines[max((index for index, line in enumerate(lines) if line.comment is None), default=-1) + 1 :]
    above = tuple(Remark(first, line.comment.value) for line in lines if line.comment is not None)
    graph = replace(graph, remarks=above + remarks_between(src, graph, first, last, onward=True))
    found = with_self_params(graph, definition) if method else (graph, {})
    return None if found is None else (Block(definition.name.value, found[0], loc), found[1])


def _heads_the_code(module: cst.Module, definition: cst.FunctionDef) -> bool:
    """Whether ``definition`` is the module's first statement after its docstring and imports."""
    for statement in module.body:
        if statement is definition:
            return True
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if not isinstance(small, (cst.Import, cst.ImportFrom)) and not is_docstring(statement):
            return False
    return False


def body_statements(definition: cst.FunctionDef) -> list[cst.BaseStatement]:
    """The statements of the function's body, its docstring left out: it documents, it runs nothing."""
    statements = list(definition.body.body)
    return statements[1:] if statements and is_docstring(statements[0]) else statements


def split_return(
    src: SourceFile, definition: cst.FunctionDef, reader: str
) -> tuple[list[cst.BaseStatement], cst.BaseExpression]:
    """The statements of ``definition`` before its last, and the value that last one returns;
    refused when it does not end with ``return <value>``, so ``reader`` (the code that calls it)
    would get nothing from it."""
    statements = body_statements(definition)
    last = statements.pop() if statements else None
    small = last.body[0] if isinstance(last, cst.SimpleStatementLine) else None
    if not isinstance(small, cst.Return) or small.value is None:
        name = definition.name.value
        raise refuse(
            src.loc(definition),
            f"`{name}` does not end with `return <tensors>`, so {reader} gets nothing from it",
            f"end `{name}` with the tensors it computes",
        )
    return statements, small.value


def refuse_rebound(src: SourceFile, definition: cst.FunctionDef, statements, constants, kind: str) -> None:
    """A function written out at each call (``kind``: function, method) cannot rebind a parameter
    that is not a tensor: the caller's argument is pasted where the parameter is read."""
    # At any depth: ``if size is None: size = 3`` written out would assign to the caller's ``None``.
    rebound = assigned_anywhere(statements) & set(constants)
    if rebound:
        name = definition.name.value
        raise refuse(
            src.loc(definition),
            f"`{name}` assigns to its parameter `{sorted(rebound)[0]}`, so it cannot be written out at each call",
            f"use a new local name in the {kind}",
        )


def tensor_tuple(values: list[str], bare: bool = False) -> Code:
    """``(a, b)`` of the tensors ``values``, by their placeholders; ``a, b`` when ``bare`` (a
    ``return a, b`` written without parentheses is written so again)."""
    names = [placeholder(value) for value in values]
    text = f"{', '.join(names)}{',' if len(names) == 1 else ''}"
    return Code(text if bare else f"({text})", tuple(zip(names, values)))


def _calls_any(definition: cst.FunctionDef, names: set[str]) -> bool:
    """Whether the body calls one of its non-tensor parameters (``norm(x)``): a layer or function
    the caller passes, which a block made once in ``__init__`` cannot take per call."""
    return any(isinstance(call.func, cst.Name) and call.func.value in names for call in calls_in(definition.body))


def _only_called(definition: cst.FunctionDef, name: str) -> bool:
    """Whether the body reads ``name`` only to call it (``activation(x)``) or to test whether it
    was given one (``if activation:``, keras-io's WGAN-GP blocks), which a Layer class's attribute
    answers alike."""
    called = sum(isinstance(call.func, cst.Name) and call.func.value == name for call in calls_in(definition.body))
    tested = sum(_tests_given(test, name) for test in _if_tests(definition.body))
    read = sum(node.value == name for node in name_nodes(definition.body))
    return called + tested == read


def _if_tests(body: cst.CSTNode) -> list[cst.BaseExpression]:
    found: list[cst.BaseExpression] = []

    class Visitor(cst.CSTVisitor):
        def visit_If(self, node: cst.If) -> None:
            found.append(node.test)

    body.visit(Visitor())
    return found


def _tests_given(test: cst.BaseExpression, name: str) -> bool:
    """``name``, or ``name is not None``: whether a layer object was given."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if not (isinstance(target.operator, cst.IsNot) and isinstance(target.comparator, cst.Name)):
            return False
        return target.comparator.value == "None" and _tests_given(test.left, name)
    return isinstance(test, cst.Name) and test.value == name


def _default_layers(src: SourceFile, params: list[cst.Param]) -> bool:
    """A layer object as a default (``act=layers.ReLU()``) is one object every instance shares."""
    for param in params:
        default = param.default
        keras = src.keras(default.func) if isinstance(default, cst.Call) else None
        if keras is not None and keras.is_layer_class:
            return True
    return False

