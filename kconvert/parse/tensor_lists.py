"""Python lists of tensors in a model's code: U-Net skips, WaveNet skip outputs.

``skips = []``, then ``skips.append(x)`` in a loop, then ``Concatenate()([x,
skip])`` for ``up, skip in zip(up_stack, reversed(skips))``: the list is a
value of the graph like a tensor.  Making it is an ``Op`` (``[]``), changing
it an ``Op`` that ``changes`` it (written back as the statement it was), and a
loop over it draws ``Item``s.  ``skips = []`` is taken for such a list only
once a tensor goes into it (``promote``): an append of a tensor, or a block
whose appends read what the block computes.  Until then it is a plain
statement, so a list of sizes stays one.
"""

from __future__ import annotations

import libcst as cst

from typing import NamedTuple

from ..ir.control import Item
from ..ir.nodes import Node, Op, Stmt
from ..ir.reads import target_names
from ..ir.source_text import Code, Loc, placeholder
from .builder import refuse
from .names_in import calls_in, identifiers

# The methods that put tensors into a list in place.
PUTS = frozenset({"append", "extend", "insert"})
# The methods that change a list in place as they read it (``skips.pop()``).
TAKES = frozenset({"pop", "remove", "reverse", "sort", "clear"})


class Pending(NamedTuple):
    """A list not yet known to hold tensors: where its ``Op`` goes if one goes in.

    ``anchor`` is the ``Stmt`` of ``skips = []`` (replaced by the ``Op``), or for
    ``feats = [x]`` the node before it in ``nodes`` (the ``Op`` goes after it).
    """

    nodes: list[Node]
    anchor: Node | None
    made: Code
    loc: Loc


def is_new_list(value: cst.BaseExpression) -> bool:
    """``[]`` or ``list()``: a list that tensors may go into."""
    if isinstance(value, cst.List):
        return not value.elements
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Name)
        and value.func.value == "list"
        and not value.args
    )


def remember(lifter, name: str, value: cst.BaseExpression, statement: Stmt) -> None:
    """``name = []`` was just written as ``statement``: it becomes a list of tensors if one goes in."""
    lifter.pending.pop(name, None)
    if is_new_list(value):
        lifter.pending[name] = Pending(lifter.nodes, statement, Code(lifter.src.code(value)), statement.loc)


def remember_listed(lifter, name: str, loc: Loc) -> None:
    """``feats = [x]``, a list of tensors that Functional code writes out where it is read, until
    something goes into it: then it is made where it stood, after the node before it."""
    before = lifter.nodes[-1] if lifter.nodes else None
    lifter.pending[name] = Pending(lifter.nodes, before, lifter.lists[name], loc)


def remember_line(lifter, statement: cst.SimpleStatementLine) -> None:
    """``remember`` for a line kept verbatim: ``skips = []`` on its own."""
    small = statement.body[0]
    if len(statement.body) == 1 and isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            remember(lifter, target.value, small.value, lifter.nodes[-1])


def put(small: cst.BaseSmallStatement) -> tuple[str, cst.Call] | None:
    """``("skips", call)`` for the statement ``skips.append(x)`` (``extend``, ``insert``)."""
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    func = small.value.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in PUTS:
        return func.value.value, small.value
    return None


def _taken(small: cst.BaseSmallStatement) -> tuple[str, cst.Call] | None:
    """``("skips", call)`` for the statement ``skips.reverse()`` (``pop``, ``remove``, ...)."""
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    func = small.value.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in TAKES:
        return func.value.value, small.value
    return None


def puts_in(node: cst.CSTNode) -> list[tuple[str, cst.Call]]:
    """Every ``name.append(...)`` statement in ``node``, at any depth of its blocks, in order."""
    found: list[tuple[str, cst.Call]] = []

    class Visitor(cst.CSTVisitor):
        def visit_Expr(self, small: cst.Expr) -> None:
            made = put(small)
            if made is not None:
                found.append(made)

        def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
            return False

        def visit_Lambda(self, inner: cst.Lambda) -> bool:
            return False

    node.visit(Visitor())
    return found


def changed_names(node: cst.CSTNode) -> list[str]:
    """The lists ``node`` puts something into, in order."""
    return list(dict.fromkeys(name for name, _ in puts_in(node)))


def promote(lifter, name: str) -> None:
    """``name = []`` made an ``Op`` where it stood: from now on the list is a value of the graph."""
    nodes, anchor, made, loc = lifter.pending.pop(name)
    out = lifter.builder.new_value()
    index = next((index for index, node in enumerate(nodes) if node is anchor), -1)
    if lifter.lists.pop(name, None) is not None:
        nodes.insert(index + 1, Op(out, made, loc, name))
    else:
        nodes[index] = Op(out, made, loc, name)
    lifter.env[name] = out
    lifter.tensor_lists.add(name)


