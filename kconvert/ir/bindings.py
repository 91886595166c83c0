"""The names one node of a graph binds: a statement's targets, and a loop's variables, which a
name bound once by a statement may share (``scale = 2.0`` then ``for scale in sizes:``); and
which of a loop's variables the graph reads after the loop, where graph code (a builder's
``for``) still has the last pass's value and a comprehension's variable is gone.
"""

from __future__ import annotations

from .control import Cond, Loop
from .graph import Graph, walk
from .nodes import Call, Define, Input, Node, Op, Stmt
from .reads import identifiers_of, statement_binds_anywhere, statement_names


def node_binds(node: Node, in_place: bool = True) -> set[str]:
    """The names ``node`` itself binds (not those of the nodes in its body); ``in_place`` as
    ``statement_binds_anywhere`` means it."""
    if isinstance(node, Stmt):
        return statement_binds_anywhere(node.code, in_place)
    if isinstance(node, Loop):
        # ``for skip in skips`` over tensors alone has no target of its own, only items.
        drawn = {item.name for item in node.items}
        return (identifiers_of(f"({node.target})") if node.target else set()) | drawn
    return set()


def read_after_loop(graph: Graph, loop: Loop, side: str = "") -> frozenset[str]:
    """The names ``loop`` binds that the graph reads after it, where no other loop binds them
    again (inside a loop around ``loop``, every read comes after some pass of it).  ``side``
    picks the reads a subclass writes in one method: ``"init"`` layers' arguments, plain
    statements, iterables and tests; ``"call"`` tensor expressions and calls, statements on
    tensors, iterables, tests and the outputs; ``""`` all of them, the Inputs' shapes too."""
    bound = node_binds(loop)
    if not bound:
        return frozenset()
    passed = False

    def reads(body: tuple[Node, ...], shadowed: frozenset[str]) -> set[str]:
        nonlocal passed
        found: set[str] = set()
        for node in body:
            if node is loop:
                passed = True
                continue
            init: list[str] = []
            call: list[str] = []
            both: list[str] = []
            if isinstance(node, (Call, Define)):
                layer = graph.layer(node.layer)
                init += [arg.value.text for arg in layer.args] if layer.binding != "external" else []
                call += [arg.value.text for arg in getattr(node, "args", ())]
            elif isinstance(node, Op):
                call.append(node.expr.text)
            elif isinstance(node, Input) and not side:
                init += [arg.value.text for arg in node.args]
            elif isinstance(node, Stmt) and passed and (side != "call" if not node.refs else side != "init"):
                found |= statement_names(node.code) - shadowed
            elif isinstance(node, Loop):
                both.append(node.iterable.text)
                around = any(inner is loop for inner in walk(node.body))
                before, passed = passed, passed or around
                found |= reads(node.body, shadowed | node_binds(node))
                passed = before or around
            elif isinstance(node, Cond):
                both.append(node.test.text)
                found |= reads(node.body, shadowed) | reads(node.orelse, shadowed)
            texts = both + (init if side != "call" else []) + (call if side != "init" else [])
            if passed:
                found |= {name for text in texts if text for name in identifiers_of(text)} - shadowed
        return found

    outputs = identifiers_of(graph.outputs.text) if side != "init" else set()
    return frozenset(bound & (reads(graph.body, frozenset()) | outputs))
