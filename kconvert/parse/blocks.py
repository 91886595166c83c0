"""Lifting blocks that carry tensors: ``for`` loops over layers, ``if`` on builder parameters.

A block carries every tensor variable its body reassigns (``x``, and in the
keras.io U-Net also ``previous_block_activation``), in the order the body
first assigns them.  Each becomes a ``Carried``: the tensor entering the block,
the same tensor as the body sees it, what the body leaves, and what follows
the block.  The functions take the ``FunctionalLifter`` reading the model (or
a subclass's ``call``), as ``helpers.lift_helper`` does.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst

from ..ir.control import Carried, Cond, Loop
from ..ir.nodes import Node
from .builder import refuse
from .names_in import bound_names, calls_in, identifiers, if_branches, reads, suite_lines, target_names
from .shape_tests import graph_spelling, reads_only_shapes, shape_values
from .static_truth import static_truth
from .tensor_lists import changed_names, promote_for_block, split_iteration

# Builds the block's node from what it carries and its lifted body.
MakeNode = Callable[[tuple[Carried, ...], tuple[Node, ...]], Node]


def lift_loop(lifter, statement: cst.For) -> None:
    """``for filters in [64, 128]: x = ...(x)``: the body lifted once, kept a loop."""
    loc = lifter.src.loc(statement)
    if statement.orelse is not None:
        raise refuse(loc, "a `for ... else` around layers cannot be converted", "remove the else branch")
    target, iterable, items = split_iteration(lifter, statement.target, statement.iter)
    # A layer named in the body is a new layer in each iteration: its name means nothing after the loop.
    lift_block(
        lifter,
        statement,
        lambda carried, body: Loop(target, iterable, carried, body, loc, items),
        lambda: lifter.env.update((item.name, item.value) for item in items),
        scoped=True,
    )


def lift_cond(lifter, statement: cst.If) -> None:
    """``if use_bn: x = BatchNormalization()(x)``: an ``if`` on a builder parameter.

    A test on tensor shapes (``if x.shape[-1] != filters:``) is kept too: shapes
    are static while the graph is built, so the ``if`` holds as it did.
    """
    loc = lifter.src.loc(statement)
    decided = static_truth(lifter.src, statement.test, lifter.constants)
    # A test written as a literal (``if False:`` around layers tried once) is the user's code,
    # kept as written, as the Sequential parser keeps it among ``add()`` calls.
    if decided is not None and static_truth(lifter.src, statement.test, {}) is None:
        # A helper's argument decides the test: only the branch taken is part of the model.
        branch = statement.body if decided else statement.orelse
        if isinstance(branch, cst.If):
            lift_cond(lifter, branch)
        elif branch is not None:
            lifter.statements(lifter.src.lines(branch.body if isinstance(branch, cst.Else) else branch))
        return
    test = graph_spelling(lifter.code(statement.test))
    lists = frozenset(lifter.env[name] for name in getattr(lifter, "tensor_lists", ()) if name in lifter.env)
    if test.refs and not reads_only_shapes(test, shape_values(lifter.nodes), lists):
        if any(isinstance(call.func, cst.Name) and call.func.value == "isinstance" for call in calls_in(statement.test)):
            # ``if isinstance(inputs, (list, tuple)):`` (a CVAE's call()) asks how the model is
            # called, not what a tensor holds: a graph is built for one structure of inputs.
            raise refuse(
                loc,
                "this `if` tests the type of a tensor argument (`isinstance`), how the model is called;"
                " a graph model is built for one structure of inputs, which decides it once",
                "remove the test for the structure the model is built with, or keep the model a subclass",
            )
        raise refuse(
            loc,
            "this `if` depends on tensor values, which a static graph cannot express",
            "branch only on parameters of the model's builder, or keep the model a subclass",
        )
    orelse = statement.orelse
    if orelse is None and _only_names_tensors(lifter, statement):
        # ``if self.residual: identity = x`` sets a tensor aside under a new name and makes nothing:
        # the name is bound as if always (the model reads it only under the same flag, or fails).
        lifter.statements(lifter.src.lines(statement.body))
        return
    if orelse is None:
        lift_block(lifter, statement, lambda carried, body: Cond(test, carried, body, loc))
        return
    # ``elif`` is an ``else`` whose body is one ``if``.
    other = [orelse] if isinstance(orelse, cst.If) else lifter.src.lines(orelse.body)
    lift_block(lifter, statement, lambda carried, body, alt: Cond(test, carried, body, loc, alt), orelse=other)


def _drawn(lifter, statement: cst.If | cst.For) -> frozenset[str]:
    """The names a loop over a list of tensors binds to its items (``c`` in ``for c in convs``)."""
    if not isinstance(statement, cst.For) or not identifiers(statement.iter) & set(lifter.env):
        return frozenset()
    return frozenset(target_names(statement.target))


def _only_names_tensors(lifter, statement: cst.If) -> bool:
    """Whether each line of the ``if``'s body gives a tensor made before it a new name (``identity = x``)."""
    for line in lifter.src.lines(statement.body):
        names = _copy(line)
        if names is None or names[0] in lifter.env or names[1] not in lifter.env:
            return False
    return True