def promote_for_block(lifter, block: cst.BaseSuite, drawn: frozenset[str] = frozenset()) -> None:
    """Lists a block puts tensors into become values before it starts, so that it carries them.

    What goes in is a tensor already, or a name the block binds to what a call makes
    (``x = down(x)``, ``z, skip = block(z)``), or a tensor a loop over a list of tensors draws
    (``drawn``: ``c`` in ``for c in convs``); ``n = i * 2`` makes a number.
    """
    computed = set(lifter.env) | _bound_by_calls(block) | drawn
    for name, call in puts_in(block):
        if name in lifter.pending and (identifiers(call) - {name}) & computed:
            promote(lifter, name)
    promote_taken(lifter, block)


def promote_taken(lifter, node: cst.CSTNode) -> None:
    """``feats = [a, b]`` that ``node`` changes as it reads it (``feats.pop()``) is made where it
    stood: written out at each read, every ``pop()`` would take from a fresh list."""
    for call in calls_in(node):
        func = call.func
        if not isinstance(func, cst.Attribute) or not isinstance(func.value, cst.Name):
            continue
        name = func.value.value
        if func.attr.value in TAKES and name in lifter.pending and name in lifter.lists:
            promote(lifter, name)


def _bound_by_calls(block: cst.CSTNode) -> set[str]:
    """Names assigned, at any depth of ``block``, from an expression that calls something."""
    bound: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if calls_in(node.value):
                for target in node.targets:
                    bound.update(target_names(target.target))

        def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
            return False

    block.visit(Visitor())
    return bound


def lift_put(lifter, small: cst.BaseSmallStatement) -> bool:
    """``skips.append(x)`` as an ``Op`` that changes ``skips``; False when it is no such statement.

    A statement that only reorders or takes from a list of tensors (``skips.reverse()`` before a
    U-Net's decoder reads it from the deepest skip up) is such an ``Op`` too.
    """
    found = put(small) or _taken(small)
    if found is None:
        return False
    name, call = found
    if name in lifter.pending and lifter.reads_tensor(call):
        promote(lifter, name)
    if name not in lifter.tensor_lists or name not in lifter.env:
        return False
    before = lifter.env[name]
    refs: dict[str, str] = {placeholder(before): before}
    args = []
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            return False
        code = lifter.code(arg.value)
        refs.update(code.refs)
        args.append(code.text)
    text = f"{placeholder(before)}.{call.func.attr.value}({', '.join(args)})"
    out = lifter.builder.new_value()
    lifter.nodes.append(Op(out, Code(text, tuple(refs.items())), lifter.src.loc(small), name, changes=before))
    lifter.env[name] = out
    return True


def refuse_second_name(lifter, name: str, value: cst.BaseExpression) -> None:
    """``a = skips``: two names for one list, which a change through one would change for both."""
    if isinstance(value, cst.Name) and value.value in lifter.tensor_lists and name != value.value:
        raise refuse(
            lifter.src.loc(value),
            f"`{name} = {value.value}` gives a list of tensors a second name",
            f"use `{value.value}` itself, or copy it with `list({value.value})`",
        )


def split_iteration(lifter, target: cst.BaseExpression, iterable: cst.BaseExpression):
    """``for`` over lists of tensors: ``(target, iterable, items)``, the static part as text.

    ``for up, skip in zip(up_stack, skips)`` is ``up`` over ``up_stack`` and
    the item ``skip`` drawn from ``skips``; ``for skip in skips`` has no static
    part (``""``).
    """
    code = lifter.src.code
    if not lifter.reads_tensor(iterable):
        return code(target), Code(lifter.text(iterable)), ()
    pairs = zipped(target, iterable)
    if pairs is None:
        pairs = [(target, iterable)] if isinstance(target, cst.Name) else []
    static = [(name, source) for name, source in pairs if not lifter.reads_tensor(source)]
    drawn = [(name, source) for name, source in pairs if lifter.reads_tensor(source)]
    if not drawn or any(not isinstance(name, cst.Name) for name, _ in drawn):
        raise refuse(
            lifter.src.loc(iterable),
            f"the loop `for {code(target)} in {code(iterable)}` draws tensors in a way kconvert cannot follow",
            "loop over the list of tensors by name, or `zip` it with the layers: `for up, skip in zip(ups, skips)`",
        )
    items = tuple(
        Item(name.value, lifter.builder.new_value(), lifter.code(source)) for name, source in drawn
    )
    if not static:
        return "", Code(""), items
    if len(static) == 1:
        return code(static[0][0]), Code(lifter.text(static[0][1])), items
    names = ", ".join(code(name) for name, _ in static)
    return names, Code(f"zip({', '.join(lifter.text(source) for _, source in static)})"), items


def zipped(target: cst.BaseExpression, iterable: cst.BaseExpression):
    """``[(a, A), (b, B)]`` for ``a, b`` over ``zip(A, B)``; None for any other loop."""
    if not (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "zip"
        and isinstance(target, (cst.Tuple, cst.List))
        and len(target.elements) == len(iterable.args)
        and all(arg.keyword is None and not arg.star for arg in iterable.args)
    ):
        return None
    return [(element.value, arg.value) for element, arg in zip(target.elements, iterable.args)]
