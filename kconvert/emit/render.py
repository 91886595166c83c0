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

__all__ = ["Layout", "format_block", "render", "render_args", "render_statement"]


@dataclass(frozen=True)
class Layout:
    """black's settings for a file: ``line-length`` and ``skip-magic-trailing-comma``."""

    line_length: int = black.DEFAULT_LINE_LENGTH
    magic_trailing_comma: bool = True


def format_block(code: str, indent: int, layout: Layout = Layout()) -> str:
    """Black-formatted ``code``, for a block indented by ``indent`` columns."""
    mode = black.Mode(
        line_length=max(40, layout.line_length - indent), magic_trailing_comma=layout.magic_trailing_comma
    )
    return black.format_str(_without_inline_commas(code), mode=mode)


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