def _copy(line: cst.BaseStatement) -> tuple[str, str] | None:
    """The name ``line`` binds and the name it copies (``identity = x``), or None for any other line."""
    small = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target, value = small.targets[0].target, small.value
    if not isinstance(target, cst.Name) or not isinstance(value, cst.Name):
        return None
    return target.value, value.value


def lift_block(
    lifter,
    statement: cst.If | cst.For,
    make: MakeNode,
    prelude: Callable[[], None] = lambda: None,
    scoped: bool = False,
    postlude: Callable[[], None] = lambda: None,
    orelse: list[cst.BaseStatement] | None = None,
    body: list[cst.BaseStatement] | None = None,
) -> None:
    """Lifts the body of ``statement``, appends the node ``make`` builds and binds what it carries.

    ``prelude`` runs inside the block before its statements (a subclass loop
    binds its loop variables to layers there), ``postlude`` after them.  With ``scoped``, layers named
    in the body are forgotten after it.  ``orelse``: the statements of an ``if``'s ``else``,
    lifted as a second branch that starts from the same tensors (``make`` then takes it too).
    ``body``: the statements to lift in place of the statement's own (the ``for`` itself, for an
    outer loop call() does not write: parse/subclass/loops.py).
    """
    loc = lifter.src.loc(statement)
    if isinstance(statement, cst.For):
        lifter.builder.loop_entered(target_names(statement.target), lifter.src.code(statement.iter))
    promote_for_block(lifter, statement.body, _drawn(lifter, statement))
    if isinstance(statement, cst.If) and statement.orelse is not None:
        promote_for_block(lifter, statement.orelse)
    lines = lifter.src.lines(statement.body)
    names = [name for name in assigned_in(lines, orelse or ()) if name in lifter.env]
    # ``if same: residual = x else: residual = Conv2D(width, 1)(x)``: a tensor each branch makes.
    fresh = [name for name in assigned_in(lines) if name in assigned_in(orelse or ())]
    fresh = [name for name in fresh if name not in lifter.env and orelse is not None]
    late = [name for name in fresh if _read_first(lines, name) or _read_first(orelse, name)]
    if late:
        # ``for i, ...: if i == 0: convs = f(x) else: convs = g(convs)``: a tensor of the pass before.
        raise refuse(
            loc,
            f"a branch of this `if` reads `{late[0]}` before it binds it (a tensor an earlier pass of a loop"
            " made); kconvert carries through a block only a tensor named before it",
            f"give `{late[0]}` its first value before the loop or `if`",
        )
    made_here = [name for name in assigned_in(lines) if name not in lifter.env and not _read_first(lines, name)]
    if not names and not fresh and made_here and isinstance(statement, cst.If):
        # ``elif p[0] == 'D': hidden = Dense(...)(x)`` as the last branch: no ``else`` binds ``hidden``.
        raise refuse(
            loc,
            f"this `if` makes `{made_here[0]}` only when a branch runs, and no `else` binds it;"
            " kconvert carries through an `if` a tensor named before it or made by every branch",
            f"add an `else` that binds `{made_here[0]}`, or give it a value before the `if`",
        )
    if not names and not fresh:
        _refuse_carrying_nothing(statement, loc)
    outer_env, outer_named, outer_nodes = dict(lifter.env), dict(lifter.named), lifter.nodes
    outer_lists = dict(getattr(lifter, "lists", {}))
    inits = [lifter.env[name] for name in names]
    params = [lifter.builder.new_value() for _ in names]
    lifter.env.update(zip(names, params))
    lifter.nodes = []
    prelude()
    entering = set(lifter.env)  # with the loop's own targets (``for skip in skips``)
    statements = lines if body is None else body
    lifter.statements(statements)
    postlude()
    if isinstance(statement, cst.For):
        _refuse_tensor_of_the_pass_before(lifter, statements, entering, loc)
    body, results = tuple(lifter.nodes), _results(lifter, names, loc)
    made = {name: lifter.env[name] for name in fresh if name in lifter.env}
    branch_named, other_named = lifter.named, outer_named
    others: list = [None] * len(names)
    if orelse is not None:
        lifter.env, lifter.named, lifter.nodes = {**outer_env, **dict(zip(names, params))}, dict(outer_named), []
        lifter.statements(orelse)
        alt, others = tuple(lifter.nodes), _results(lifter, names, loc)
        other_named = lifter.named
        # Only a tensor both branches make is one after the ``if`` (a number each sets is no tensor).
        made = {name: (value, lifter.env[name]) for name, value in made.items() if name in lifter.env}
    if not names and not made and fresh:
        # ``if units is None: hidden = None else: hidden = Dense(units)(x)``
        raise refuse(
            loc,
            f"this `if` makes `{fresh[0]}` a tensor in one branch only (another binds it to something else,"
            " such as `None`); kconvert carries through an `if` a tensor named before it or made by every branch",
            f"use `{fresh[0]}` only inside the branch that makes it, or keep this model in its current style",
        )
    if not names and not made:
        _refuse_carrying_nothing(statement, loc)
    named = outer_named if scoped else {**outer_named, **branch_named, **other_named}
    if isinstance(statement, cst.If):
        # ``if include_top: head = Dense(10) else: head = Dense(4)``: after the ``if``, which layer
        # ``head`` is depends on the branch that ran; a call of it there cannot be one layer.
        # (Each branch starts from the layers named before it, so a name missing from one is new.)
        for name in set(branch_named) & set(other_named):
            if branch_named[name] != other_named[name]:
                named.pop(name)
                lifter.ambiguous[name] = loc
    lifter.env, lifter.named, lifter.nodes = outer_env, named, outer_nodes
    copies = (_copies(lifter, lines), _copies(lifter, orelse or ())) if isinstance(statement, cst.If) else ({}, {})
    carried = tuple(
        Carried(init, param, result, lifter.builder.new_value(), name, other, *(each.get(name, ()) for each in copies))
        for name, init, param, result, other in zip(names, inits, params, results, others)
    ) + tuple(
        Carried(None, lifter.builder.new_value(), result, lifter.builder.new_value(), name, other, *(each.get(name, ()) for each in copies))
        for name, (result, other) in made.items()
    )
    lifter.nodes.append(make(carried, body) if orelse is None else make(carried, body, alt))
    lifter.env.update((item.name, item.out) for item in carried)
    _forget_block_lists(lifter, outer_lists, loc)


