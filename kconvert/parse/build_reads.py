"""Reading a Layer class's ``build(input_shape)`` back as the helper it was written from.

A helper sizes layers from its input's shape (``channels = x.shape[-1]``, then
``Dense(channels // ratio)``); its Layer class computes ``channels = input_shape[-1]``
in ``build()`` and makes those layers there (emit/subclass/block.py).  Read back,
``input_shape`` is the input's ``.shape`` and ``channels`` the value call() would
compute from it, so the block is the helper again: a layer made from a value of
its first input's shape.  A value call() computes too (to test it, or to reshape
with it) is call()'s: the layers read that one, and build()'s line is a local of
no tensor, as before.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..ir.code import substitute
from ..ir.nodes import LayerDef, Node, Op
from ..ir.source_text import Code, placeholder
from .names_in import bound_names, identifiers
from .subclass.constructor import read_init


def read_build(src, cls: cst.ClassDef, init, build: cst.FunctionDef | None, call: cst.FunctionDef):
    """Adds to ``init`` (subclass/constructor.py's reading of ``__init__``) the layers and lists
    ``build`` makes; returns build()'s local statements, the ids of those read from the input's
    shape and the names of call()'s values its layers read (``shape_locals``)."""
    if build is None:
        return [], set(), set()
    built = read_init(src, cls, build)
    init.attrs.update(built.attrs)
    init.lists.update(built.lists)
    shaped, from_call = shape_locals(build, call, built.locals, built.attrs.values())
    return built.locals, shaped, from_call


def shape_locals(build: cst.FunctionDef, call: cst.FunctionDef, statements, layers) -> tuple[set[int], set[str]]:
    """Of build()'s local ``statements``, the ids of those the ``layers`` it makes are made from,
    read from the input's shape, and the names of call()'s values those layers read instead.

    ``layers``: the expressions build() assigns to attributes (``layers.Dense(channels)``).
    """
    if len(build.params.params) < 2 or len(call.params.params) < 2:
        return set(), set()
    made_from = set().union(*(identifiers(value) for value in layers), set())
    in_call = set().union(*(bound_names(statement) for statement in call.body.body), set())
    shaped, from_call = set(), set()
    for statement in reversed(statements):
        bound = bound_names(statement)
        if bound & made_from and bound & in_call:
            from_call |= bound & made_from
        elif bound & made_from and isinstance(statement, cst.SimpleStatementLine):
            shaped.add(id(statement))
            made_from |= identifiers(statement)
    return shaped, from_call


def bound_in(statements, chosen: set[int]) -> set[str]:
    """The names the ``chosen`` statements (by id) bind."""
    return set().union(*(bound_names(statement) for statement in statements if id(statement) in chosen), set())


def lift_shape_locals(lifter, build: cst.FunctionDef, statements, shaped: set[int], value: str) -> None:
    """Lift build()'s ``statements`` into ``lifter``; those of ``shaped`` with ``input_shape``
    standing for the input ``value``'s ``.shape``."""
    name = build.params.params[1].name.value if len(build.params.params) > 1 else None
    for statement in statements:
        if id(statement) not in shaped or name is None:
            lifter.statements([statement])
            continue
        start = len(lifter.nodes)
        # Lifted as reading the input itself, then read again as reading its shape.
        lifter.env[name] = value
        lifter.statements([statement])
        del lifter.env[name]
        lifter.nodes[start:] = [_of_shape(node, value) for node in lifter.nodes[start:]]


def _of_shape(node: Node, value: str) -> Node:
    if not isinstance(node, Op) or value not in node.expr.values:
        return node
    name = placeholder(value)
    return replace(node, expr=Code(substitute(node.expr.text, {name: f"{name}.shape"}), node.expr.refs))


def on_input(src, layer: LayerDef, build: cst.FunctionDef | None, value: str, values: dict[str, str]) -> LayerDef:
    """``layer`` made in ``build`` from ``input_shape``, as made from the input ``value``'s
    ``.shape``, and from build()'s locals ``values`` (``{name: value}``) as made from those values.
    A layer ``__init__`` makes is another's: its ``input_shape`` is the module's, say
    (``ResNet50V2(input_shape=input_shape)`` in a model whose build() kconvert wrote)."""
    params = build.params.params if build is not None else ()
    if len(params) < 2 or not _made_in(src, layer, build):
        return layer
    names = {params[1].name.value: f"{placeholder(value)}.shape"}
    names.update((local, placeholder(read)) for local, read in values.items())
    readable = {placeholder(read): read for read in (value, *values.values())}
    args = []
    for arg in layer.args:
        text = substitute(arg.value.text, names)
        if text != arg.value.text:
            read = identifiers(cst.parse_expression(text))
            refs = (*arg.value.refs, *((name, ref) for name, ref in readable.items() if name in read))
            arg = replace(arg, value=Code(text, tuple(dict.fromkeys(refs))))
        args.append(arg)
    return replace(layer, args=tuple(args))


def _made_in(src, layer: LayerDef, build: cst.FunctionDef) -> bool:
    statements = build.body.body if isinstance(build.body, cst.IndentedBlock) else ()
    return bool(statements) and src.loc(statements[0]).line <= layer.loc.line <= src.end_line(statements[-1])
