"""The safety check's normal form of an argument: the texts it answers without black are
exactly those black would print unchanged."""

from __future__ import annotations

import importlib

import black
import pytest

normal_form = importlib.import_module("kconvert.ir.normal_form")


def _black(text: str) -> str:
    try:
        return black.format_str(f"({text})", mode=black.Mode(line_length=10_000, magic_trailing_comma=False)).strip()
    except black.InvalidInput:
        return text


@pytest.mark.parametrize(
    "text",
    ["64", "0", "units", "layers.Dense", "_x9.Y_", "True", "None", "lambda", "a.if", "match", "type",
     "007", "1_000", "0x1f", "1E3", "x .y", "'relu'", "x+1", "[ 1,2 ]"],
)
def test_normal_form_is_blacks(text):
    normal_form.normal_text.cache_clear()
    assert normal_form.normal_text(text) == _black(text)