def _forget_block_lists(lifter, outer: dict, loc) -> None:
    """A list of tensors the block bound to tensors of its own (``outputs = [y1, y2]`` in one
    branch, ``[y1]`` in the other) names no tensor after it: a read of it there is refused
    (parse/placeholders.py), not written with one branch's tensors."""
    lists = getattr(lifter, "lists", None)
    if lists is None:
        return
    after = set(lifter.env.values())
    for name, code in list(lists.items()):
        if outer.get(name) is not code and not set(code.values) <= after:
            del lists[name]
            lifter.block_lists[name] = loc


def _copies(lifter, statements) -> dict[str, tuple[int, ...]]:
    """The lines of the branches' copies (``else: s = x``) by the name each binds."""
    copies: dict[str, tuple[int, ...]] = {}
    for line in statements:
        names = _copy(line)
        if names is not None:
            copies[names[0]] = (*copies.get(names[0], ()), lifter.src.loc(line).line)
    return copies


def _results(lifter, names: list[str], loc) -> list:
    """The tensor each carried name holds at the end of a branch."""
    lost = next((name for name in names if name not in lifter.env), None)
    if lost is not None:
        raise refuse(
            loc,
            f"`{lost}` is a tensor before this block, but the block binds it to something that is not one",
            "keep the tensor's name for tensors only",
        )
    return [lifter.env[name] for name in names]


