"""Why an expression between a Sequential model's layers cannot stand in its list.

A Sequential model holds only layers.  An expression that one layer computes exactly is written
as that layer (``ir/op_layers.py``); every other one is refused here with its own reason: it
merges tensors, reads a tensor's shape, builds a ready-made model on a tensor, or is simply no
layer, with the layer to write instead when there is one.
"""

from __future__ import annotations

import ast

from ...ir.nodes import Op
from ...ir.op_layers import op_hint
from ..context import EmitRefusal
from .chain_refusals import CHAIN_HINT


def op_refusal(node: Op, names: dict[str, str]) -> EmitRefusal:
    """The refusal of ``node``, naming tensors as the source does (``names``)."""
    what = (f"`{node.name}`" if node.name.isidentifier() else node.name) if node.name else "this tensor"
    values = node.expr.values
    named = [f"`{names.get(value, 'tensor')}`" for value in values]
    try:
        tree = ast.parse(node.expr.text, mode="eval").body
    except SyntaxError:
        tree = None
    placeholders = {placeholder for placeholder, _ in node.expr.refs}
    if isinstance(tree, ast.IfExp) and _layer_or_not(tree, node, names):
        # ``h = Dropout(rate)(x) if rate else x``: a tensor of a layer the source names nowhere.
        return EmitRefusal(
            node.loc,
            f"{what} is chosen by a conditional expression between tensors; a Sequential model adds a"
            " layer under an `if` statement, to one chain",
            "reassign one name in an `if` statement (`if rate: x = layers.Dropout(rate)(x)`), or in the"
            " expression itself (`x = layers.Dropout(rate)(x) if rate else x`), which every style reads",
        )
    if len(values) > 1:
        made = "holds" if isinstance(tree, (ast.List, ast.Tuple, ast.Dict)) else "is computed from"
        return EmitRefusal(
            node.loc,
            f"{what} {made} {len(values)} tensors ({', '.join(named)}); a Sequential model is one chain of layers",
            CHAIN_HINT,
        )
    if tree is not None and _shape_only(tree, placeholders):
        return EmitRefusal(
            node.loc,
            f"{what} is read from a tensor's shape, which a Sequential model never names",
            "write the size as a number or a parameter, or keep the Functional API",
        )
    if node.builds_on_tensor:
        return EmitRefusal(
            node.loc,
            f"{what} is a ready-made model built on {named[0]} (`input_tensor=`), a part of this model's graph"
            " that only the Functional API can express",
            "keep the Functional API",
        )
    if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name):
        # ``add_residual_block(x, 16)``: a function whose body kconvert could not read as layers.
        return EmitRefusal(
            node.loc,
            f"{what} is computed by `{tree.func.id}(...)`, a function kconvert does not read as layers;"
            " a Sequential model holds only layers",
            "keep the Functional API",
        )
    return EmitRefusal(
        node.loc,
        f"{what} is computed by an expression, not by a layer; a Sequential model holds only layers",
        op_hint(node.expr),
    )


def _shape_only(tree: ast.expr, placeholders: set[str]) -> bool:
    """Whether ``tree`` reads its tensors only through ``.shape`` (``x.shape[-1]``)."""
    shapes = {
        id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "shape"
    }
    reads = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id in placeholders]
    return bool(reads) and all(id(node) in shapes for node in reads)


def _layer_or_not(tree: ast.IfExp, node: Op, names: dict[str, str]) -> bool:
    """``Dropout(rate)(x) if rate else x``: a tensor made in the expression (a layer's call, which
    has no name of the source's) or a named one, by a test on no tensor, which an ``if`` statement
    can spell."""
    values = dict(node.expr.refs)
    reads = {name.id for name in ast.walk(tree.test) if isinstance(name, ast.Name)}
    branches = [branch.id for branch in (tree.body, tree.orelse) if isinstance(branch, ast.Name) and branch.id in values]
    return not reads & set(values) and len(branches) == 2 and sum(values[branch] in names for branch in branches) == 1
