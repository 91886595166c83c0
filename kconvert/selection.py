"""``--model NAME[:LINE]``: which of a file's models a command works on.

A name picks every model bound to it, or defined with it (a builder, a class).
Tutorials and notebooks bind one name to many models (``model = ...`` each
time), so a line picks one of them: the last model of that name that starts at
or above it, with the line as diagnostics give it (``nb.ipynb:cell 5:line 3``
is ``--model model:5:3``, a cell and a line in it).  Conversions and the
verifier work on a notebook's cells joined into one module; ``in_module``
turns a cell and line into that module's line first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence, TypeVar

if TYPE_CHECKING:
    from .notebook import Notebook


@dataclass(frozen=True)
class Selector:
    name: str
    line: int | None = None
    cell: int | None = None  # a notebook's cell, numbered as diagnostics number it


def parse_selector(text: str) -> Selector | None:
    """The selector ``text`` spells, or None when it is not one (a usage error)."""
    name, *where = text.split(":")
    if not name or len(where) > 2 or not all(part.strip().isdigit() and int(part) > 0 for part in where):
        return None
    numbers = [int(part) for part in where]
    if len(numbers) == 2:
        return Selector(name, numbers[1], numbers[0])
    return Selector(name, numbers[0] if numbers else None)


def selector_of(text: str) -> Selector:
    """What ``text`` selects; a text that is no selector (checked at the command line) is a name."""
    return parse_selector(text) or Selector(text)


def in_module(text: str | None, notebook: Notebook | None) -> str | None:
    """``--model``'s value with a notebook's cell and line made a line of the joined module."""
    selector = parse_selector(text) if text is not None else None
    if selector is None or selector.cell is None or notebook is None:
        return text
    position = next((p for p, index in enumerate(notebook.code_cells) if index + 1 == selector.cell), None)
    if position is None:
        return text
    return f"{selector.name}:{notebook.starts[position] + selector.line}"


Site = TypeVar("Site")


def pick(text: str, sites: Sequence[Site], key) -> list[Site]:
    """The sites ``text`` selects; ``key(site)`` gives its names (name, scope) and first line."""
    selector = selector_of(text)
    if selector.cell is not None:
        return []  # a cell and a line, in a file that has no cells
    named = [site for site in sites if selector.name in key(site)[0]]
    if selector.line is None:
        return named
    above = [site for site in named if key(site)[1] <= selector.line]
    return above[-1:]


def describe(text: str) -> str:
    """What ``text`` asks for, in words: "named `model`", "named `model` at or above line 3"."""
    selector = selector_of(text)
    if selector.line is None:
        return f"named `{selector.name}`"
    where = f"cell {selector.cell}, line {selector.line}" if selector.cell is not None else f"line {selector.line}"
    return f"named `{selector.name}` at or above {where}"
