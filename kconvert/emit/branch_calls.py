"""Layer calls that run only in one branch of a conditional expression.

``x = Dense(16)(x) if use_dense else x``: the parser lifts the call out of the
expression (a ``Call``, then an ``Op`` that picks), which a graph may do, since a
layer no output depends on is not part of the model.  A subclass's ``call()`` runs
every line, so the lifted call would build the layer, and its weights, whatever the
test says.  Such a call is written back inside its branch instead
(``x = self.dense(x) if use_dense else x``), built only when the branch runs, as the
source's was.  A call inside a branch of which the lines in between are not all such
calls cannot be put back, and is refused.  The graph styles write such a call in its branch
too, as the source did, when they can (``strict=False``: lifted, it is still the same graph).

A subclass makes such a layer in __init__ under the same test (``self.dense = Dense(16) if
use_dense else None``) when the test reads no tensor and nothing that could change between
__init__ and call(): made unconditionally, the layer of the branch not taken is never built, and
Keras warns that the model has unbuilt state.
"""

from __future__ import annotations

import libcst as cst

from collections.abc import Callable, Mapping

from ..ir.code import render, substitute
from ..ir.dataflow import consumed, produced
from ..ir.graph import Graph
from ..ir.nodes import Call, Node, Op
from ..ir.reads import identifiers_of
from ..ir.source_text import PLACEHOLDER_PREFIX, Code
from .conditions import negate
from .context import EmitRefusal


def inlined_calls(graph: Graph, body: tuple[Node, ...], strict: bool = True) -> frozenset[int]:
    """The ``id``s of the calls of ``body`` that are written inside the expression that reads them;
    ``strict``: one that cannot be is refused."""
    return frozenset(id(call) for call, _ in _branch_calls(graph, body, strict))


def branch_guards(graph: Graph, body: tuple[Node, ...], stable: frozenset[str]) -> dict[int, str]:
    """The test under which __init__ makes the layer of each call of ``body`` written inside a
    branch, by the call's ``id``: the tests around the branch, when they read only ``stable``
    names and no tensor, and the layer has no other call."""
    calls: dict[str, int] = {}
    for node in graph.walk():
        if isinstance(node, Call):
            calls[node.layer] = calls.get(node.layer, 0) + 1
    return {
        id(call): guard
        for call, guard in _branch_calls(graph, body, strict=False)
        if guard is not None and calls[call.layer] == 1 and identifiers_of(guard) <= stable
    }


def _branch_calls(graph: Graph, body: tuple[Node, ...], strict: bool) -> list[tuple[Call, str | None]]:
    """Each call of ``body`` written inside the expression that reads it, with the test that
    guards its branch when that test is pure (see ``_in_branches``)."""
    readers: dict[str, list[Node]] = {}
    producers: dict[str, Node] = {}
    for node in graph.walk():
        for value in consumed(node):
            readers.setdefault(value, []).append(node)
        for value in produced(node):
            producers[value] = node
    returned = set(graph.outputs.values)
    found: list[tuple[Call, str | None]] = []
    for index, node in enumerate(body):
        if not isinstance(node, Op) or node.helper is not None or node.changes is not None:
            continue
        branches = {value: guard for value, guard in _in_branches(node).items() if value not in returned}
        pending = list(branches)
        owned: list[Call] = []
        guard_of: dict[int, str | None] = {}
        while pending:
            value = pending.pop()
            made = producers.get(value)
            if isinstance(made, Call) and not made.more and len(readers.get(value, ())) == 1:
                owned.append(made)
                # A call feeding the call in the branch runs only where that one does.
                guard_of[id(made)] = branches.get(value, next((guard_of[id(reader)] for reader in readers[value] if id(reader) in guard_of), None))
                pending += [inner for inner in consumed(made) if inner not in returned and _only_reader(readers, inner, made)]
        if not owned:
            continue
        run = body[index - len(owned) : index]
        if len(run) != len(owned) or {id(call) for call in run} != {id(call) for call in owned}:
            if not strict:
                continue
            raise EmitRefusal(
                owned[0].loc,
                "this layer is called in one branch of a conditional expression (`a if test else b`),"
                " but other code comes between the call and that expression; a subclass's call() would"
                " call it whatever the test says, building weights the model does not have",
                "write the branch as an `if` statement, or keep this model Functional",
            )
        found += [(call, guard_of[id(call)]) for call in owned]
    return found


