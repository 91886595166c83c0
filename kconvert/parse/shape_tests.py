"""Recognising an ``if`` whose test reads tensors only through their static shapes.

``if shortcut.shape[-1] != filters:`` in a residual block asks how the graph
is built, not what flows through it: a Keras tensor's shape is known when
Functional code runs, and when a subclass's ``call()`` is traced.  So such a
test is kept as an ``if`` in every style that runs code (Functional, subclass),
while a test on tensor *values* stays refused.  A statement that reads shapes
only (``assert x.shape == (None, 7, 7, 256)``) is a check of the graph too, and so is a
value computed from shapes alone (``filters = x.shape[-1]``, then ``if filters != 64:``).
A list of tensors read for its truth or its length (``if skip and skip_connections:``,
``len(skips) > 1``) asks how many tensors the code made, which is as static.
"""

from __future__ import annotations

import re

import libcst as cst

from ..ir.control import Cond
from ..ir.graph import branches
from ..ir.nodes import Node, Op
from ..ir.source_text import Code
from .walk import walk


def reads_only_shapes(test: Code, static: frozenset[str] = frozenset(), lists: frozenset[str] = frozenset()) -> bool:
    """Whether every tensor ``test`` reads is read as ``<tensor>.shape``, but for the ``static``
    values (computed from shapes alone), which it may read as they are, and the ``lists`` of
    tensors, which it may read for their truth or length."""
    tree = cst.parse_expression(test.text)
    counted = {name for name, value in test.refs if value in lists}
    return _only_shapes(test, tree, static, _counted_reads(tree, counted))


def _counted_reads(tree: cst.BaseExpression, names: set[str]) -> frozenset[int]:
    """The ``Name`` nodes of ``names`` that ``tree`` reads for their truth (the whole test, an
    operand of ``and``, ``or`` or ``not``) or their length (``len(skips)``)."""
    found: set[int] = set()

    def truth(node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name) and node.value in names:
            found.add(id(node))
        elif isinstance(node, cst.BooleanOperation):
            truth(node.left)
            truth(node.right)
        elif isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            truth(node.expression)

    class Lengths(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "len" and len(node.args) == 1:
                listed = node.args[0].value
                if isinstance(listed, cst.Name) and listed.value in names:
                    found.add(id(listed))

    truth(tree)
    walk(tree, Lengths())
    return frozenset(found)


def shape_values(body: tuple[Node, ...] | list[Node]) -> frozenset[str]:
    """The values ``body`` computes from tensor shapes alone (``filters = x.shape[-1]``), and those
    an ``if`` leaves that each of its branches computes so (``if channels_first: n = x.shape[1]``
    ``else: n = x.shape[-1]``)."""
    static: set[str] = set()
    _shape_values(tuple(body), static)
    return frozenset(static)


def _shape_values(body: tuple[Node, ...], static: set[str]) -> None:
    for node in body:
        if isinstance(node, Op) and node.helper is None and node.changes is None:
            if _only_shapes(node.expr, cst.parse_expression(node.expr.text), frozenset(static)):
                static |= {node.out, *(value for value, _ in node.more)}
        elif isinstance(node, Cond):
            static |= {carried.param for carried in node.carried if carried.init in static}
            _shape_values(node.body, static)
            _shape_values(node.orelse, static)
            for carried in node.carried:
                other = carried.init if carried.other is None else carried.other
                if carried.result in static and other in static:
                    static.add(carried.out)
        else:
            for branch in branches(node):
                _shape_values(branch, static)


def statement_reads_only_shapes(statement: Code) -> bool:
    """The same for a statement (``assert x.shape == (None, 7, 7, 256)``)."""
    return _only_shapes(statement, cst.parse_module(statement.text))


def _only_shapes(
    code: Code, tree: cst.CSTNode, static: frozenset[str] = frozenset(), counted: frozenset[int] = frozenset()
) -> bool:
    placeholders = {name for name, value in code.refs if value not in static}
    visitor = _ShapeReads(placeholders, counted)
    walk(tree, visitor)
    return bool(code.refs) and visitor.only_shapes


class _ShapeReads(cst.CSTVisitor):
    def __init__(self, placeholders: set[str], counted: frozenset[int] = frozenset()) -> None:
        self.placeholders = placeholders
        # Lists of tensors read for their truth or length (``_counted_reads``).
        self.counted = counted
        self.only_shapes = True

    def visit_Call(self, node: cst.Call) -> bool:
        # ``K.int_shape(x)`` (Keras' backend, however imported) is ``x``'s static shape too.
        if shape_function(node) and isinstance(node.args[0].value, cst.Name) and node.args[0].value.value in self.placeholders:
            return False
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if isinstance(node.value, cst.Name) and node.value.value in self.placeholders:
            # ``x.get_shape()`` (and its ``.as_list()``) is TensorFlow's spelling of ``x.shape``.
            self.only_shapes &= node.attr.value in ("shape", "get_shape")
            # The tensor's name is accounted for here; its attribute name is no variable.
            return False
        return True

    def visit_Name(self, node: cst.Name) -> None:
        # A tensor reached here is read as a value (``x > 0``, ``f(x)``), not through ``.shape``.
        if node.value in self.placeholders and id(node) not in self.counted:
            self.only_shapes = False


def graph_spelling(code: Code) -> Code:
    """``code`` with each tensor's ``x.get_shape()`` (``.as_list()``) spelled ``x.shape``
    (``list(x.shape)``): a Keras 3 graph tensor has only ``shape``, which a tf.Tensor has too."""
    text = code.text
    for name, _ in code.refs:
        text = re.sub(rf"\b{name}\.get_shape\(\)\.as_list\(\)", f"list({name}.shape)", text)
        text = re.sub(rf"\b{name}\.get_shape\(\)", f"{name}.shape", text)
    return Code(text, code.refs)


def only_checks(statement: cst.If) -> bool:
    """Whether each branch of ``statement`` holds only ``raise``, ``assert``, ``pass`` and bare
    expressions (``warnings.warn(...)``), or such ``if`` statements: nothing bound, nothing returned."""
    suites = [statement.body]
    if isinstance(statement.orelse, cst.If):
        return only_checks(statement.orelse) and only_checks(statement.with_changes(orelse=None))
    if isinstance(statement.orelse, cst.Else):
        suites.append(statement.orelse.body)
    for suite in suites:
        lines = suite.body if isinstance(suite, cst.IndentedBlock) else [suite]
        for line in lines:
            if isinstance(line, cst.If):
                if not only_checks(line):
                    return False
            elif not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) or not all(
                isinstance(small, (cst.Raise, cst.Assert, cst.Pass, cst.Expr)) for small in line.body
            ):
                return False
    return True


