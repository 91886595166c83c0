"""A subclass's view of helper calls: their bodies written out, in a loop as in straight code.

A helper called in a loop (``for _ in range(num_blocks): x = mixer_block(x,
...)``) makes new layers on every pass, so its layers are made like the loop's
inline layers: one list per layer, by a comprehension over the loop's iterable
in ``__init__``, zipped over in ``call()``.  The walks here look through helper
calls into the code they stand for, so the loop sees the helper's layers as
its own.
"""

from __future__ import annotations

import builtins
from typing import Callable, Iterator

import libcst as cst

from ...ir.bindings import read_after_loop
from ...ir.control import Cond, Loop
from ...ir.graph import Graph, branches
from ...ir.nodes import Call, Define, Helper, Node, Op, Stmt
from ...ir.reads import identifiers_of, statement_binds_anywhere
from ..conditions import conjoin, negate
from ..context import EmitRefusal

# ``zip``, ``reversed``: names an iterable reads that need no attribute of the model.
_BUILTINS = frozenset(dir(builtins))


def written_out(helper: Helper) -> tuple[Node, ...]:
    """The helper's lifted body, or the refusal that says why there is none."""
    if helper.problem is not None:
        loc, message, hint = helper.problem
        raise EmitRefusal(loc, f"`{helper.name}` cannot be written out in a subclass: {message}", hint)
    return helper.body


def walk_written_out(body: tuple[Node, ...]) -> Iterator[Node]:
    """Every node of ``body`` as a subclass writes it: blocks and helper bodies included."""
    for node in body:
        yield node
        for branch in branches(node):
            yield from walk_written_out(branch)
        if isinstance(node, Op) and node.helper is not None:
            yield from walk_written_out(written_out(node.helper))


def same_pass(body: tuple[Node, ...]) -> Iterator[Node]:
    """The nodes of a loop's ``body`` that run once per pass, helper bodies and blocks included: a
    loop inside is yielded, not entered, since its nodes run once per pass of its own."""
    for node in body:
        yield node
        if isinstance(node, Loop):
            continue
        for branch in branches(node):
            yield from same_pass(branch)
        if isinstance(node, Op) and node.helper is not None:
            yield from same_pass(written_out(node.helper))


def pass_tests(body: tuple[Node, ...], into_loops: bool) -> dict[str, str]:
    """For each layer of ``body`` made only under ``if`` tests that ``__init__`` can ask too (on the
    loop's variables or the constructor's values, not on shapes), those tests as one condition:
    ``__init__`` makes it only where ``call()`` calls it (``if stack > 0 and block == 0:``), so no
    layer stays uncalled and unbuilt.  A layer also called elsewhere, or under other tests, has none."""
    found: dict[str, tuple[str, ...] | None] = {}

    def visit(nodes: tuple[Node, ...], tests: tuple[str, ...]) -> None:
        for node in nodes:
            if isinstance(node, (Call, Define)):
                seen = found.get(node.layer, tests)
                found[node.layer] = tests if seen == tests else None
            elif isinstance(node, Cond) and not node.test.refs:
                visit(node.body, (*tests, node.test.text))
                visit(node.orelse, (*tests, negate(node.test.text)))
            elif isinstance(node, Cond):
                visit(node.body, tests)
                visit(node.orelse, tests)
            elif isinstance(node, Loop) and into_loops:
                visit(node.body, tests)

    visit(body, ())
    return {layer: conjoin(tests) for layer, tests in found.items() if tests}


def check_loop(graph: Graph, loop: Loop, lists: list[str]) -> None:
    """Refuses a loop of layers whose body ``__init__`` cannot make list by list.

    ``__init__`` runs the loop's statements in its own loop, around the appends
    that make the layers (a loop inside making its lists there in turn): a
    statement between two layers of a pass, or one whose names ``call()`` reads
    too, would need more than that.
    """
    if not lists and not any(isinstance(node, Stmt) and not node.refs for node in walk_written_out(loop.body)):
        return
    if not loop.target:
        raise EmitRefusal(
            loop.loc,
            "the loop makes layers once per tensor of a list that call() fills, so `__init__` cannot"
            " know how many to make",
            "zip the list with the layers' settings (`for filters, skip in zip([64, 32], skips)`),"
            " or keep this model Functional",
        )
    inner = list(walk_written_out(loop.body))
    passes = list(same_pass(loop.body))
    making = [
        index
        for index, node in enumerate(passes)
        if (isinstance(node, (Call, Define)) and node.layer in lists)
        or (isinstance(node, Loop) and any(isinstance(item, (Call, Define)) for item in walk_written_out(node.body)))
    ]
    between = passes[making[0] : making[-1]] if making else []
    statement = next((node for node in between if isinstance(node, Stmt)), None)
    if statement is not None:
        raise EmitRefusal(
            statement.loc,
            f"`{statement.code.splitlines()[0]}` runs in the loop between the layers it makes; a subclass"
            " makes each pass's layers in `__init__` at once",
            "move the statement before or after the loop's layers, or keep this model Sequential or Functional",
        )
    guarded = next(
        (
            statement
            for node in passes
            if isinstance(node, Cond)
            for branch in branches(node)
            for statement in walk_written_out(branch)
            if isinstance(statement, Stmt)
        ),
        None,
    )
    if guarded is not None:
        raise EmitRefusal(
            guarded.loc,
            f"`{guarded.code.splitlines()[0]}` runs only in the passes an `if` around layers takes; `__init__`"
            " makes every pass's layers, so it would run it in every pass",
            "compute the value before the `if` (`units = 4 if block == 0 else 8`), or keep this model"
            " Sequential or Functional",
        )
    bound = set().union(*(statement_binds_anywhere(node.code) for node in inner if isinstance(node, Stmt)))
    read = set().union(*(identifiers_of(code.text) for node in inner for code in _call_side(node)))
    # call() loops over a loop's iterable too when the loop's body reads its variable.
    read |= set().union(
        *(
            identifiers_of(node.iterable.text)
            for node in inner
            if isinstance(node, Loop) and loops_over_iterable(node, graph)
        )
    )
    if bound & read:
        raise EmitRefusal(
            loop.loc,
            f"`call()` would read `{sorted(bound & read)[0]}`, which the loop's statements compute in `__init__`",
            "keep this model Sequential or Functional",
        )
    for node in passes:
        if not isinstance(node, Loop):
            continue
        made = {item.layer for item in walk_written_out(node.body) if isinstance(item, (Call, Define))}
        statement = next((item for item in walk_written_out(node.body) if isinstance(item, Stmt)), None)
        if not made & set(lists) and statement is not None:
            raise EmitRefusal(
                statement.loc,
                f"`{statement.code.splitlines()[0]}` runs in a loop of tensors inside a loop of layers;"
                " `__init__`, which makes the layers, has no such loop to run it in",
                "move the statement out of the inner loop, or keep this model Sequential or Functional",
            )
        check_loop(graph, node, [layer for layer in lists if layer in made])


