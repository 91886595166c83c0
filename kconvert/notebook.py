"""Jupyter notebooks as one Python module, and back.

The code cells, in order, are joined into one module, each preceded by a marker
comment with a token that occurs nowhere else, so a model built over several
cells is seen whole.  IPython syntax (``%matplotlib inline``, ``!pip install``,
``x = !ls``, ``%%bash`` cells) is not Python: each such line is masked as
``pass  # kconvert-magic TOKEN N`` — valid Python that is harmless when the
verifier runs the module — and restored byte for byte afterwards, whether the
``pass`` survived or only its comment did (a conversion keeps the comments of
the statements it replaces).  Splitting the converted module at the markers
gives each cell's new source; the JSON is written by nbformat, and only when a
cell changed, so outputs, metadata and every other cell stay as they were.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from typing import Any

from .types import Diagnostic

# A line IPython reads as a magic (``%name``, ``%%name``), a shell escape (``!``
# but not ``!=``), help (``?name``), or an assignment of a magic or an escape.
# ``% b`` or ``!= b`` starting a line inside brackets is Python, and stays.
# Cell magics whose cell is Python all the same (IPython times, profiles or captures it).
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
_MAGIC = re.compile(r"^\s*(%%?\w|!(?!=)|\?+\w|[\w.]+\s*=\s*(%\w|!(?!=)))")
# ``from __future__ import print_function`` opening a later cell: Jupyter compiles each cell
# alone, so it stands at the beginning of its code there, but not in the module the cells are
# joined into.  Python 3 has every feature it can name but ``annotations`` always on: the line
# changes nothing, and is masked like a magic.
_ALWAYS_ON = r"(nested_scopes|generators|division|absolute_import|with_statement|print_function|unicode_literals|generator_stop)"
_FUTURE = re.compile(rf"^from\s+__future__\s+import\s+{_ALWAYS_ON}(\s*,\s*{_ALWAYS_ON})*\s*(#.*)?$")


@dataclass(frozen=True)
class Notebook:
    """A notebook read for conversion; ``text`` is the module kconvert works on."""

    node: Any  # nbformat.NotebookNode, kept whole for writing back
    code_cells: tuple[int, ...]  # index in ``node.cells`` of each code cell, in order
    text: str
    token: str
    magics: dict[int, str]  # mask number -> the original line, without its newline
    starts: tuple[int, ...]  # line of each code cell's marker in ``text`` (1-based)

    def marker(self, position: int) -> str:
        return _marker(self.token, position)


# How each cell's marker comment starts.
CELL_MARKER = "# kconvert-cell "


def _marker(token: str, position: int) -> str:
    return f"{CELL_MARKER}{token} {position}"


def read_notebook(content: str, path: str) -> Notebook | Diagnostic:
    import nbformat  # imported only when a notebook is read

    try:
        node = nbformat.reads(content, as_version=nbformat.NO_CONVERT)
    except Exception as error:  # noqa: BLE001 - nbformat raises JSON, schema and version errors alike
        return Diagnostic(1, 1, f"not a readable Jupyter notebook: {error}", "open and save it in Jupyter", path)
    if node.get("nbformat", 0) < 4:
        return Diagnostic(1, 1, "notebook format 3 or older", "open and save it in a current Jupyter", path)
    language = node.metadata.get("kernelspec", {}).get("language", "python")
    code_cells = tuple(index for index, cell in enumerate(node.cells) if cell.cell_type == "code")
    if language != "python":
        code_cells = ()  # an R or Julia notebook has no Keras model to convert
    token = secrets.token_hex(4)
    magics: dict[int, str] = {}
    parts: list[str] = []
    starts: list[int] = []
    line = 1
    for position, index in enumerate(code_cells):
        source = _mask(node.cells[index].source, token, magics, later=position > 0)
        if source and not source.endswith("\n"):
            source += "\n"
        starts.append(line)
        parts.append(_marker(token, position) + "\n" + source)
        line += 1 + source.count("\n")
    return Notebook(node, code_cells, "".join(parts), token, magics, tuple(starts))


def _mask(source: str, token: str, magics: dict[int, str], later: bool = False) -> str:
    lines = source.split("\n")
    opening = later  # still among a later cell's first lines, before its first statement
    # A cell magic makes the cell another language, except those that run the cell as Python.
    magic = re.match(r"\s*%%(\w+)", source)
    whole_cell = magic is not None and magic.group(1) not in PYTHON_CELL_MAGICS
    masked: list[str] = []
    continued = False
    for line in lines:
        future = opening and _FUTURE.match(line) is not None
        opening = opening and (future or not line.strip() or line.lstrip().startswith("#"))
        if whole_cell or continued or future or _MAGIC.match(line):
            if not line.strip() and not continued:  # a blank line is Python already
                masked.append(line)
                continue
            number = len(magics)
            magics[number] = line
            indent = "" if whole_cell or continued else line[: len(line) - len(line.lstrip())]
            # A comment suffices at the top level, and keeps a cell of magics free of
            # statements, so imports a conversion adds go next to the file's own;
            # in a block, a statement is needed where the magic stood.
            statement = "pass  " if indent else ""
            masked.append(f"{indent}{statement}# kconvert-magic {token} {number}")
            continued = line.endswith("\\")
        else:
            masked.append(line)
    return "\n".join(masked)


def locate(notebook: Notebook, diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic with its line counted in its cell, and the cell's number."""
    position = max((p for p, start in enumerate(notebook.starts) if start <= diagnostic.line), default=None)
    if position is None:
        return diagnostic
    line = max(1, diagnostic.line - notebook.starts[position])
    cell = notebook.code_cells[position] + 1
    return replace(diagnostic, line=line, cell=cell)


def cell_sources(notebook: Notebook, new_text: str) -> dict[int, str] | Diagnostic:
    """The new source of each code cell (by index in the notebook) after a conversion."""
    restore = re.compile(rf"^[ \t]*(?:pass  )?# kconvert-magic {notebook.token} (\d+)$", re.MULTILINE)
    text = restore.sub(lambda match: notebook.magics[int(match.group(1))], new_text)
    sources: dict[int, str] = {}
    rest, prefix = text, ""
    for position, index in enumerate(notebook.code_cells):
        marker = notebook.marker(position) + "\n"
        before, found, rest = rest.partition(marker)
        if not found:
            return Diagnostic(1, 1, "the conversion moved code across notebook cells", "please report this notebook")
        if position:
            sources[notebook.code_cells[position - 1]] = _as_cell(notebook, position - 1, prefix + before)
            prefix = ""
        else:
            # Imports a conversion adds at the very top belong to the first cell.
            prefix = before
    if notebook.code_cells:
        sources[notebook.code_cells[-1]] = _as_cell(notebook, len(notebook.code_cells) - 1, prefix + rest)
    return sources


def _as_cell(notebook: Notebook, position: int, text: str) -> str:
    original = notebook.node.cells[notebook.code_cells[position]].source
    # A cell ends as it did: the join ended every cell with a newline, and the blank
    # lines black puts before a class go above the next cell's marker, at this cell's end.
    body = text.rstrip("\n")
    return body + original[len(original.rstrip("\n")) :] if body else ""


def write_notebook(notebook: Notebook, sources: dict[int, str], original: str) -> str:
    """The notebook's new JSON; ``original`` itself when no cell changed."""
    if all(notebook.node.cells[index].source == source for index, source in sources.items()):
        return original
    import copy

    import nbformat

    node = copy.deepcopy(notebook.node)
    for index, source in sources.items():
        node.cells[index].source = source
    text = nbformat.writes(node)
    return text if text.endswith("\n") else text + "\n"
