"""The data a model sees through ``tf.data`` and the code that hands it on, read without running it.

TensorFlow's own quickstart for experts feeds its subclass from
``tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000).batch(32)``, loops
``for images, labels in train_ds: train_step(images, labels)`` and calls ``model(images)`` in
``train_step``.  The batch is the rows of ``x_train``, so the model's input is one row of it.

Three steps make that readable, each one rule: a dataset made from arrays, through methods that
keep its elements and one ``batch``, yields batches of the arrays' rows; a name a ``for`` binds
holds one item of what it loops over (``enumerate`` too); a function's parameter holds what every
call of the function passes, when the function is only ever called by its name.  Anything else
(``map``, ``padded_batch``, a dataset never batched, a function handed on as a value) is no
answer.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst

from ..ir.reads import target_names
from .binds_anywhere import bound_anywhere
from .data_looks import only_looks
from .reaching import reaching_unpacked, statement_of
from .source import SourceFile
from .walk import walk

Axes = list
AxesOf = Callable[[SourceFile, cst.BaseExpression, int], "Axes | None"]

# Dataset methods that hand on the elements they are given, one for one or a part of them.
KEEPS = frozenset({"shuffle", "prefetch", "cache", "repeat", "take", "skip", "shard", "with_options"})
SLICES = "tensorflow.data.Dataset.from_tensor_slices"
DEPTH = 12


def batch_axes(src: SourceFile, expr: cst.BaseExpression, path: tuple[int, ...], axes_of: AxesOf, depth: int) -> Axes | None:
    """The axes of part ``path`` of one batch that the dataset ``expr`` yields (``(0,)``: the
    ``x`` of ``(x, y)``); None unless the dataset is batched exactly once."""
    found = _elements(src, expr, depth)
    if found is None or not found[1]:
        return None
    part = found[0]
    for index in path:
        if not isinstance(part, (cst.Tuple, cst.List)) or index >= len(part.elements):
            return None
        element = part.elements[index]
        if isinstance(element, cst.StarredElement):
            return None
        part = element.value
    if isinstance(part, (cst.Tuple, cst.List, cst.Dict)):
        return None
    axes = axes_of(src, part, depth + 1)
    return None if not axes else [None, *axes[1:]]


def fitted_part(src: SourceFile, expr: cst.BaseExpression, axes_of: AxesOf, depth: int) -> Axes | None:
    """The axes of the ``x`` that ``fit(dataset)`` takes from each batch: the first part of an
    ``(x, y)`` element, or the whole of an element that is one array."""
    found = _elements(src, expr, depth)
    if found is None:
        return None
    path = (0,) if isinstance(found[0], (cst.Tuple, cst.List)) else ()
    return batch_axes(src, expr, path, axes_of, depth)


def _elements(src: SourceFile, expr: cst.BaseExpression, depth: int) -> tuple[cst.BaseExpression, bool] | None:
    """What ``from_tensor_slices`` was given for the dataset ``expr``, and whether it is batched."""
    if depth > DEPTH:
        return None
    if isinstance(expr, cst.Name):
        found = reaching_unpacked(src, expr)
        return None if found is None or found[1] else _elements(src, found[0], depth + 1)
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Attribute) or any(a.star for a in expr.args):
        return None
    if SLICES in src.qualified(expr.func):
        if len(expr.args) != 1 or expr.args[0].keyword is not None:
            return None
        return expr.args[0].value, False
    method = expr.func.attr.value
    if method not in KEEPS and method != "batch":
        return None
    inner = _elements(src, expr.func.value, depth + 1)
    if inner is None or method != "batch":
        return inner
    return None if inner[1] else (inner[0], True)


def loop_item(src: SourceFile, name: cst.Name) -> tuple[cst.BaseExpression, tuple[int, ...]] | None:
    """For a read of ``name`` that the ``for`` around it binds: what the loop iterates over and
    where the name sits in one item (``(1, 0)`` for ``x`` in ``for i, (x, y) in enumerate(ds)``),
    when nothing in the loop before the read binds it again."""
    statement, block = statement_of(src, name)
    while block is not None and not isinstance(block, cst.Module):
        if not _untouched_before(src, statement, block, name.value):
            return None
        owner = src.parent(block)
        if isinstance(owner, cst.FunctionDef):
            return None
        if isinstance(owner, cst.For) and owner.body is block and name.value in target_names(owner.target):
            return _item_place(src, owner, name.value)
        if isinstance(owner, (cst.For, cst.While)) and name.value in bound_anywhere(owner):
            # A loop between that binds it anywhere may have bound it on an earlier pass.
            return None
        statement, block = statement_of(src, owner)
    return None


def _untouched_before(src: SourceFile, statement: cst.BaseStatement, block: cst.CSTNode, name: str) -> bool:
    """Whether the statements before ``statement`` in ``block`` neither bind ``name`` nor may
    change what it holds (parse/data_looks.py)."""
    body = list(block.body)
    return not any(
        name in bound_anywhere(earlier) or not only_looks(src, earlier, name) for earlier in body[: body.index(statement)]
    )


def _item_place(src: SourceFile, loop: cst.For, name: str):
    path = _path_in(loop.target, name)
    if path is None:
        return None
    iterable = loop.iter
    if isinstance(iterable, cst.Call) and "builtins.enumerate" in src.qualified(iterable.func):
        if len(iterable.args) != 1 or iterable.args[0].keyword is not None or iterable.args[0].star:
            return None
        return (iterable.args[0].value, path[1:]) if path[:1] == (1,) else None
    return iterable, path


def _path_in(target: cst.BaseExpression, name: str) -> tuple[int, ...] | None:
    if isinstance(target, cst.Name):
        return () if target.value == name else None
    if not isinstance(target, (cst.Tuple, cst.List)) or any(isinstance(e, cst.StarredElement) for e in target.elements):
        return None
    for index, element in enumerate(target.elements):
        inner = _path_in(element.value, name)
        if inner is not None:
            return (index, *inner)
    return None


def passed_values(src: SourceFile, name: cst.Name) -> list[cst.BaseExpression] | None:
    """For a read of the parameter ``name`` of the function around it: the argument each call of
    that function passes for it, when the function binds the name nowhere else, is defined once
    at module level, and is only ever called by its name, with the parameter given at every call."""
    function = _function_of(src, name)
    if function is None or not isinstance(src.parent(function), cst.Module):
        return None
    params = function.params
    if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return None
    positional = [param.name.value for param in (*params.posonly_params, *params.params)]
    if name.value not in positional or bound_anywhere(function.body).count(name.value):
        return None
    index = positional.index(name.value)
    statement, block = statement_of(src, name)
    while block is not function.body:
        if not _untouched_before(src, statement, block, name.value):
            return None
        statement, block = statement_of(src, src.parent(block))
    if not _untouched_before(src, statement, block, name.value):
        return None
    uses = _uses_of(src, function.name.value)
    if uses is None or not uses:
        return None
    passed = []
    for call in uses:
        value = _argument(call, name.value, index)
        if value is None:
            return None
        passed.append(value)
    return passed


def _function_of(src: SourceFile, node: cst.CSTNode) -> cst.FunctionDef | None:
    parent = src.parent(node)
    while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.Module)):
        parent = src.parent(parent)
    return parent if isinstance(parent, cst.FunctionDef) else None


def _argument(call: cst.Call, name: str, index: int) -> cst.BaseExpression | None:
    if any(arg.star for arg in call.args):
        return None
    for position, arg in enumerate(call.args):
        if arg.keyword is None and position == index or arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _uses_of(src: SourceFile, function: str) -> list[cst.Call] | None:
    """Every call ``function(...)`` in the file; None when the name is read any other way (handed
    to ``strategy.run``, stored), bound another way or defined more than once."""
    calls: list[cst.Call] = []
    reads: list[cst.Name] = []
    defined: list[cst.FunctionDef] = []

    class Visitor(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            if node.name.value == function:
                defined.append(node)

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == function:
                calls.append(node)

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == function:
                reads.append(node)

    walk(src.module, Visitor())
    # Each call reads the name once and the ``def`` line names it; any other binding is a name too.
    if len(defined) != 1 or len(reads) != len(calls) + 1:
        return None
    return calls
