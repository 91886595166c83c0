"""The supported-constructs page is generated from the fixtures and must be up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "constructs_matrix.py"


def test_docs_constructs_page_matches_what_kconvert_does() -> None:
    spec = importlib.util.spec_from_file_location("constructs_matrix", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PAGE.read_text() == module.render(), "run: python scripts/constructs_matrix.py"