def batch_free(code: Code) -> bool:
    """Whether ``code`` reads each tensor's shape only for its rank (``len(x.shape)``) or an axis
    after the batch (``x.shape[1]``, ``x.shape[1:]``): what a graph tensor and a batch of data in
    a subclass's call() agree on, where the batch axis is None in one and the batch's size in the other."""
    visitor = _AxisReads({name for name, _ in code.refs})
    walk(cst.parse_module(code.text), visitor)
    return visitor.batch_free


class _AxisReads(cst.CSTVisitor):
    def __init__(self, placeholders: set[str]) -> None:
        self.placeholders = placeholders
        self.batch_free = True

    def _shape_of(self, node: cst.BaseExpression) -> bool:
        return (
            isinstance(node, cst.Attribute)
            and node.attr.value == "shape"
            and isinstance(node.value, cst.Name)
            and node.value.value in self.placeholders
        )

    def visit_Call(self, node: cst.Call) -> bool:
        whole = isinstance(node.func, cst.Name) and node.func.value == "len" and len(node.args) == 1
        return not (whole and self._shape_of(node.args[0].value))

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        if not self._shape_of(node.value) or len(node.slice) != 1:
            return True
        axis = node.slice[0].slice
        first = axis.value if isinstance(axis, cst.Index) else axis.lower if isinstance(axis, cst.Slice) else None
        return not (isinstance(first, cst.Integer) and first.evaluated_value > 0)

    def visit_Name(self, node: cst.Name) -> None:
        self.batch_free &= node.value not in self.placeholders


def shape_function(node: cst.Call) -> bool:
    """``int_shape(x)``, ``K.int_shape(x)``, ``keras.backend.int_shape(x)``: one argument."""
    func = node.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    return name == "int_shape" and len(node.args) == 1 and not node.args[0].keyword and not node.args[0].star
