"""Which names the code after a model reads, and where.

Each model of a file asks this of the code after it: ``Later`` indexes each
block's statements by the names they mention, so a question costs what that code
holds of its names, not the length of the file; ``read_before_rebound`` and
``read_later`` find the names read before a statement rebinds them.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Iterator

import libcst as cst

from ..ir.source_text import Loc
from .free_names import free_name_nodes
from .memo import once
from .names_in import (
    bound_names,
    identifiers,
    if_branches,
    is_target,
    mentions,
    reads,
    suite_lines,
)


class Later:
    """The statements that run after a model, as the blocks they stand in: each part is
    ``(block, start, stop)`` for ``block.body[start:stop]``; first, ``earlier``: the functions written
    above the model, whose bodies run when they are called.

    Iterating gives every statement; ``mentioning`` gives only those that mention a
    name, found through an index of each block's statements by name, so that each
    model of a file asking about the code after it costs what that code holds of its
    names, not the length of the file.
    """

    def __init__(self, parts, earlier: tuple[cst.CSTNode, ...] = ()) -> None:
        self.parts = tuple(parts)
        self.earlier = earlier

    def __iter__(self) -> Iterator[cst.CSTNode]:
        yield from self.earlier
        for block, start, stop in self.parts:
            yield from block.body[start:stop]

    def mentioning(self, names) -> Iterator[cst.CSTNode]:
        """The statements that mention one of ``names``, in order; ``names`` is read again
        before each step, so a caller may drop the names it is done with."""
        yield from _mentioning(self.earlier, names)
        for block, start, stop in self.parts:
            index = once("mention_index", block, _mention_index)
            body = block.body
            position = start
            while names:
                following = [
                    places[found]
                    for name in names
                    if (places := index.get(name)) is not None
                    and (found := bisect_left(places, position)) < len(places)
                    and places[found] < stop
                ]
                if not following:
                    break
                position = min(following)
                yield body[position]
                position += 1


def _mention_index(block: cst.CSTNode) -> dict[str, list[int]]:
    """``{name: the positions in block.body of the statements that mention it}``."""
    index: dict[str, list[int]] = {}
    for position, statement in enumerate(block.body):
        for name in identifiers(statement):
            index.setdefault(name, []).append(position)
    return index


def mentioning(statements, names) -> Iterator[cst.CSTNode]:
    """The statements that may read or bind one of ``names``, in order (see ``Later.mentioning``)."""
    if isinstance(statements, Later):
        return statements.mentioning(names)
    return _mentioning(statements, names)


def _mentioning(statements, names) -> Iterator[cst.CSTNode]:
    for statement in statements:
        if not names:
            return
        if mentions(statement, names):
            yield statement


def read_before_rebound(
    statements, candidates: set[str], locate
) -> dict[str, Loc]:
    """Candidates that one of ``statements`` reads before a statement rebinds them.

    ``locate`` maps a node to its ``Loc``.  A read inside a nested function counts
    (it may run later). The branches of an ``if``, and the bodies of loops, ``with``
    and ``try``, are read in order, each from what is live before it (a ``for`` body from what
    its target leaves live): in
    ``if colab: from google.colab import output; output.serve()`` the read is of the
    import. A rebinding ends a candidate for the statements after it when it always runs: at
    the top level, in a ``with`` body, in every branch of an ``if`` that has an ``else``, or in a
    ``try`` body and every handler that goes on (or its ``finally``).
    """
    return {name: locs[0] for name, locs in every_read_before_rebound(statements, candidates, locate).items()}


def every_read_before_rebound(statements, candidates: set[str], locate) -> dict[str, list[Loc]]:
    """Each read of a candidate before a statement rebinds it, as ``read_before_rebound`` finds the
    first, in the order of the source."""
    found: dict[str, list[Loc]] = {}
    _scan(statements, set(candidates), found, locate)
    return found


def _scan(statements, live: set[str], found: dict[str, list[Loc]], locate) -> None:
    for statement in mentioning(statements, live):
        parts = _parts(statement)
        if parts is None:
            for name in free_name_nodes(statement):
                if name.value in live and not is_target(statement, name):
                    found.setdefault(name.value, []).append(locate(name))
        else:
            heads, bodies = parts
            for head in heads:
                for name in free_name_nodes(head):
                    if name.value in live:
                        found.setdefault(name.value, []).append(locate(name))
            for index, body in enumerate(bodies):
                # A loop's target is bound before each pass of its body reads anything.
                passed = identifiers(statement.target) if isinstance(statement, cst.For) and index == 0 else frozenset()
                _scan(body, set(live) - passed, found, locate)
        live -= bound_names(statement) | _always_bound(statement)


def _always_bound(statement: cst.CSTNode) -> frozenset[str]:
    """Names a compound statement binds whichever way it runs: its ``with`` body's (not under
    ``suppress``, which may skip the rest of the body), those every branch of an
    ``if`` ... ``else`` binds that goes on to the next statement (one ending in ``raise``
    never does: ``else: raise ValueError(...)``), and a ``try``'s that its body and every
    handler that goes on bind, or its ``finally`` does."""
    if isinstance(statement, cst.With):
        if any(_names_suppress(item.item) for item in statement.items):
            return frozenset()
        return _suite_bound(statement.body)
    if isinstance(statement, cst.If):
        orelse = statement.orelse
        while isinstance(orelse, cst.If):
            orelse = orelse.orelse
        going_on = [branch for branch in if_branches(statement) if not _raises(branch)]
        if orelse is not None and going_on:
            return frozenset.intersection(*map(_suite_bound, going_on))
    if isinstance(statement, cst.Try):
        # The body may stop at any line: what it binds (and its ``else`` after it) is bound
        # only if every handler that goes on binds it too (``try: from tensorflow import keras``
        # ``except ImportError: import keras``); ``finally`` always runs.
        done = _suite_bound(statement.body)
        if statement.orelse is not None:
            done |= _suite_bound(statement.orelse.body)
        going_on = [handler.body for handler in statement.handlers if not _raises(handler.body)]
        bound = frozenset.intersection(done, *map(_suite_bound, going_on))
        return bound | (_suite_bound(statement.finalbody.body) if statement.finalbody is not None else frozenset())
    return frozenset()


def _raises(suite: cst.BaseSuite) -> bool:
    """Whether the block's last statement is a ``raise``."""
    lines = suite_lines(suite)
    last = lines[-1] if lines else None
    return isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Raise)


