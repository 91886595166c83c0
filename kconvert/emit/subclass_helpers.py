"""A subclass's view of helper calls: their bodies written out, in a loop as in straight code.

A helper called in a loop (``for _ in range(num_blocks): x = mixer_block(x,
...)``) makes new layers on every pass, so its layers are made like the loop's
inline layers: one list per layer, by a comprehension over the loop's iterable
in ``__init__``, zipped over in ``call()``.  The walks here look through helper
calls into the code they stand for, so the loop sees the helper's layers as
its own.
"""

from __future__ import annotations

from typing import Iterator

from ..ir.graph import Carrier, Helper, Loop, Node, Op, Stmt
from .context import EmitRefusal


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
        if isinstance(node, Carrier):
            yield from walk_written_out(node.body)
        elif isinstance(node, Op) and node.helper is not None:
            yield from walk_written_out(written_out(node.helper))


def check_loop(loop: Loop, lists: list[str]) -> None:
    """Refuses a loop of layers whose body a comprehension per layer cannot make.

    A statement in the body has no place in the comprehension that makes a
    list of layers, and a loop inside it would need lists of lists.
    """
    if not lists:
        return
    inner = list(walk_written_out(loop.body))
    statement = next((node for node in inner if isinstance(node, Stmt)), None)
    if statement is not None:
        raise EmitRefusal(
            statement.loc,
            f"`{statement.code.splitlines()[0]}` runs in the loop that makes layers; a subclass makes"
            " each list of them in `__init__` with a comprehension, where the statement has no place",
            "compute the value in the loop's iterable (e.g. `zip` over a list of strides),"
            " or keep this model Sequential or Functional",
        )
    if any(isinstance(node, Loop) for node in inner):
        raise EmitRefusal(loop.loc, "nested loops of layers cannot be written as a subclass yet")
