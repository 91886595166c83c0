"""An ``if`` that makes layers and raises in its ``else``, read back from a class.

A subclass (or Layer class) writes such an ``if`` twice: in ``__init__`` with the layers each
branch makes and the ``raise`` (``else: raise ValueError("unknown pooling")``), in ``call()``
with the layers each branch calls and no ``else``.  ``__init__``'s ``if`` keeps only its
plain statements (constructor.py), so it is read as branches of ``pass`` and the ``raise``
apart from the branches that call the layers.  Here the ``raise`` goes back to the ``else``
of ``call()``'s ``if`` with the same tests, where the graph styles write it.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.control import Cond
from ...ir.nodes import Node, Stmt
from ...ir.source_text import Loc


def joined(prelude: list[Node], rest: list[Node]) -> tuple[list[Node], list[Node]]:
    """``prelude`` (what ``__init__``'s statements lift to) and ``rest`` (call()'s nodes), each
    raise guard of the prelude moved into the ``else`` of the ``if`` of ``rest`` it guards."""
    kept: list[Node] = []
    rest = list(rest)
    for node in prelude:
        guard = _guard(node) if isinstance(node, Stmt) and not node.refs else None
        index = None if guard is None else _guarded(rest, guard[0])
        if index is None:
            kept.append(node)
            continue
        tests, raised, offset = guard
        loc = Loc(node.loc.line + offset, node.loc.col + 4)
        rest[index] = _with_else(rest[index], Stmt(raised, loc))
    return kept, rest


def _guard(node: Stmt) -> tuple[list[cst.BaseExpression], str, int] | None:
    """The tests of an ``if``/``elif`` chain whose branches are all ``pass`` but the last
    ``else``, which raises: the tests, that ``else``'s code and its line within the ``if``."""
    try:
        statement = cst.parse_module(node.code + "\n").body[0]
    except cst.ParserSyntaxError:
        return None
    tests = []
    while isinstance(statement, cst.If):
        if not _passes(statement.body):
            return None
        tests.append(statement.test)
        statement = statement.orelse
    if not isinstance(statement, cst.Else) or not _raises(statement.body):
        return None
    code = cst.Module(body=list(statement.body.body)).code.rstrip("\n")
    lines = node.code.splitlines()
    offset = next(i for i, line in enumerate(lines) if line.strip() == "else:") + 1
    return tests, code, offset


def _passes(body: cst.BaseSuite) -> bool:
    lines = body.body if isinstance(body, cst.IndentedBlock) else [body]
    return all(
        isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
        and all(isinstance(small, cst.Pass) for small in line.body)
        for line in lines
    )


def _raises(body: cst.BaseSuite) -> bool:
    last = body.body[-1] if isinstance(body, cst.IndentedBlock) else body
    return isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) and isinstance(
        last.body[-1], cst.Raise
    )


def _guarded(rest: list[Node], tests: list[cst.BaseExpression]) -> int | None:
    """The index of the first ``if`` of ``rest`` with these tests, and no ``else``."""
    for index, node in enumerate(rest):
        chain = node
        for depth, test in enumerate(tests):
            if not isinstance(chain, Cond) or not _same(chain.test.text, test):
                break
            if depth == len(tests) - 1:
                if not chain.orelse and all(carried.other is None for carried in chain.carried):
                    return index
                break
            chain = chain.orelse[0] if len(chain.orelse) == 1 else None
    return None


def _same(text: str, test: cst.BaseExpression) -> bool:
    try:
        return cst.parse_expression(text).deep_equals(test)
    except cst.ParserSyntaxError:
        return False


def _with_else(cond: Cond, raised: Stmt) -> Cond:
    """``cond`` whose innermost ``else`` raises: each carried tensor leaves it as it entered."""
    if cond.orelse:
        return replace(cond, orelse=(_with_else(cond.orelse[0], raised),))
    carried = tuple(replace(each, other=each.param) for each in cond.carried)
    return replace(cond, carried=carried, orelse=(raised,))
