"""Lines of kept code that start inside a string literal, which indenting must not touch.

The emitters nest code as lists of lines, putting four spaces before each line per level
(``__init__``'s statements in a class).  A line that starts inside a string, the second line of a
triple-quoted ``print(...)``, is part of the string's value: indented, the program prints other
text (a Sequential's mid-build ``print`` of a triple-quoted banner moved into ``__init__`` gained
eight spaces on each of its lines).  ``code_lines`` marks such lines with ``MARK`` at their start;
the indentation the emitters then put before them lands before the mark, and ``unmarked`` (in
``format_block``, which every piece of emitted code goes through) takes it away with the mark,
giving the line back as written.  ``indented`` indents finished code the same way.
"""

from __future__ import annotations

import io
import re
import tokenize

# A character of Unicode's private use area: code has it, if ever, only inside a string or comment.
MARK = "\ue000"

# One mark a line: a string's own U+E000 after it stays.
_MARKED = re.compile(rf"^[ \t]*{MARK}", re.MULTILINE)


def code_lines(code: str) -> list[str]:
    """The lines of ``code`` (broken where Python breaks them, not at a form feed as
    ``str.splitlines`` does), each one that starts inside a string literal marked."""
    inside = _string_rows(code)
    lines = [line.removesuffix("\r") for line in code.split("\n")]
    if lines[-1] == "":
        lines.pop()
    return [MARK + line if row in inside else line for row, line in enumerate(lines, 1)]


def unmarked(code: str) -> str:
    """``code`` with each marked line as ``code_lines`` read it, the indentation before it gone."""
    return _MARKED.sub("", code) if MARK in code else code


def indented(code: str, prefix: str) -> str:
    """``textwrap.indent(code, prefix)``, but for the lines that start inside a string literal."""
    inside = _string_rows(code)
    lines = code.split("\n")
    return "\n".join(prefix + line if line.strip() and row not in inside else line for row, line in enumerate(lines, 1))


def _string_rows(code: str) -> set[int]:
    """The 1-based numbers of the lines of ``code`` that start inside a string literal (an f-string's
    too, on Python 3.12, where it is several tokens)."""
    rows: set[int] = set()
    opened: list[int] = []
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == fstring_start:
                opened.append(token.start[0])
            elif token.type == fstring_end and opened:
                rows.update(range(opened.pop() + 1, token.end[0] + 1))
            elif token.type == tokenize.STRING:
                rows.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass  # a fragment cut short: the strings read so far are marked, the rest as before
    return rows
