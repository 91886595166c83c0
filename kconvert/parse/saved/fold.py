"""A saved model's repeated blocks (``repeats.py``) folded into the IR's helper blocks.

Each repeat becomes a ``Block``: its first instance's layers, the varying
config values replaced by the block's parameters and the chosen names by
f-strings of its ``prefix``, called by an ``Op`` per instance whose ``Helper``
keeps the instance's own layers as its body.  Calls of one block that chain
(each reads only the previous one's result) become a loop over their
arguments (``block_loops.py``).  Then a tensor is named only where it is still
read twice, as the lifter names them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import Callable

from ...ir.dataflow import consumed
from ...ir.graph import Graph
from ...ir.model_parts import Block, Param
from ...ir.nodes import Call, Helper, Input, LayerDef, Node, Op
from ...ir.source_text import Arg, Code, placeholder, ref
from . import defaults
from .block_loops import chained_into_loops
from .layers import NOWHERE
from .repeats import PLACEHOLDER, Repeat, find_repeats
from .values import Customs, callee_of, literal


def fold_repeats(graph: Graph, entries: dict[str, dict], customs: Customs, reserve: Callable[[str], str]) -> Graph:
    """``graph`` with its repeated blocks as helper blocks; ``graph`` itself when it repeats nothing."""
    repeats = find_repeats(graph, entries)
    if not repeats:
        return graph
    blocks, calls = [], {}
    for repeat in repeats:
        name = reserve(_block_name(graph, repeat, entries))
        blocks.append(_block(graph, repeat, name, entries, customs))
        for number, instance in enumerate(repeat.instances):
            calls[instance.start] = (instance, _call(graph, repeat, number, name, blocks[-1], customs))
    body: list[Node] = []
    position = 0
    while position < len(graph.body):
        if position in calls:
            instance, op = calls[position]
            body.append(op)
            position = instance.end
        else:
            body.append(graph.body[position])
            position += 1
    body = chained_into_loops(body, graph.outputs, {block.name: block for block in blocks})
    return replace(graph, body=_renamed(tuple(body), graph.outputs), blocks=tuple(blocks))


def _block_name(graph: Graph, repeat: Repeat, entries: dict[str, dict]) -> str:
    instance = repeat.instances[0]
    classes = {entries[node.layer]["class_name"] for node in graph.body[instance.start : instance.end]}
    if "MultiHeadAttention" in classes:
        return "transformer_block" if "Dense" in classes else "attention_block"
    if "Add" in classes:
        return "residual_block"
    return "conv_block" if any(name.startswith(("Conv", "DepthwiseConv", "SeparableConv")) for name in classes) else "block"


def _block(graph: Graph, repeat: Repeat, name: str, entries: dict[str, dict], customs: Customs) -> Block:
    instance = repeat.instances[0]
    nodes = graph.body[instance.start : instance.end]
    local = {instance.entry: "b0"}
    # A block that also reads its input further on (a shortcut) calls it ``inputs``, as keras.io does.
    readers = sum(value == instance.entry for node in nodes for value in consumed(node))
    layers, body = [], [Input("b0", (), NOWHERE, "inputs" if readers > 1 else "x")]
    for position, node in enumerate(nodes):
        layer = graph.layer(node.layer)
        args = _template_args(layer, position, repeat, entries[node.layer], customs)
        layers.append(LayerDef(f"l{position}", layer.type_name, layer.factory, args, "inline", NOWHERE))
        call_args = tuple(_local_arg(arg, local) for arg in node.args)
        local[node.out] = f"b{position + 1}"
        body.append(Call(local[node.out], layers[-1].id, call_args, NOWHERE))
    params = tuple(Param(column.name) for column in repeat.columns)
    if repeat.prefixes is not None:
        params += (Param("prefix"),)
    block_graph = Graph(tuple(layers), tuple(body), ref("b0"), ref(local[instance.exit]), loc=NOWHERE, params=params)
    return Block(name, block_graph, NOWHERE)


def _local_arg(arg: Arg, local: dict[str, str]) -> Arg:
    """``arg`` reading the block's own values, under placeholders of their new names."""
    renamed = {old: placeholder(local[value]) for old, value in arg.value.refs}
    # Whole identifiers only: ``_kc_v1`` is also the start of ``_kc_v12``.
    text = PLACEHOLDER.sub(lambda match: renamed.get(match.group(0), match.group(0)), arg.value.text)
    refs = tuple((renamed[old], local[value]) for old, value in arg.value.refs)
    return Arg(Code(text, refs), arg.keyword, arg.star)


def _template_args(layer: LayerDef, call: int, repeat: Repeat, entry: dict, customs: Customs) -> tuple[Arg, ...]:
    """The first instance's arguments, each varying one the block's parameter, the name from the prefix."""
    by_key = {column.key: column.name for column in repeat.columns if call in column.calls}
    _, public = callee_of(entry, customs)
    required = defaults.required(public) if public is not None else ()
    args, given = [], set()
    for position, arg in enumerate(layer.args):
        key = arg.keyword if arg.keyword is not None else required[position]
        given.add(key)
        if key == "name":
            continue
        args.append(replace(arg, value=Code(by_key[key])) if key in by_key else arg)
    args += [Arg(Code(param), key) for key, param in by_key.items() if key not in given]
    suffix = repeat.suffixes[call]
    if suffix is not None:
        args.append(Arg(Code("f" + json.dumps("{prefix}" + suffix.replace("{", "{{").replace("}", "}}"))), "name"))
    return tuple(args)


def _call(graph: Graph, repeat: Repeat, number: int, name: str, block: Block, customs: Customs) -> Op:
    instance = repeat.instances[number]
    args = [Arg(Code(literal(column.values[number], customs)), column.name) for column in repeat.columns]
    if repeat.prefixes is not None:
        args.append(Arg(Code(literal(repeat.prefixes[number], customs)), "prefix"))
    tensor = placeholder(instance.entry)
    text = ", ".join([tensor] + [f"{arg.keyword}={arg.value.text}" for arg in args])
    helper = Helper(
        name, graph.body[instance.start : instance.end], (instance.exit,), block=block.name, args=tuple(args),
        inputs=(instance.entry,),
    )
    last = graph.body[instance.end - 1]
    return Op(instance.exit, Code(f"{name}({text})", ((tensor, instance.entry),)), NOWHERE, last.name, helper=helper)


def _renamed(body: tuple[Node, ...], outputs: Code) -> tuple[Node, ...]:
    """A tensor read once now (its readers folded into one call) loses the name it had for its readers."""
    reads = Counter(value for node in body for value in consumed(node)) + Counter(outputs.values)
    several = len(outputs.values) > 1
    return tuple(
        replace(node, name=None)
        if isinstance(node, (Call, Op)) and node.name and not node.more and reads[node.out] < 2
        and not (several and node.out in outputs.values)
        else node
        for node in body
    )
