"""Where a module's top-level statements are, found from the text alone.

A conversion of a large file needs libcst only for the statements that can
matter (slicing.py); finding the others must cost far less than libcst's parse.
This scanner follows CPython's tokenizer as far as statement boundaries go:
strings (any prefix, triple-quoted, with escapes), comments, brackets and
backslash continuations; a statement starts on a logical line at column 0
(form feeds reset the column, tabs go to the next multiple of 8) that is not
an ``else``/``elif``/``except``/``finally`` clause or the def a decorator is for.
Lines are counted as libcst counts them (``\\r\\n``, ``\\r`` or ``\\n``).
It reads only text CPython has compiled; when anything is off (a string that
does not end) it gives up (None) rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"'''|\"\"\"|'|\"|#|[()\[\]{}]|\\(?:\r\n|\r|\n)|\r\n|\r|\n")
_STRING_END = {
    quote: re.compile(r"\\(?:\r\n|.)|" + ("\r|\n|" if len(quote) == 1 else "") + re.escape(quote), re.S)
    for quote in ("'''", '"""', "'", '"')
}
_LINE_END = re.compile(r"\r\n|\r|\n")
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_OPEN, _CLOSE = "([{", ")]}"


@dataclass(frozen=True)
class Statement:
    """A top-level statement's code: ``text[start:end]``, from its first line's start to the end
    of its last code line (its newline included); ``line`` is 1-based.  ``clean``: only blank
    lines and column-0 comments follow it before the next statement, so libcst gives all of
    them to the next statement (an indented comment after a block is the block's own)."""

    start: int
    end: int
    line: int
    lines: int
    clean: bool


def top_level_statements(text: str) -> list[Statement] | None:
    """The module's top-level statements in order, or None when the scan cannot be trusted."""
    starts: list[tuple[int, int]] = []  # (offset, line) of each statement's first line
    code_ends: list[tuple[int, int, bool]] = []  # (offset, line, indented comment?) after each code line
    depth, pos, line, length = 0, 0, 1, len(text)
    line_start, kind, decorated = 0, "blank", False
    while True:
        if pos == line_start:
            kind = _line_kind(text, pos)
            if kind == "odd":
                return None
            if kind == "code":
                if not (decorated or _CLAUSE.match(text, pos)):
                    starts.append((pos, line))
                decorated = text[pos] == "@"
        found = _TOKEN.search(text, pos)
        if found is None:
            if depth:
                return None
            if kind not in ("blank", "comment"):
                code_ends.append((length, line, kind == "comment-indented"))
            break
        token, pos = found.group(), found.end()
        if token in ("'''", '"""', "'", '"'):
            end = _string_end(text, pos, token)
            if end is None:
                return None
            line += len(_LINE_END.findall(text, pos, end))
            pos = end
        elif token == "#":
            newline = _LINE_END.search(text, pos)
            pos = newline.start() if newline else length
        elif token in _OPEN:
            depth += 1
        elif token in _CLOSE:
            depth -= 1
            if depth < 0:
                return None
        elif token[0] == "\\":
            line += 1
        else:
            line += 1
            if depth == 0:
                if kind not in ("blank", "comment"):
                    code_ends.append((pos, line - 1, kind == "comment-indented"))
                line_start = pos
    return _statements(starts, code_ends, text)


def _line_kind(text: str, pos: int) -> str:
    """What the line at ``pos`` starts with: code at column 0, ``indented`` code, a comment
    (``comment-indented`` or ``comment``), ``blank``, or ``odd`` (column 0 only after a form feed)."""
    column, index, fed = 0, pos, False
    while index < len(text) and text[index] in " \t\f":
        char = text[index]
        column = 0 if char == "\f" else (column // 8 + 1) * 8 if char == "\t" else column + 1
        fed = fed or char == "\f"
        index += 1
    if index == len(text) or text[index] in "\r\n":
        return "blank"
    if text[index] == "#":
        return "comment-indented" if index > pos else "comment"
    if column == 0 and index > pos:
        return "odd"
    return "code" if index == pos else "indented"


def _string_end(text: str, pos: int, quote: str) -> int | None:
    pattern = _STRING_END[quote]
    while True:
        found = pattern.search(text, pos)
        if found is None:
            return None
        token = found.group()
        if token == quote:
            return found.end()
        if token in ("\r", "\n"):
            return None
        pos = found.end()


def _statements(starts, code_ends, text: str) -> list[Statement] | None:
    """Each statement runs to the end of the last code line before the next statement starts."""
    statements: list[Statement] = []
    ends = iter(code_ends)
    pending = next(ends, None)
    for index, (start, line) in enumerate(starts):
        limit = starts[index + 1][0] if index + 1 < len(starts) else len(text) + 1
        last = None
        while pending is not None and pending[0] <= limit:
            last = pending
            pending = next(ends, None)
        if last is None or last[0] <= start:
            return None
        statements.append(Statement(start, last[0], line, last[1] - line + 1, not last[2]))
    return statements
