"""Invariants every graph must keep; tests call ``lint`` after every parse.

Like torch.fx's ``Graph.lint``: each value is made once, every tensor is made
before it is read (by a call, or by the constructor of the layer it calls), every
call names a known layer, the model's inputs are ``Input`` nodes, and every
comment belongs to a line where a node or layer of the graph starts.  A
helper block's definition is a graph of its own and is checked as one; a call
of it names a known block and takes as many tensors as the block returns.
"""

from __future__ import annotations

from .control import Cond
from .dataflow import consumed, produced
from .graph import Graph, walk
from .nodes import Call, Carrier, Define, Input, Node, Op


class LintError(AssertionError):
    pass


def lint(graph: Graph, blocks: Graph | None = None) -> None:
    """``blocks``: the model whose ``blocks`` a block's own graph calls (all live in the model)."""
    owner = blocks or graph
    names = [block.name for block in owner.blocks]
    if len(set(names)) != len(names):
        raise LintError(f"duplicate blocks: {names}")
    if blocks is None:
        for block in graph.blocks:
            if block.graph.blocks:
                raise LintError(f"block {block.name} holds blocks of its own: they belong to the model")
            lint(block.graph, graph)
    for node in walk(graph.body):
        if isinstance(node, Op) and node.helper is not None and node.helper.block is not None:
            if node.helper.block not in names:
                raise LintError(f"{node} calls unknown block {node.helper.block}")
            returned = owner.block(node.helper.block).graph.outputs.values
            if len(produced(node)) != len(returned) and not _whole(node, len(returned)):
                raise LintError(f"{node} makes {len(produced(node))} tensors, its block returns {len(returned)}")
    layer_ids = [layer.id for layer in graph.layers]
    if len(set(layer_ids)) != len(layer_ids):
        raise LintError(f"duplicate layer ids: {layer_ids}")
    made: set[str] = set()
    _check(graph, graph.body, made, set(layer_ids))
    for value in graph.outputs.values:
        if value not in made:
            raise LintError(f"output {value} is never made")
    inputs = {node.out for node in graph.walk() if isinstance(node, Input)}
    for value in graph.inputs.values:
        if value not in inputs:
            raise LintError(f"model input {value} is not an Input node")
    lines = graph.code_lines() | graph.helper_lines()
    for remark in graph.remarks:
        if remark.line not in lines or not (remark.text.startswith("#") or (remark.blank and not remark.text)):
            raise LintError(f"{remark} belongs to no node or layer of the graph")


def _check(graph: Graph, body: tuple[Node, ...], made: set[str], layers: set[str]) -> None:
    for node in body:
        for value in consumed(node):
            if value not in made:
                raise LintError(f"{node} reads {value} before it is made")
        if isinstance(node, (Call, Define)) and node.layer not in layers:
            raise LintError(f"{node} names unknown layer {node.layer}")
        if isinstance(node, Call):
            # A layer made from a tensor (``Dense(x.shape[-1])``) is made where it is first called.
            for arg in graph.layer(node.layer).args:
                for value in arg.value.values:
                    if value not in made:
                        raise LintError(f"layer {node.layer} is made from {value} before it is made")
        if isinstance(node, Op) and node.changes is not None and node.changes not in node.expr.values:
            raise LintError(f"{node} changes {node.changes} in place but does not read it")
        if isinstance(node, Carrier):
            entering = made | {carried.param for carried in node.carried if carried.init is not None}
            entering |= {item.value for item in getattr(node, "items", ())}
            inner, other = set(entering), set(entering)
            _check(graph, node.body, inner, layers)
            if isinstance(node, Cond):
                _check(graph, node.orelse, other, layers)
            for carried in node.carried:
                if carried.result not in inner:
                    raise LintError(f"result {carried.result} of {type(node).__name__} is never made")
                if carried.other is None and bool(getattr(node, "orelse", ())):
                    raise LintError(f"{carried} has no else result, but the `if` has an else")
                if carried.init is None and carried.other is None:
                    raise LintError(f"{carried} enters with no tensor, but not every branch makes one")
                if carried.other is not None and carried.other not in other:
                    raise LintError(f"else result {carried.other} of {type(node).__name__} is never made")
        for value in produced(node):
            if value in made:
                raise LintError(f"{value} is made twice")
            made.add(value)


def _whole(node: Op, count: int) -> bool:
    """Whether the block call ``node``, bound to one name (``pair = block(x)``), stands for the
    block's whole result: its helper's one result packs the ``count`` tensors the block returns."""
    results = node.helper.results
    return len(results) == 1 and any(
        isinstance(inner, Op) and inner.out == results[0] and len(inner.expr.values) == count
        for inner in node.helper.body
    )
