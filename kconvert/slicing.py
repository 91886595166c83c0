"""Only the statements that can matter go to libcst; the others come back verbatim.

A large file is mostly code a conversion never reads: libcst's parse and scope
analysis of it (and of the output) is what made a conversion cost 34 s and
600 MB per MB.  A top-level statement is *opaque* when no word of its text
(names, attributes, strings and comments alike) is a word of a relevant one;
the relevant statements are the first, every import, every statement with a
Keras word or one of Python's ways of reaching names without writing them
(``globals``, ``exec``, ``__dict__``, ...), and, transitively, every statement
that shares a word with a relevant one.  A name is a word, so an opaque statement
can neither read nor bind a name a relevant one reads or binds.

Each run of opaque statements is replaced by a marker: a string statement with
as many lines as the run, so every line and column after it, in the diagnostics
and in the output, is the original file's.  The marker keeps the blank lines and
comments above the run, and the run ends before those of the next statement, as
libcst would give them.  After the conversion each marker is replaced by its run.

The result is kept only when this cannot have changed it; otherwise the whole
text is converted as before (``None``): a marker among a model's statements
(they are rewritten with the model), a marker missing, moved or repeated in the
output, a diagnostic that quotes one, or a name the new code takes that an
opaque statement mentions (fresh names are chosen against the whole file; the
opaque statements' names are hidden from that choice).
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

import libcst as cst

from .parse.statements import Statement, top_level_statements
from .parse.syntax import compiles_in_parts
from .types import ConversionResult, Converted, Refused

# Words that make a statement relevant by themselves: Keras' own names and the
# names the emitters write, and the ways to reach a name without writing it.
SEEDS = frozenset(
    {
        "keras", "tf", "tensorflow", "Model", "Sequential", "Input", "Layer", "layers", "models",
        "saving", "ops", "import", "global", "nonlocal", "exec", "eval", "compile", "globals",
        "locals", "vars", "__dict__", "__import__", "__builtins__", "getattr", "setattr", "delattr",
        "sys", "importlib", "__name__", "__all__", "__getattr__", "__module__",
    }
)
# Less hidden than this is not worth the scan and the second compile, nor a conversion of the
# whole text after all when a cut statement stands among a model's.
MIN_HIDDEN = 64 * 1024
# Keywords are not names; a relevant statement's ``def`` or ``return`` links nothing.
_NOT_NAMES = frozenset(keyword.kwlist) - SEEDS
_WORD = re.compile(r"\w+")
_STAR = re.compile(r"import\s*\(?\s*\*")


@dataclass(frozen=True)
class Sliced:
    """The text libcst sees and what it stands for."""

    text: str
    prefix: str  # every marker starts with ``"""`` and this
    runs: tuple[tuple[str, str], ...]  # (marker, the original text it replaces), in order
    hidden: frozenset[str]  # the words of the replaced text


def sliced(text: str) -> Sliced | None:
    """``text`` with its opaque statements replaced by markers, or None when they are less than
    ``MIN_HIDDEN`` (or the file cannot be cut safely: a star import binds names no word shows)."""
    if _STAR.search(text):
        return None
    statements = top_level_statements(text)
    if statements is None or len(statements) < 2:
        return None
    words = [_words(text[statement.start : statement.end]) for statement in statements]
    relevant = _relevant(words)
    runs = _runs(statements, relevant, text)
    if not runs or sum(end - start for start, end, _ in runs) < MIN_HIDDEN:
        return None
    if not compiles_in_parts(text, [statement.start for statement in statements]):
        # A syntax error's diagnostic comes from the whole file's check, as before.
        return None
    nonce = 0
    while f"kconvert-opaque-{nonce}-" in text:
        nonce += 1
    prefix = f"kconvert-opaque-{nonce}-"
    pieces, pairs, hidden, at = [], [], set(), 0
    for number, (start, end, lines) in enumerate(runs):
        original = text[start:end]
        newline = "\r\n" if original.endswith("\r\n") else original[-1]
        marker = f'"""{prefix}{number}' + "\n" * (lines - 1) + '"""' + newline
        pieces += [text[at:start], marker]
        pairs.append((marker, original))
        hidden |= _words(original)
        at = end
    pieces.append(text[at:])
    return Sliced("".join(pieces), prefix, tuple(pairs), frozenset(hidden))


