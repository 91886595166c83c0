"""The text of a slice: the kept statements in place, every other line blank, given
values in place of the bindings they replace, and pretrained weights left unloaded."""

from __future__ import annotations

from typing import Mapping

from .closure import Closure
from .pretrained import unload
from .source import SourceIndex, Statement


def blank_all_but(
    index: SourceIndex, work: Closure, given: Mapping[str, str]
) -> tuple[str, tuple[int, ...]]:
    """The slice's text, and the lines whose pretrained weights it leaves unloaded."""
    kept, replaced = work.kept | work.partial.keys(), work.replaced
    lines = index.text.splitlines(keepends=True)
    keep_line = [False] * len(lines)
    for i in kept | replaced:
        stmt = index.statements[i]
        for line in range(stmt.first_line - 1, stmt.last_line):
            keep_line[line] = i in kept
        if stmt.main_guard_line is not None:
            keep_line[stmt.main_guard_line - 1] = True
    for i, names in work.partial.items():
        _drop_parts(lines, keep_line, index.statements[i], names)
    for i in replaced:
        stmt = index.statements[i]
        first = lines[stmt.first_line - 1]
        indent = first[: len(first) - len(first.lstrip())]
        names = sorted(stmt.binds & given.keys())
        lines[stmt.first_line - 1] = (
            indent + "; ".join(f"{n} = ({given[n]})" for n in names) + "\n"
        )
        keep_line[stmt.first_line - 1] = True
    unloaded = unload(index, kept, lines)
    text = "".join(line if keep else "\n" for line, keep in zip(lines, keep_line))
    return text, unloaded


def _drop_parts(
    lines: list[str], keep_line: list[bool], stmt: Statement, names: set[str]
) -> None:
    """Blank the statements of an ``if`` that ``names`` do not need; ``pass`` in an emptied branch."""
    assert stmt.parts is not None
    flags, _ = stmt.parts.needed(names)
    for branch, keep in zip(stmt.parts.branches, flags):
        for part, needed in zip(branch, keep):
            if not needed:
                for line in range(part.first_line - 1, part.last_line):
                    keep_line[line] = False
        if not any(keep):
            first = lines[branch[0].first_line - 1]
            lines[branch[0].first_line - 1] = (
                first[: len(first) - len(first.lstrip())] + "pass\n"
            )
            keep_line[branch[0].first_line - 1] = True
