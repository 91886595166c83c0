"""Reading ``x = Dropout(rate)(x) if i < 5 else x`` as the ``if`` statement it stands for.

A conditional expression that applies a layer on some passes is the one-line
spelling of ``if i < 5: x = Dropout(rate)(x)``.  Read as an expression, the
layer call would sit inside one operation of the graph: a Sequential chain
could not hold it, and a subclass would make the layer on every pass while
calling it on some.  So the line is read as its ``if`` statement twin, a
``Cond`` of the IR (parse/blocks.py), and every style writes what it writes
for that twin.  Only a test on builder values or on static shapes is read so
(what ``lift_cond`` keeps); a choice by tensor values stays an expression.
"""

from __future__ import annotations

import libcst as cst

from .shape_tests import reads_only_shapes, shape_values
from .module_index import name_assignment
from .names_in import calls_in

# A test that reads the same after ``not`` without parentheses.
_TIGHT = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.UnaryOperation)
# The comparison that fails when one holds: ``rate != 0`` for ``not rate == 0`` (pylint's unneeded-not).
_OPPOSITE = {
    cst.Equal: cst.NotEqual, cst.NotEqual: cst.Equal, cst.LessThan: cst.GreaterThanEqual,
    cst.GreaterThanEqual: cst.LessThan, cst.GreaterThan: cst.LessThanEqual, cst.LessThanEqual: cst.GreaterThan,
    cst.In: cst.NotIn, cst.NotIn: cst.In, cst.Is: cst.IsNot, cst.IsNot: cst.Is,
}


def as_if_statement(lifter, statement: cst.BaseStatement) -> cst.If | None:
    """The ``if`` statement ``x = <layer call> if <test> else x`` (or ``x = x if <test> else
    <layer call>``) stands for, located where the line is, or None when the line is not that
    kind of choice."""
    assigned = name_assignment(statement)
    if assigned is None or not isinstance(assigned[1], cst.IfExp):
        return None
    (name, choice), small, src = assigned, statement.body[0], lifter.src

    def kept(branch: cst.BaseExpression) -> bool:
        return isinstance(branch, cst.Name) and branch.value == name

    # ``y = x if residual else Dense(3)(x)`` would be an ``if`` with ``y = x`` in a branch, no
    # better than the expression, which the subclass keeps (emit/branch_calls.py): left as it is.
    other = choice.body if kept(choice.orelse) else choice.orelse if kept(choice.body) else None
    if other is None or name not in lifter.env or not lifter.calls_layer(other):
        return None
    # ``random.random() > 0.5`` would be drawn again where a subclass makes the layer: a test
    # that calls nothing reads the same in __init__ as in call().
    if calls_in(choice.test):
        return None
    if lifter.reads_tensor(choice.test) and not _reads_only_shapes(lifter, choice.test):
        return None

    def line(value: cst.BaseExpression) -> cst.SimpleStatementLine:
        # A stand-in for the line itself: its place, and so its comment, are the line's.
        assign = src.stand_in(small.with_changes(value=value), small)
        made = statement.with_changes(body=[assign], leading_lines=())
        return src.stand_in(made, statement)

    test: cst.BaseExpression = choice.test
    if other is choice.orelse:
        # ``x = x if skip else Dropout(rate)(x)``: the layer runs when the test fails.
        test = src.stand_in(_negated(test), test)
    made = cst.If(test=test, body=cst.IndentedBlock([line(other)]))
    return src.stand_in(made.with_changes(leading_lines=statement.leading_lines), statement)


def _negated(test: cst.BaseExpression) -> cst.BaseExpression:
    """``not test``, written as a reader would: ``rate != 0`` for ``rate == 0``."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and not test.lpar:
        target = test.comparisons[0]
        operator = target.operator
        opposite = _OPPOSITE[type(operator)]
        # ``not in`` and ``is not`` have a space inside them; the others only around them.
        spaces = {"whitespace_before": operator.whitespace_before, "whitespace_after": operator.whitespace_after}
        if opposite in (cst.NotIn, cst.IsNot):
            spaces["whitespace_between"] = cst.SimpleWhitespace(" ")
        return test.with_changes(comparisons=[target.with_changes(operator=opposite(**spaces))])
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not) and not test.lpar:
        return test.expression.with_changes(lpar=[], rpar=[])
    if not isinstance(test, _TIGHT):
        test = test.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.UnaryOperation(cst.Not(), test)


def _reads_only_shapes(lifter, test: cst.BaseExpression) -> bool:
    lists = frozenset(lifter.env[name] for name in getattr(lifter, "tensor_lists", ()) if name in lifter.env)
    return reads_only_shapes(lifter.code(test), shape_values(lifter.nodes), lists)
