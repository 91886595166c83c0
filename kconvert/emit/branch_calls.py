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
"""

from __future__ import annotations

import libcst as cst

from collections.abc import Callable, Mapping

from ..ir.code import render, substitute
from ..ir.dataflow import consumed, produced
from ..ir.graph import Graph
from ..ir.nodes import Call, Node, Op
from ..ir.source_text import PLACEHOLDER_PREFIX, Code
from .context import EmitRefusal


def inlined_calls(graph: Graph, body: tuple[Node, ...], strict: bool = True) -> frozenset[int]:
    """The ``id``s of the calls of ``body`` that are written inside the expression that reads them;
    ``strict``: one that cannot be is refused."""
    readers: dict[str, list[Node]] = {}
    producers: dict[str, Node] = {}
    for node in graph.walk():
        for value in consumed(node):
            readers.setdefault(value, []).append(node)
        for value in produced(node):
            producers[value] = node
    returned = set(graph.outputs.values)
    found: set[int] = set()
    for index, node in enumerate(body):
        if not isinstance(node, Op) or node.helper is not None or node.changes is not None:
            continue
        pending = [value for value in _in_branches(node) if value not in returned]
        owned: list[Call] = []
        while pending:
            value = pending.pop()
            made = producers.get(value)
            if isinstance(made, Call) and not made.more and len(readers.get(value, ())) == 1:
                owned.append(made)
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
        found |= {id(call) for call in owned}
    return frozenset(found)


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


def _in_branches(op: Op) -> list[str]:
    """The tensors ``op`` reads only inside a branch of a conditional expression (``a`` and ``b``
    of ``a if test else b``, the right side of ``test and b``), never outside one."""
    placeholders = dict(op.expr.refs)
    if not placeholders:
        return []
    inside: set[str] = set()
    outside: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def __init__(self) -> None:
            self.depth = 0

        def visit_IfExp(self, node: cst.IfExp) -> bool:
            node.test.visit(self)
            self.depth += 1
            node.body.visit(self)
            node.orelse.visit(self)
            self.depth -= 1
            return False

        def visit_BooleanOperation(self, node: cst.BooleanOperation) -> bool:
            node.left.visit(self)
            self.depth += 1
            node.right.visit(self)
            self.depth -= 1
            return False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value in placeholders:
                (inside if self.depth else outside).add(node.value)

    cst.parse_expression(op.expr.text).visit(Visitor())
    return [placeholders[name] for name in sorted(inside - outside)]
