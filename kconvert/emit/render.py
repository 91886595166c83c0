"""Formatting emitted code with black, and printing IR code for the emitters."""

from __future__ import annotations

import black

from ..ir.code import render, render_args

__all__ = ["format_block", "render", "render_args"]


def format_block(code: str, indent: int, magic_trailing_comma: bool = True) -> str:
    """Black-formatted ``code``, for a block indented by ``indent`` columns.

    ``magic_trailing_comma=False`` for code whose layout nothing the user wrote
    decides: ``Input(shape=(32,32,3,))`` then stays on one line.
    """
    mode = black.Mode(
        line_length=max(40, black.DEFAULT_LINE_LENGTH - indent), magic_trailing_comma=magic_trailing_comma
    )
    return black.format_str(code, mode=mode)
