"""Formatting emitted code with black, and printing IR code for the emitters.

Emitted code is laid out with the file's own black settings (``Layout``).  A
trailing comma the source wrote before a closing bracket on the same line
(``shape=(32,32,3,)``) is dropped first: black would take it for a *magic*
trailing comma and spread the call over one line per element, a layout nobody
asked for.  A comma followed by a line break is the source's wish to keep its
elements one a line, and stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import black
import libcst as cst

from ..ir.code import render, render_args, render_statement
from .string_lines import unmarked

__all__ = ["Layout", "format_block", "format_parts", "render", "render_args", "render_statement"]


@dataclass(frozen=True)
class Layout:
    """black's settings for a file: ``line-length`` and ``skip-magic-trailing-comma``."""

    line_length: int = black.DEFAULT_LINE_LENGTH
    magic_trailing_comma: bool = True


def format_block(code: str, indent: int, layout: Layout = Layout()) -> str:
    """Black-formatted ``code``, for a block indented by ``indent`` columns.  A comment beside a
    statement too long to keep it on its line goes above the statement instead: black would
    split the call only to leave the comment after its closing bracket (``)(\n    x\n)  # ...``)."""
    mode = black.Mode(
        line_length=max(40, layout.line_length - indent), magic_trailing_comma=layout.magic_trailing_comma,
        string_normalization=False,
    )
    # The blank lines are dropped before the marks go: a blank line inside a string is marked.
    code = unmarked(_OPENING_BLANKS.sub(r"\1", code))
    formatted = black.format_str(_without_inline_commas(code), mode=mode)
    lifted = _comments_above_split_statements(formatted)
    return formatted if lifted == formatted else black.format_str(lifted, mode=mode)


# Blank lines right after a line that opens a block (``def call(...):``), or at the start: a stage
# keeps the blank line above it, or above its title comment (emit/comments.py), but not as a
# block's first line.
_OPENING_BLANKS = re.compile(r"(\A|^[^#\n]*:[ \t]*\n)(?:[ \t]*\n)+", re.MULTILINE)


def format_parts(parts: list[tuple[list[str], int]], layout: Layout = Layout()) -> str:
    """Black-formatted top-level parts of one piece of code, each laid out for its own depth
    (a class hoisted to module level, the line making its instance inside a method), set off
    from each other by two blank lines as black sets off definitions."""
    return "\n\n".join(format_block("\n".join(lines) + "\n", indent, layout) for lines, indent in parts if lines)


# A line black made of a closing bracket alone, followed by the comment that was beside the statement.
_CLOSER_COMMENT = re.compile(r"^(\s*)([)\]}][^#'\"]*?)  (#.*)$")

_PRAGMA = re.compile(r"#\s*(type:|noqa|pragma|fmt:|pylint:|nosec)")


def _comments_above_split_statements(code: str) -> str:
    lines = code.split("\n")
    # From the bottom up, so that a comment put above a statement moves no line still to be read.
    for index in reversed(range(len(lines))):
        found = _CLOSER_COMMENT.match(lines[index])
        # A tool's pragma (``# noqa``, ``# type: ignore``) means its line: it stays there.
        if found is None or _PRAGMA.match(found.group(3)):
            continue
        indent = found.group(1)
        start = index - 1
        # The statement's first line is the nearest one above at its indentation that does not
        # close a bracket (``)(`` continues it).
        while start > 0 and not (_indent_of(lines[start]) == indent and lines[start].strip()[:1] not in ")]}"):
            start -= 1
        if start < 0 or _indent_of(lines[start]) != indent:
            continue
        lines[index] = indent + found.group(2)
        lines.insert(start, indent + found.group(3))
    return "\n".join(lines)


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _without_inline_commas(code: str) -> str:
    compact = code.replace(" ", "")
    if not any(closing in compact for closing in (",)", ",]", ",}")):
        return code
    return cst.parse_module(code).visit(_InlineCommas()).code


class _InlineCommas(cst.CSTTransformer):
    """Drops a trailing comma that the closing bracket follows on the same line."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        return updated.with_changes(args=_last_without_comma(original, updated.args))

    def leave_List(self, original: cst.List, updated: cst.List) -> cst.List:
        return updated.with_changes(elements=_last_without_comma(original, updated.elements))

    def leave_Set(self, original: cst.Set, updated: cst.Set) -> cst.Set:
        return updated.with_changes(elements=_last_without_comma(original, updated.elements))

    def leave_Dict(self, original: cst.Dict, updated: cst.Dict) -> cst.Dict:
        return updated.with_changes(elements=_last_without_comma(original, updated.elements))

    def leave_Tuple(self, original: cst.Tuple, updated: cst.Tuple) -> cst.Tuple:
        # ``(3,)`` is a tuple by its comma alone.
        if len(updated.elements) < 2:
            return updated
        return updated.with_changes(elements=_last_without_comma(original, updated.elements))


# The last comma of a bracket and what stands between it and the closing bracket.
_TRAILING = re.compile(r",([^,]*?)[)\]}]$")


def _last_without_comma(original: cst.CSTNode, items):
    if not items or not isinstance(items[-1].comma, cst.Comma):
        return items
    tail = _TRAILING.search(cst.Module([]).code_for_node(original))
    if tail is None or "\n" in tail.group(1):
        return items
    return (*items[:-1], items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT))
