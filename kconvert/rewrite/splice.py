"""Putting emitted statements in place of a model's statements, and nothing else.

Every statement outside the replaced ranges is the very same libcst node as
before; an empty range inserts statements, so it prints byte for byte as it was.  A comment that stood inside
the replaced statements and that the emitter did not put beside its code (``placed``) is kept above the new code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

import libcst as cst

from ..parse.walk import walk


@dataclass(frozen=True)
class Replacement:
    block: cst.CSTNode
    start: int
    end: int
    statements: tuple[cst.BaseStatement, ...]
    # The comments the new code of this model already holds (in any of its replacements).
    placed: tuple[str, ...] = ()


def splice(
    module: cst.Module, replacements: list[Replacement], parent: Callable[[cst.CSTNode], cst.CSTNode | None]
) -> cst.Module:
    """``module`` with the replacements made; ``parent`` gives each node's parent in ``module``."""
    return module.visit(_Splicer(_outermost(replacements), parent))


def _outermost(replacements: list[Replacement]) -> list[Replacement]:
    """The replacements but those of lines another one replaces whole: a line that makes a model of
    the file (``encoder = Encoder()``, to be built after it) that a later model's code takes in as
    its layer's line is written with that model."""
    def inside(one: Replacement, other: Replacement) -> bool:
        return (
            one is not other
            and one.block is other.block
            and other.start < other.end
            and other.start <= one.start < one.end <= other.end
            and (one.start, one.end) != (other.start, other.end)
        )

    return [one for one in replacements if not any(inside(one, other) for other in replacements)]


class _Splicer(cst.CSTTransformer):
    def __init__(self, replacements: list[Replacement], parent) -> None:
        self.by_block: dict[int, list[Replacement]] = {}
        # The ids of the blocks replaced in and of the nodes around them: only these are visited,
        # so every other statement (a function of the file with no model) stays the very node it
        # was, and what was learnt of it (parse/memo.py) is known for the output too.
        self.holding: set[int] = set()
        for replacement in replacements:
            self.by_block.setdefault(id(replacement.block), []).append(replacement)
            node = replacement.block
            while node is not None and id(node) not in self.holding:
                self.holding.add(id(node))
                node = parent(node)

    def on_visit(self, node: cst.CSTNode) -> bool:
        return id(node) in self.holding

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._body(original, updated))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated.with_changes(body=self._body(original, updated))

    def _body(self, original, updated) -> list[cst.BaseStatement]:
        body = list(updated.body)
        # From the end, so earlier indices stay valid; of two insertions at one
        # place the later goes in first, so they end up in source order.
        replacements = list(enumerate(self.by_block.get(id(original), ())))
        for _, replacement in sorted(replacements, key=lambda pair: (-pair[1].start, -pair[0])):
            replaced = original.body[replacement.start : replacement.end]
            new = list(replacement.statements)
            if new and replaced:
                lines = _kept_lines(replaced, Counter(replacement.placed))
                if isinstance(original, cst.Module) and isinstance(new[0], (cst.ClassDef, cst.FunctionDef)):
                    # A definition is set off as black would.
                    lines = _set_off_by(lines, lambda blank: max(2, blank))
                elif isinstance(original, cst.Module) and isinstance(replaced[0], (cst.ClassDef, cst.FunctionDef)):
                    # Plain statements in place of a definition: one blank line, not the two that set it
                    # off, unless a definition stands above, which black sets off by two.
                    above = original.body[replacement.start - 1] if replacement.start else None
                    most = 2 if isinstance(above, (cst.ClassDef, cst.FunctionDef)) else 1
                    lines = _set_off_by(lines, lambda blank: min(most, blank))
                new[0] = new[0].with_changes(leading_lines=(*lines, *_drop_blank(new[0].leading_lines)))
            elif new:
                # An insertion (a class hoisted to module level): set off as black would.
                blank = (cst.EmptyLine(),) * (2 if isinstance(original, cst.Module) else 1)
                new[0] = new[0].with_changes(leading_lines=blank)
            if not isinstance(original, cst.Module):
                new = [_block_spacing(statement) for statement in new]
            elif new and isinstance(new[-1], (cst.ClassDef, cst.FunctionDef)):
                body[replacement.end : replacement.end + 1] = [
                    _set_off(statement) for statement in body[replacement.end : replacement.end + 1]
                ]
            body[replacement.start : replacement.end] = new
        return body