def convert_sliced(text: str, convert: Callable[[str, str], ConversionResult | None]) -> ConversionResult | None:
    """``convert(sliced text, marker prefix)``'s result for ``text``, or None when slicing does
    not apply or cannot be shown to give what converting the whole text gives."""
    cut = sliced(text)
    if cut is None:
        return None
    result = convert(cut.text, cut.prefix)
    if result is None:
        return None
    if isinstance(result, Refused):
        return None if any(_quotes(cut, diagnostic) for diagnostic in result.diagnostics) else result
    if any(_quotes(cut, note) for note in result.notes):
        return None
    new_words = _words(result.source) - _words(cut.text)
    if not new_words.isdisjoint(cut.hidden):
        return None
    joined = _rejoin(cut, result.source)
    return None if joined is None else Converted(joined, result.models, result.notes)


def among_models(sites, prefix: str) -> bool:
    """Whether a marker stands among a module-level model's statements (rewritten with it)."""
    for site in sites:
        if isinstance(site.block, cst.Module):
            if any(is_marker(statement, prefix) for statement in site.block.body[site.start : site.end]):
                return True
    return False


def is_marker(statement: cst.CSTNode, prefix: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    return (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.SimpleString)
        and small.value.value.startswith('"""' + prefix)
    )


def _words(text: str) -> set[str]:
    found = set(_WORD.findall(text))
    if not text.isascii():
        # Python reads identifiers in NFKC form: ``ﬁle`` is the name ``file``.
        found |= {unicodedata.normalize("NFKC", word) for word in found if not word.isascii()}
    return {word for word in found if not word[0].isdigit()}


def _relevant(words: list[set[str]]) -> list[bool]:
    """Which statements are relevant: the first, those with a seed word, and every statement
    that shares a word with a relevant one (through an index of word -> statements)."""
    relevant = [index == 0 or not each.isdisjoint(SEEDS) for index, each in enumerate(words)]
    known: set[str] = set()
    pending: list[str] = []
    by_word: dict[str, list[int]] = {}
    for index, each in enumerate(words):
        if relevant[index]:
            pending.extend(each - known - _NOT_NAMES)
            known |= each - _NOT_NAMES
        else:
            for word in each - _NOT_NAMES:
                by_word.setdefault(word, []).append(index)
    while pending:
        for index in by_word.pop(pending.pop(), ()):
            if not relevant[index]:
                relevant[index] = True
                fresh = words[index] - known - _NOT_NAMES
                known |= fresh
                pending.extend(fresh)
    return relevant


def _runs(statements: list[Statement], relevant: list[bool], text: str) -> list[tuple[int, int, int]]:
    """(start, end, lines) of each run of opaque statements that can be cut out whole: it ends
    with a newline and with a statement that owns none of the lines after it."""
    runs, index = [], 1
    while index < len(statements):
        if relevant[index]:
            index += 1
            continue
        first = index
        while index < len(statements) and not relevant[index]:
            index += 1
        last = index - 1
        while last >= first and not (statements[last].clean and text[statements[last].end - 1] in "\r\n"):
            last -= 1
        if last >= first:
            start, final = statements[first], statements[last]
            runs.append((start.start, final.end, final.line + final.lines - start.line))
    return runs


def _quotes(cut: Sliced, diagnostic) -> bool:
    return cut.prefix in diagnostic.message or cut.prefix in (diagnostic.hint or "")


def _rejoin(cut: Sliced, output: str) -> str | None:
    """``output`` with each marker replaced by its run: each exactly once, in order, on a line of its own."""
    if output.count(cut.prefix) != len(cut.runs):
        return None
    pieces, at = [], 0
    for marker, original in cut.runs:
        found = output.find(marker, at)
        if found < 0 or (found > 0 and output[found - 1] not in "\r\n"):
            return None
        pieces += [output[at:found], original]
        at = found + len(marker)
    pieces.append(output[at:])
    return "".join(pieces)
