"""A file as kconvert sees it: the Python text to work on, and how results map back.

A ``.py`` file is its own text.  A notebook (``.ipynb``) is the module its code
cells make (``notebook.py``): diagnostics are moved to their cell and line,
a new module becomes new JSON with only the changed cells replaced, and a diff
compares cell sources, not JSON.  Every command goes through ``Document`` so
that none of them needs to know which kind of file it has.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .files import read_text
from .notebook import Notebook, cell_sources, locate, read_notebook, write_notebook
from .types import Diagnostic


@dataclass(frozen=True)
class Document:
    path: str
    content: str  # the file's own text (JSON for a notebook)
    text: str  # the Python module kconvert reads
    notebook: Notebook | None = None

    def locate(self, diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
        """The diagnostics, labelled with this file (and cell) — they may come from anywhere."""
        placed = tuple(diagnostic.at(self.path) for diagnostic in diagnostics)
        if self.notebook is None:
            return placed
        return tuple(locate(self.notebook, diagnostic) for diagnostic in placed)

    def where(self, line: int) -> str:
        """A line of ``text`` as people find it: ``line 4``, or ``cell 3, line 2`` in a notebook."""
        place = self.locate((Diagnostic(line, 1, ""),))[0]
        return f"line {place.line}" if place.cell is None else f"cell {place.cell}, line {place.line}"

    def new_content(self, new_text: str) -> str | Diagnostic:
        """The file's content after its module became ``new_text``."""
        if self.notebook is None or new_text == self.text:
            return new_text if self.notebook is None else self.content
        sources = cell_sources(self.notebook, new_text)
        if isinstance(sources, Diagnostic):
            return sources.at(self.path)
        return write_notebook(self.notebook, sources, self.content)

    def diff(self, new_text: str) -> str:
        """A unified diff of the change: of the file, or of each changed cell."""
        if self.notebook is None:
            return _unified(self.text, new_text, self.path, self.path)
        sources = cell_sources(self.notebook, new_text)
        if isinstance(sources, Diagnostic):
            return ""
        cells = self.notebook.node.cells
        return "".join(
            _unified(cells[index].source, source, f"{self.path}:cell {index + 1}", f"{self.path}:cell {index + 1}")
            for index, source in sources.items()
            if source != cells[index].source
        )


def _unified(old: str, new: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), before, after)
    # A cell's last line often has no newline; the diff must still end each line.
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def is_notebook(path: str) -> bool:
    return path.endswith(".ipynb")


def from_text(content: str, path: str) -> Document | Diagnostic:
    """A document for ``content`` read elsewhere (standard input, named by --stdin-filename)."""
    if not is_notebook(path):
        return Document(path, content, content)
    notebook = read_notebook(content, path)
    if isinstance(notebook, Diagnostic):
        return notebook
    return Document(path, content, notebook.text, notebook)


def read_document(path: Path | str) -> Document | Diagnostic:
    content = read_text(Path(path))
    if isinstance(content, Diagnostic):
        return content.at(str(path))
    return from_text(content, str(path))