def _set_off_by(lines, count) -> tuple[cst.EmptyLine, ...]:
    """``lines`` with ``count(blank)`` blank lines where ``blank`` stand between the code above and
    the new code.  That place is above the comments right over the new code, which black keeps with
    it, and below any comment a blank line parts from it (``# If you add more arguments...`` under
    the code it is about stays there)."""
    lines = tuple(lines)
    attached = len(lines)
    while attached and lines[attached - 1].comment is not None:
        attached -= 1
    gap = attached
    while gap and lines[gap - 1].comment is None:
        gap -= 1
    return lines[:gap] + (cst.EmptyLine(),) * count(attached - gap) + lines[attached:]


def _block_spacing(statement: cst.BaseStatement) -> cst.BaseStatement:
    """Inside a block black keeps at most one blank line, and prints it without indentation
    (emitted code was laid out for module level, with two)."""
    lines, blank = [], False
    for line in statement.leading_lines:
        if line.comment is None:
            if not blank:
                lines.append(cst.EmptyLine(indent=False))
            blank = True
        else:
            lines.append(line)
            blank = False
    return statement.with_changes(leading_lines=tuple(lines))


def _set_off(statement: cst.BaseStatement) -> cst.BaseStatement:
    """The statement after a module-level class or function: two blank lines above it, as black
    puts them (a class hoisted before ``with strategy.scope():`` was glued to it)."""
    lines = tuple(statement.leading_lines)
    blank = 0
    while blank < len(lines) and lines[blank].comment is None:
        blank += 1
    if blank >= 2:
        return statement
    return statement.with_changes(leading_lines=(cst.EmptyLine(),) * (2 - blank) + lines)


def _kept_lines(replaced, placed: Counter) -> tuple[cst.EmptyLine, ...]:
    """The blank lines and comments above the first statement, then every other comment,
    less the comments the new code holds."""
    lines = list(replaced[0].leading_lines)
    collector = _Comments()
    for index, statement in enumerate(replaced):
        target = statement.with_changes(leading_lines=()) if index == 0 else statement
        walk(target, collector)
    lines.extend(cst.EmptyLine(comment=comment) for comment in collector.comments)
    placed = Counter(map(comment_key, placed.elements()))
    kept = []
    for line in lines:
        if line.comment is not None and placed[comment_key(line.comment.value)] > 0:
            placed[comment_key(line.comment.value)] -= 1
        else:
            kept.append(line)
    return tuple(kept)


def comment_key(text: str) -> str:
    """A comment as black writes it in the new code (``#foo `` there is ``# foo``): the same
    comment as the source's, which must not be kept a second time where the old code was."""
    content = text.rstrip()[1:]
    if content[:1] == "\N{NO-BREAK SPACE}" and not content.lstrip().startswith("type:"):
        content = " " + content[1:]
    if content and content[0] not in " !:#'":
        content = " " + content
    return "#" + content


def comments_in(statements) -> tuple[str, ...]:
    """The text of every comment in ``statements``."""
    collector = _Comments()
    for statement in statements:
        walk(statement, collector)
    return tuple(comment.value for comment in collector.comments)


def _drop_blank(lines):
    """The lines from the first comment on."""
    for index, line in enumerate(lines):
        if line.comment is not None:
            return lines[index:]
    return ()


class _Comments(cst.CSTVisitor):
    def __init__(self) -> None:
        self.comments: list[cst.Comment] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.comments.append(node)
