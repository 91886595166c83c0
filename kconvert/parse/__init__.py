"""Source → IR: find every model in a Python file and lift it into a layer graph.

``find_models`` is the entry point; it never imports TensorFlow and never runs
the file.
"""

from __future__ import annotations

from ..types import Diagnostic, Options
from .finder import find_sites
from ..deep import on_deep_stack
from .sites import ModelInfo, ModelSite
from .source import SourceFile
from .syntax import BOM

__all__ = ["ModelInfo", "ModelSite", "SourceFile", "find_models", "find_sites", "parse_source"]


def parse_source(text: str) -> SourceFile | Diagnostic:
    return SourceFile.parse(text)


@on_deep_stack
def find_models(text: str, options: Options | None = None) -> list[ModelInfo] | Diagnostic:
    """The models a file defines, each with its IR graph or the reason it has none."""
    src = SourceFile.parse(text.removeprefix(BOM))
    if isinstance(src, Diagnostic):
        return src
    return [site.info for site in find_sites(src, options or Options())]