def _names_suppress(node: cst.CSTNode) -> bool:
    """``suppress(...)``, ``contextlib.suppress(...)``: the name or an attribute so spelled."""

    class Finder(cst.CSTVisitor):
        found = False

        def visit_Name(self, name: cst.Name) -> None:
            self.found = self.found or name.value == "suppress"

    finder = Finder()
    node.visit(finder)
    return finder.found


def _suite_bound(suite: cst.BaseSuite) -> frozenset[str]:
    return frozenset().union(*(bound_names(line) | _always_bound(line) for line in suite_lines(suite)))


def _parts(statement: cst.CSTNode):
    """The expressions a compound statement evaluates first, and its blocks of statements; None
    for a statement read as a whole."""
    if isinstance(statement, cst.If):
        heads, bodies = [statement.test], [statement.body.body]
        orelse = statement.orelse
        while isinstance(orelse, cst.If):
            heads.append(orelse.test)
            bodies.append(orelse.body.body)
            orelse = orelse.orelse
        if orelse is not None:
            bodies.append(orelse.body.body)
        return heads, bodies
    if isinstance(statement, (cst.For, cst.While)):
        head = statement.iter if isinstance(statement, cst.For) else statement.test
        bodies = [statement.body.body] + ([statement.orelse.body.body] if statement.orelse else [])
        return [head], bodies
    if isinstance(statement, cst.With):
        return [item.item for item in statement.items], [statement.body.body]
    if isinstance(statement, cst.Try):
        bodies = [statement.body.body] + [handler.body.body for handler in statement.handlers]
        bodies += [block.body.body for block in (statement.orelse, statement.finalbody) if block is not None]
        return [], bodies
    return None


def read_later(statements, starts) -> dict[int, frozenset[str]]:
    """``{start: the names statements[start:] read before a statement rebinds them}``.

    What ``read_before_rebound`` finds when every name is a candidate, for all of
    ``starts`` in one backward pass: each model of a block asks it of the code
    after the model, and a pass per model made a file's cost models x statements.
    """
    wanted = set(starts)
    found = {start: frozenset() for start in wanted if start >= len(statements)}
    live: set[str] = set()
    for index in range(len(statements) - 1, min(wanted, default=len(statements)) - 1, -1):
        statement = statements[index]
        live -= bound_names(statement)
        # A compound statement is read in order (``for x, y in db: x = f(x)`` reads no earlier ``x``).
        live |= reads(statement) if _parts(statement) is None else set(read_before_rebound([statement], set(identifiers(statement)), _nowhere))
        if index in wanted:
            found[index] = frozenset(live)
    return found


def _nowhere(node: cst.CSTNode) -> None:
    """``read_later`` asks which names are read, not where."""
