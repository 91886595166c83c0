"""Printing IR ``Code`` with its tensors named.

Placeholders are replaced on the libcst tree of the expression (never by text
search), so a name that merely contains a placeholder is left alone.
"""

from __future__ import annotations

from typing import Mapping

import libcst as cst

from .graph import Arg, Code


class _Rename(cst.CSTTransformer):
    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        new = self.names.get(original.value)
        return updated.with_changes(value=new) if new is not None else updated


def render(code: Code, names: Mapping[str, str]) -> str:
    """``code`` with each placeholder replaced by the name of its tensor."""
    if not code.refs:
        return code.text
    renames = {placeholder: names[value] for placeholder, value in code.refs}
    tree = cst.parse_expression(code.text)
    return cst.Module([]).code_for_node(tree.visit(_Rename(renames)))


def render_args(args: tuple[Arg, ...], names: Mapping[str, str]) -> str:
    parts = []
    for arg in args:
        prefix = f"{arg.keyword}=" if arg.keyword else arg.star
        parts.append(prefix + render(arg.value, names))
    return ", ".join(parts)
