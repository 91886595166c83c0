"""Tests written the way a person writes them: ``stage != 0``, not ``not (stage == 0)``.

``__init__`` makes a layer under the tests its call sits under in ``call()``; the test of an
``else`` is the ``if``'s negated, and several tests are joined with ``and``.
"""

from __future__ import annotations

import libcst as cst

# Operators whose negation Python defines as the other (``!=`` is ``not ==`` unless a class
# says otherwise); ``<`` is left alone: ``not a < b`` is not ``a >= b`` for NaN or sets.
_INVERSE: dict[type, type] = {
    cst.Equal: cst.NotEqual,
    cst.NotEqual: cst.Equal,
    cst.Is: cst.IsNot,
    cst.IsNot: cst.Is,
    cst.In: cst.NotIn,
    cst.NotIn: cst.In,
}

# Expressions that bind looser than ``not`` or ``and`` and need brackets under them.
_LOOSE = (cst.BooleanOperation, cst.IfExp, cst.Lambda, cst.NamedExpr)


# Expressions ``not`` reads as one whole without brackets: ``not flag``, ``not self.use_bias``.
_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript)


def _code(node: cst.BaseExpression) -> str:
    return cst.Module([]).code_for_node(node)


def negate(test: str) -> str:
    """``stage == 0`` → ``stage != 0``; ``not flag`` → ``flag``; ``not flag`` for a name, call or
    attribute; else ``not (<test>)``."""
    node = cst.parse_expression(test)
    if node.lpar:
        return negate(_code(node.with_changes(lpar=[], rpar=[])))
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        target = node.comparisons[0]
        inverse = _INVERSE.get(type(target.operator))
        if inverse is not None:
            operator = inverse(
                whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")
            )
            return _code(node.with_changes(comparisons=[target.with_changes(operator=operator)]))
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        return _code(node.expression.with_changes(lpar=[], rpar=[]))
    if isinstance(node, _ATOMS):
        return f"not {test}"
    return f"not ({test})"


def conjoin(tests: tuple[str, ...]) -> str:
    """``stack > 0 and block == 0``: each test bracketed only where ``and`` would split it.

    One test alone is bracketed only where it would not read as the test of a conditional
    expression (``Dense(4) if <test> else None``): an ``if`` expression or a lambda.
    """
    if len(tests) == 1:
        node = cst.parse_expression(tests[0])
        alone = isinstance(node, (cst.IfExp, cst.Lambda, cst.NamedExpr)) and not node.lpar
        return f"({tests[0]})" if alone else tests[0]
    parts = []
    for test in tests:
        node = cst.parse_expression(test)
        and_chain = isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.And)
        loose = isinstance(node, _LOOSE) and not node.lpar and not and_chain
        parts.append(f"({test})" if loose else test)
    return " and ".join(parts)
