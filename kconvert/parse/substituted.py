"""A helper's code lifted at one call: its parameters replaced by the call's arguments.

``Conv2D(filters, 3)`` of ``residual_block(x, 64)`` is ``Conv2D(64, 3)`` there.  An
argument that is a value of the caller's graph (``n`` of ``n = x.shape[-1]``, passed
to ``gate(skip, x, n)``) is replaced by its placeholder, which the code then reads
as any value it reads (``refs``), so a subclass knows what sizes the layer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Mapping

import libcst as cst

from ..ir.code import Substitute
from ..ir.nodes import Node, Stmt
from ..ir.source_text import PLACEHOLDER_PREFIX, Arg, Code


def node_with(node: Node, replacements: Mapping[str, str]) -> Node:
    """``node`` with the helper's parameters replaced by the call's arguments."""
    if isinstance(node, Stmt):
        code = cst.parse_module(node.code + "\n").visit(Substitute(replacements)).code.rstrip("\n")
        return replace(node, code=code, refs=_with_passed(node.refs, code))
    changes = {}
    if hasattr(node, "args"):
        changes["args"] = tuple(arg_with(arg, replacements) for arg in node.args)
    for field in ("expr", "test", "iterable"):
        if hasattr(node, field):
            changes[field] = _code_with(getattr(node, field), replacements)
    if hasattr(node, "body"):
        changes["body"] = tuple(node_with(inner, replacements) for inner in node.body)
    if getattr(node, "orelse", ()):
        changes["orelse"] = tuple(node_with(inner, replacements) for inner in node.orelse)
    if getattr(node, "items", ()):
        # A loop over tensors (``for col in range(inputs.shape[1])``): its sources may read parameters.
        changes["items"] = tuple(replace(item, source=_code_with(item.source, replacements)) for item in node.items)
    if getattr(node, "helper", None) is not None:
        # A helper this helper calls: its body and arguments still name this helper's parameters.
        helper = node.helper
        body = tuple(node_with(inner, replacements) for inner in helper.body)
        args = tuple(arg_with(arg, replacements) for arg in helper.args)
        changes["helper"] = replace(helper, body=body, args=args)
    return replace(node, **changes)


def arg_with(arg: Arg, replacements: Mapping[str, str]) -> Arg:
    return replace(arg, value=_code_with(arg.value, replacements))


def _code_with(code: Code, replacements: Mapping[str, str]) -> Code:
    if not code.text:
        return code  # a loop that only draws from tensors has no iterable of its own
    tree = cst.parse_expression(code.text).visit(Substitute(replacements))
    text = cst.Module([]).code_for_node(tree)
    return replace(code, text=text, refs=_with_passed(code.refs, text))


def _with_passed(refs: tuple[tuple[str, str], ...], text: str) -> tuple[tuple[str, str], ...]:
    """``refs`` and the placeholder of each value passed for a parameter that ``text`` now reads."""
    known = {name for name, _ in refs}
    passed = sorted({name for name in re.findall(rf"\b{PLACEHOLDER_PREFIX}\w+", text) if name not in known})
    return refs + tuple((name, name[len(PLACEHOLDER_PREFIX) :]) for name in passed)

