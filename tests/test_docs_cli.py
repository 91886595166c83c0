"""The CLI page of the docs shows real defaults, not click's `Sentinel.UNSET`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kconvert.cli import main

HOOK = Path(__file__).resolve().parent.parent / "docs" / "hooks" / "cli_defaults.py"


def test_cli_page_defaults_are_readable():
    docs = pytest.importorskip("mkdocs_click._docs")
    markdown = pytest.importorskip("markdown")
    spec = importlib.util.spec_from_file_location("cli_defaults", HOOK)
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    page = "\n".join(docs.make_command_docs("kconvert", main, depth=1, style="table", list_subcommands=True))
    html = hook.on_page_content(markdown.markdown(page, extensions=["tables"]))
    assert "Sentinel" not in html
    assert "<td>Convert models that are not in the house style, rewriting files atomically.</td>\n<td><code>False</code></td>" in html
    assert "when several share the name (in a notebook NAME:CELL:LINE).</td>\n<td>None</td>" in html
