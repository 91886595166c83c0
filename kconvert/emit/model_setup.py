"""What a model class did to its model once made (``self.compile(...)``), written for a model
that is not a class.

A Functional or Sequential model has no constructor to run it in, so the statements go
right after the line that makes the model, with ``self`` spelled as that model's name
(``model.compile(...)``), before the builder function returns it.
"""

from __future__ import annotations

import libcst as cst

from ..ir.graph import Graph
from .string_lines import code_lines


def setup_lines(graph: Graph, model: str) -> list[str]:
    """The graph's ``setup`` statements with ``self`` read as ``model``."""
    lines: list[str] = []
    for setup in graph.setup:
        code = cst.parse_module(setup.code + "\n").visit(_SelfAs(model)).code
        lines += code_lines(code.rstrip("\n"))
    return lines


class _SelfAs(cst.CSTTransformer):
    def __init__(self, model: str) -> None:
        self.model = model

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.model) if original.value == "self" else updated