def render_inline(
    code: Code, names: Mapping[str, str], inline: Mapping[str, str], between: Callable[[str], str] = lambda text: text
) -> str:
    """``code`` with its tensors' names, and each call of ``inline`` (by the tensor it makes) written
    where its tensor is read; ``between`` rewrites the text before those calls go in."""
    stand_ins = {f"{PLACEHOLDER_PREFIX}call_{index}": value for index, value in enumerate(code.values) if value in inline}
    text = between(render(code, {**names, **{value: name for name, value in stand_ins.items()}}))
    return substitute(text, {name: inline[value] for name, value in stand_ins.items()}) if stand_ins else text


def _only_reader(readers: dict[str, list[Node]], value: str, node: Node) -> bool:
    return [id(reader) for reader in readers.get(value, ())] == [id(node)]


def _in_branches(op: Op) -> dict[str, str | None]:
    """The tensors ``op`` reads only inside a branch of a conditional expression (``a`` and ``b``
    of ``a if test else b``, the right side of ``test and b``), never outside one, each with the
    test that holds where it is read (``test``, ``not test``), or None when that test reads a
    tensor, is not pure or differs between the places it is read."""
    placeholders = dict(op.expr.refs)
    if not placeholders:
        return {}
    inside: dict[str, set[str | None]] = {}
    outside: set[str] = set()
    module = cst.Module([])

    class Visitor(cst.CSTVisitor):
        def __init__(self) -> None:
            self.tests: list[str | None] = []

        def branch(self, test: cst.BaseExpression, holds: bool, node: cst.BaseExpression) -> None:
            text = module.code_for_node(test) if _pure(test, placeholders) else None
            self.tests.append(None if text is None else text if holds else negate(text))
            node.visit(self)
            self.tests.pop()

        def visit_IfExp(self, node: cst.IfExp) -> bool:
            node.test.visit(self)
            self.branch(node.test, True, node.body)
            self.branch(node.test, False, node.orelse)
            return False

        def visit_BooleanOperation(self, node: cst.BooleanOperation) -> bool:
            node.left.visit(self)
            self.branch(node.left, isinstance(node.operator, cst.And), node.right)
            return False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value not in placeholders:
                return
            if not self.tests:
                outside.add(node.value)
            elif None in self.tests:
                inside.setdefault(node.value, set()).add(None)
            else:
                inside.setdefault(node.value, set()).add(" and ".join(_grouped(test, len(self.tests)) for test in self.tests))

    cst.parse_expression(op.expr.text).visit(Visitor())
    return {
        placeholders[name]: next(iter(tests)) if len(tests) == 1 else None
        for name, tests in sorted(inside.items())
        if name not in outside
    }


def _grouped(test: str, count: int) -> str:
    """``test`` as one operand of ``and`` when there are ``count`` tests to join."""
    if count == 1 or not isinstance(cst.parse_expression(test), (cst.BooleanOperation, cst.IfExp)):
        return test
    return f"({test})"


# A test __init__ and call() agree on: names, constants, comparisons and ``not`` of them, ``len(name)``.
PURE_EXPRESSIONS = (
    cst.Name,
    cst.Attribute,
    cst.Integer,
    cst.Float,
    cst.SimpleString,
    cst.Comparison,
    cst.BooleanOperation,
    cst.UnaryOperation,
)


def _pure(test: cst.BaseExpression, placeholders: Mapping[str, str]) -> bool:
    """Whether ``test`` reads no tensor and calls nothing but ``len`` of a name."""

    class Visitor(cst.CSTVisitor):
        pure = True

        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, cst.Call):
                args = node.args
                self.pure &= (
                    isinstance(node.func, cst.Name)
                    and node.func.value == "len"
                    and len(args) == 1
                    and not args[0].star
                    and args[0].keyword is None
                    and isinstance(args[0].value, cst.Name)
                    and args[0].value.value not in placeholders
                )
                return False
            if isinstance(node, cst.Name) and node.value in placeholders:
                self.pure = False
            elif isinstance(node, cst.BaseExpression) and not isinstance(node, PURE_EXPRESSIONS):
                self.pure = False
            return self.pure

    visitor = Visitor()
    test.visit(visitor)
    return visitor.pure