def _call_side(node: Node) -> list:
    """The code of ``node`` that ``call()`` runs (not the layers' constructors)."""
    if isinstance(node, Op) and node.helper is not None:
        return []
    codes = [arg.value for arg in getattr(node, "args", ())] if isinstance(node, Call) else []
    return codes + [getattr(node, field) for field in ("expr", "test") if hasattr(node, field)]


def check_foreign_loops(graph: Graph, stored: frozenset[str]) -> None:
    """Refuses a loop that calls, pass by pass, layer objects made outside the model
    (``for layer in feature_layers: x = layer(x)``): a subclass would have to hold those very
    objects as an attribute, which kconvert does not write yet.  A list the model's own code
    makes (``down_stack = [downsample(64, 4), ...]``) is ``stored`` on the model by ``__init__``
    (call_values.py), and call() loops over ``self.down_stack``, which tracks its layers."""
    for node in walk_written_out(graph.body):
        if not isinstance(node, Loop) or not graph.drawn_layers(node):
            continue
        if identifiers_of(node.iterable.text) - stored - _BUILTINS:
            raise EmitRefusal(
                node.loc,
                f"the loop calls each layer of `{node.iterable.text}`, layer objects made outside the"
                " model; a subclass would have to keep those very objects, which kconvert cannot write yet",
                "keep this model Sequential or Functional",
            )


def names_used_as_objects(body: tuple[Node, ...]) -> set[str]:
    """Names the call()-side code of ``body`` calls or reads an attribute of: ``embed`` in
    ``x + embed(positions)``, ``proj`` in ``ops.matmul(x, proj.kernel)``."""
    used: set[str] = set()

    class Uses(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name):
                used.add(node.func.value)

        def visit_Attribute(self, node: cst.Attribute) -> None:
            if isinstance(node.value, cst.Name):
                used.add(node.value.value)

    for node in walk_written_out(body):
        for code in _call_side(node) + ([node.iterable] if isinstance(node, Loop) else []):
            # A loop over lists of tensors alone has no iterable of its own (``ir/iteration.py``).
            if code.text:
                cst.parse_expression(code.text).visit(Uses())
    return used


def reads_own_variable(loop: Loop) -> bool:
    """Whether call()-side code of the loop's body reads its variable (``units``, or one of
    ``index, units``)."""
    return bool(loop.target) and bool((identifiers_of(loop.target) - {"_"}) & names_read_in(loop.body))


def loops_over_iterable(loop: Loop, graph: Graph) -> bool:
    """Whether call() loops over the loop's iterable too: its body reads the loop's variable, or
    calls the layers it draws (``down(x)`` in ``for down in down_stack``, over ``self.down_stack``),
    or call()'s code after it reads the last pass's value (``x = x * scale`` after the loop)."""
    return (
        reads_own_variable(loop)
        or (bool(loop.target) and bool(graph.drawn_layers(loop)))
        or bool(read_after_loop(graph, loop, side="call"))
    )


def names_read_in(body: tuple[Node, ...], drawn: Callable[[Loop], bool] = lambda loop: True) -> set[str]:
    """Names the call()-side code of ``body`` reads (not the layer constructors); a loop's
    iterable only when ``drawn`` says call() loops over it (not only over its layer lists)."""
    names: set[str] = set()
    for node in walk_written_out(body):
        if isinstance(node, Op) and node.helper is not None:
            # The helper call itself is not written out; its arguments live on in its body.
            continue
        fields = ("expr", "test", "iterable") if not isinstance(node, Loop) or drawn(node) else ()
        for code in [arg.value for arg in getattr(node, "args", ())] + [
            getattr(node, field) for field in fields if hasattr(node, field)
        ]:
            if code.text:
                names |= identifiers_of(code.text)
    return names
