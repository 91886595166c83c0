"""Variables a loop carries beside its first that hold the same tensor: one tensor, two names.

The keras.io U-Nets set ``previous_block_activation = x`` before a loop and at the end
of each pass, read it for the pass's residual projection, and read it again after the
loop (the next loop starts from it).  Both variables enter every pass holding one
tensor and leave it holding one tensor, so inside the pass the twin is the pass's
input, and after the loop (which may run no pass: both then still hold what entered)
it is the loop's output.  A pass lifted into a block (ir/loop_blocks.py) reads the twin
as the block's input, and the code after the loop reads the loop's output for it:
a substitution of one value for an equal one, so the graph after it is the same model.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from .control import Carried, Cond, Loop
from .nodes import Call, LayerDef, Node, Op, Stmt
from .source_text import Arg, Code


class Twins(NamedTuple):
    """``params``: each twin's tensor at the start of a pass → the first carried's; ``outs``: each
    twin's tensor after the loop → the first's; ``named``: the twins."""

    params: dict[str, str]
    outs: dict[str, str]
    named: tuple[Carried, ...]


def twins(loop: Loop) -> Twins | None:
    """The loop's carried variables beside its first as its twins, or None when one is not (it
    enters or leaves a pass holding another tensor)."""
    if not loop.carried:
        return None
    first, others = loop.carried[0], loop.carried[1:]
    if any((other.init, other.result) != (first.init, first.result) for other in others):
        return None
    params = {other.param: first.param for other in others}
    return Twins(params, {other.out: first.out for other in others}, others)


def renamed(body: tuple[Node, ...], values: dict[str, str]) -> tuple[Node, ...]:
    """``body`` reading each tensor of ``values`` as the tensor it maps to; a node that reads none
    of them stays the same object (passes tell a loop's own nodes from the rest by identity)."""
    if not values:
        return body
    out = tuple(_node(node, values) for node in body)
    return body if all(new is old for new, old in zip(out, body)) else out


def renamed_code(item: Code, values: dict[str, str]) -> Code:
    if not any(value in values for _, value in item.refs):
        return item
    return replace(item, refs=tuple((name, values.get(value, value)) for name, value in item.refs))


def renamed_layers(layers: tuple[LayerDef, ...], values: dict[str, str]) -> tuple[LayerDef, ...]:
    """``layers`` made from each tensor of ``values`` as from the tensor it maps to (a layer sized
    after the loop by the twin's shape)."""
    out = tuple(replace(layer, args=_args(layer.args, values)) for layer in layers)
    return layers if all(new.args is old.args for new, old in zip(out, layers)) else out


def _args(items: tuple[Arg, ...], values: dict[str, str]) -> tuple[Arg, ...]:
    out = tuple(replace(arg, value=renamed_code(arg.value, values)) for arg in items)
    return items if all(new.value is old.value for new, old in zip(out, items)) else out


def _carried(items: tuple[Carried, ...], values: dict[str, str]) -> tuple[Carried, ...]:
    # What enters and what each branch leaves are read; ``param`` and ``out`` are made here.
    def read(value: str | None) -> str | None:
        return values.get(value, value) if value is not None else None

    out = tuple(replace(item, init=read(item.init), result=read(item.result), other=read(item.other)) for item in items)
    return items if out == items else out


def _node(node: Node, values: dict[str, str]) -> Node:
    if isinstance(node, Call):
        new = replace(node, args=_args(node.args, values))
    elif isinstance(node, Op) and node.helper is not None:
        helper = node.helper
        inputs = tuple(values.get(value, value) for value in helper.inputs)
        helper = replace(helper, body=renamed(helper.body, values), inputs=inputs)
        new = replace(node, expr=renamed_code(node.expr, values), helper=helper)
    elif isinstance(node, Op):
        new = replace(node, expr=renamed_code(node.expr, values))
    elif isinstance(node, Stmt):
        new = replace(node, refs=renamed_code(node.reads, values).refs)
    elif isinstance(node, Cond):
        body, orelse = renamed(node.body, values), renamed(node.orelse, values)
        test = renamed_code(node.test, values)
        new = replace(node, test=test, carried=_carried(node.carried, values), body=body, orelse=orelse)
    elif isinstance(node, Loop):
        items = tuple(replace(item, source=renamed_code(item.source, values)) for item in node.items)
        iterable, body = renamed_code(node.iterable, values), renamed(node.body, values)
        new = replace(node, iterable=iterable, items=items, carried=_carried(node.carried, values), body=body)
    else:
        return node
    # Fields are compared one by one, each unchanged one by identity: cheap for a deep body.
    return node if new == node else new