def _refuse_tensor_of_the_pass_before(lifter, statements, entering: set[str], loc) -> None:
    """``for ...: if i: x = Add()([x, h]); h = Dense(4)(x)``: ``h`` is read as the tensor the
    pass before made, which nothing carries into the first pass; kconvert would read it as a
    plain name and write code that reads it unbound."""
    late = [
        name for name in lifter.env
        if name not in entering and name not in lifter.named and _read_first(statements, name)
    ]
    if late:
        raise refuse(
            loc,
            f"this loop reads `{late[0]}` before it binds it (the tensor the pass before made);"
            " kconvert carries through a loop only a tensor named before it",
            f"give `{late[0]}` its first value before the loop",
        )


def _read_first(statements, name: str) -> bool:
    """Whether ``statements`` read ``name`` before they bind it."""
    for child in statements:
        if isinstance(child, cst.If):
            if name in identifiers(child.test) or any(_read_first(suite.body, name) for suite in if_branches(child)):
                return True
        elif isinstance(child, cst.For) and name in target_names(child.target):
            # ``for _ in range(depth):`` binds ``_`` before its body runs; only its iterable is read first.
            return name in identifiers(child.iter)
        elif name in reads(child):
            return True
        if _binds((child,), name):
            return False
    return False


def _binds(statements, name: str) -> bool:
    """Whether ``statements`` surely bind ``name``: an ``if`` does when each branch, ``else`` too, does."""
    for child in statements:
        if isinstance(child, cst.If):
            last = child
            while isinstance(last.orelse, cst.If):
                last = last.orelse
            if last.orelse is not None and all(_binds(suite.body, name) for suite in if_branches(child)):
                return True
        elif name in bound_names(child):
            return True
    return False


def assigned_in(*blocks) -> list[str]:
    """The names the statements bind (or put tensors into), in the order of the statements that first do."""
    names: list[str] = []
    for child in (statement for block in blocks for statement in block):
        if isinstance(child, cst.If):
            # ``for ...: if first: x = Conv2D(...)(x) else: x = SeparableConv2D(...)(x)`` carries x.
            names += [name for name in assigned_in(*(suite.body for suite in if_branches(child))) if name not in names]
            continue
        if isinstance(child, cst.For):
            names += [name for name in sorted(target_names(child.target)) if name not in names]
            names += [name for name in assigned_in(suite_lines(child.body)) if name not in names]
        else:
            names += sorted(bound_names(child) - set(names))
        names += [name for name in changed_names(child) if name not in names]
    return names


def _refuse_carrying_nothing(statement: cst.If | cst.For, loc) -> None:
    if isinstance(statement, cst.For):
        raise refuse(
            loc,
            "a loop over layers must carry a tensor from one pass to the next",
            "reassign the tensor in the block, e.g. `for _ in range(n): x = Dense(4)(x)`",
        )
    raise refuse(
        loc,
        "this `if` calls layers but binds no tensor the code after it goes on from",
        "reassign the tensor in each branch (`if deep: x = Dense(4)(x)`), or keep this model in its current style",
    )
