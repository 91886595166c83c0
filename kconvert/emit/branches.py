"""Writing an ``if``'s ``else`` branch the way the source would: ``elif`` when it is one ``if``."""

from __future__ import annotations

from ..ir.control import Cond
from ..ir.nodes import Node


def else_lines(lines: list[str], copies: list[str], orelse: tuple[Node, ...], indent: str) -> list[str]:
    """``else:`` and the branch's ``lines`` and ``copies`` (written one level deeper); an
    ``else`` that is only an ``if`` (no copy before or after it) becomes ``elif``, as a person
    writes it."""
    lines = [f"{indent}else:", *lines, *copies]
    heads = [index for index, line in enumerate(lines[1:], 1) if not line.strip().startswith("#")]
    alone = len(orelse) == 1 and isinstance(orelse[0], Cond) and not copies
    if not alone or not lines[heads[0]].startswith(f"{indent}    if "):
        return lines
    inner = [line[4:] if line.startswith(indent + "    ") else line for line in lines[1:]]
    inner[heads[0] - 1] = f"{indent}elif {inner[heads[0] - 1][len(indent) + 3:]}"
    return inner
