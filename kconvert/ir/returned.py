"""What a block returns when it returns several tensors through a name: ``outputs = [a, b]``
then ``return outputs`` returns ``a`` and ``b``, as ``return a, b`` does.

Read as written, the list is one ``Op`` whose single tensor stands for both, so a caller that
unpacks it (``a, b = block(x)``) or indexes it (``block(x)[0]``) would read a tensor the block
never makes.  Every reader of a block's return (a helper's body, a helper read as a block, a
``Layer`` class read back) spreads it here the same way, so all of them see the same results.
A caller that unpacks a nested return (``x, skips = block(x)`` of ``return x, (a, b)``) binds
each name to its element (``parts``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

import libcst as cst

from .dataflow import consumed
from .graph import walk
from .nodes import Node, Op
from .source_text import Code, ValueId


def spread(body: tuple[Node, ...], value: ValueId) -> tuple[tuple[Node, ...], Op, tuple[ValueId, ...]] | None:
    """``body`` without the ``Op`` that packs ``value`` into a list or tuple of tensors, that ``Op``
    (its ``expr``, ``[_kc_v2, _kc_v3]``, is what the block returns), and the tensors in it; None
    unless a node of ``body`` makes ``value`` so and nothing else reads it."""
    index = next((i for i, node in enumerate(body) if isinstance(node, Op) and node.out == value), None)
    if index is None:
        return None
    node = body[index]
    elements = _elements(node.expr)
    if node.helper is not None or node.changes is not None or node.more or elements is None:
        return None
    rest = (*body[:index], *body[index + 1 :])
    if any(value in consumed(other) for other in walk(rest)):
        return None
    if _bare_tuple(node.expr):
        # ``outputs = a, b`` is a tuple only as a statement; returned, it is ``(a, b)`` as ``return a, b`` is.
        node = replace(node, expr=Code(f"({node.expr.text})", node.expr.refs))
    return rest, node, elements


def _elements(code: Code) -> tuple[ValueId, ...] | None:
    """The tensors of ``code`` when it is ``[a, b]`` or ``(a, b)`` of two or more tensors and nothing else."""
    try:
        expr = cst.parse_expression(code.text)
    except cst.ParserSyntaxError:
        return None
    if not isinstance(expr, (cst.List, cst.Tuple)) or len(expr.elements) < 2:
        return None
    names = dict(code.refs)
    values = [
        names.get(element.value.value) if isinstance(element.value, cst.Name) else None
        for element in expr.elements
    ]
    starred = any(isinstance(element, cst.StarredElement) for element in expr.elements)
    return None if starred or None in values else tuple(values)


def parts(code: Code) -> tuple[Code, ...] | None:
    """The elements of a returned ``(a, (b, c))``, each its own value (``a``, ``(b, c)``), as a
    caller that unpacks it (``x, skips = block(x)``) binds them; None unless ``code`` is a tuple
    or list with no starred element."""
    try:
        expr = cst.parse_expression(code.text)
    except cst.ParserSyntaxError:
        return None
    if not isinstance(expr, (cst.List, cst.Tuple)) or any(isinstance(e, cst.StarredElement) for e in expr.elements):
        return None
    texts = [cst.Module([]).code_for_node(element.value) for element in expr.elements]
    return tuple(Code(text, tuple(item for item in code.refs if re.search(rf"\b{item[0]}\b", text))) for text in texts)


def packs_only(value: Code) -> bool:
    """Whether ``value`` only packs tensors into a tuple or list (``(a, b)``, ``[a, b]``)."""
    try:
        expr = ast.parse(value.text, mode="eval").body
    except SyntaxError:
        return False
    names = {name for name, _ in value.refs}
    return isinstance(expr, (ast.Tuple, ast.List)) and all(
        isinstance(element, ast.Name) and element.id in names for element in expr.elts
    )


def _bare_tuple(code: Code) -> bool:
    expr = cst.parse_expression(code.text)
    return isinstance(expr, cst.Tuple) and not expr.lpar
