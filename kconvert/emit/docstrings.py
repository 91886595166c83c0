"""A model's docstrings where each style says them.  A class says its own above its methods, and
its ``__init__``'s and ``call``'s in those methods; a style without the method says that method's
in what does its work (a graph-building class's ``__init__`` runs what ``call()`` did), and a
builder function, which is the class, its constructor and its forward pass at once, says them all
in one docstring, a paragraph each, in that order."""

from __future__ import annotations

import inspect
import re

# A plain string literal: its prefix, its quotes, and what is between them.
_LITERAL = re.compile(r'([rRuU]?)("""|\'\'\'|"|\')(.*)\2', re.DOTALL)


def joined(*docs: str | None) -> str | None:
    """One docstring saying each of ``docs`` that there is, in turn.  Literals that cannot be one
    (an f-string, a mix of raw and plain, text that holds ``\"\"\"``) stay apart, each a statement
    of its own after the first, which is the docstring."""
    present = [doc for doc in docs if doc is not None]
    if len(present) < 2:
        return present[0] if present else None
    parts = [_LITERAL.fullmatch(doc) for doc in present]
    prefixes = {part.group(1).lower() if part else None for part in parts}
    if None in prefixes or len(prefixes) > 1 or any(_unsafe(part.group(3)) for part in parts):
        return "\n".join(present)
    text = "\n\n".join(inspect.cleandoc(part.group(3)) for part in parts)
    return f'{parts[0].group(1)}"""{text}\n"""'


def _unsafe(text: str) -> bool:
    """Whether ``text`` cannot stand between triple double quotes as it is."""
    return '"""' in text or text.endswith(("\\", '"'))


def doc_lines(doc: str | None) -> list[str]:
    """The lines of a docstring statement (none if there is no docstring)."""
    return doc.splitlines() if doc is not None else []
