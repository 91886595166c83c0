"""Formatting emitted code with black, and printing IR code for the emitters."""

from __future__ import annotations

import black

from ..ir.code import render, render_args

__all__ = ["format_block", "render", "render_args"]


def format_block(code: str, indent: int) -> str:
    """Black-formatted ``code``, for a block indented by ``indent`` columns."""
    mode = black.Mode(line_length=max(40, black.DEFAULT_LINE_LENGTH - indent))
    return black.format_str(code, mode=mode)
