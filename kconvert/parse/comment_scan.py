"""The comments of a file, read once with Python's tokenizer: where each stands, and which line
of code it is said of (parse/comments.py makes remarks of them)."""

from __future__ import annotations

import io
import tokenize
from typing import NamedTuple

from .source import SourceFile

# Tokens that carry no code: a line of only these is no anchor for a comment above it.
_LAYOUT = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT})


class Comment(NamedTuple):
    """A comment of the file.  ``anchor``: for a comment on its own line, the next line with
    code; for one beside code, the first line of the logical line it ends.  ``after``: for a
    comment on its own line that only a closing bracket follows, the line of the code above it.
    ``blank``: a blank line stands right above the comment, which opens a group of them.
    ``trails``: for a comment right under a statement, at its indentation, in a group a blank line
    then parts from the code below (``cnn.add(...)`` then ``# output: (samples, 64)``), the first
    line of that statement: the comment is said of it."""

    line: int
    text: str
    beside: bool
    anchor: int
    after: int | None
    blank: bool
    trails: int | None = None
    within: tuple[tuple[int, int], ...] = ()


def file_comments(src: SourceFile) -> list[Comment]:
    """Every comment in the file, in order; scanned once per file."""
    if src.comments is None:
        src.comments = _scan(src.text)
    return src.comments


def _scan(text: str) -> list[Comment]:
    found: list[Comment] = []
    lines = text.split("\n")  # as Python counts lines: ``splitlines`` also breaks at a form feed
    waiting: list[tuple[int, str, int]] = []
    logical, indent = 1, 0
    at_start = True
    previous = 0  # the line of the last token with code
    ended = False  # the last token with code ended a statement
    said_of = 1  # the first line of the statement that token is in
    opened: list[tuple[int, int]] = []  # where each bracket still open was opened
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                line = token.start[0]
                if token.line[: token.start[1]].strip():
                    found.append(Comment(line, token.string, True, logical, None, False, within=tuple(opened)))
                else:
                    waiting.append((line, token.string, token.start[1]))
            elif token.type == tokenize.NEWLINE:
                at_start, ended = True, True
            elif token.type not in _LAYOUT and token.type != tokenize.ENDMARKER:
                trailing = _trailing(waiting, lines, previous, indent) if ended else 0
                if at_start:
                    logical, indent, at_start = token.start[0], token.start[1], False
                closing = token.type == tokenize.OP and token.string in ")]}"
                if closing and opened:
                    opened.pop()
                elif token.type == tokenize.OP and token.string in "([{":
                    opened.append(token.start)
                after = previous if closing else None
                found += [
                    Comment(
                        line,
                        comment,
                        False,
                        token.start[0],
                        after,
                        line > 1 and not lines[line - 2].strip(),
                        said_of if at < trailing else None,
                    )
                    for at, (line, comment, _) in enumerate(waiting)
                ]
                waiting.clear()
                previous, ended, said_of = token.end[0], False, logical
    except (tokenize.TokenError, SyntaxError):
        # The file parsed with libcst; a tokenizer that disagrees only costs the comments'
        # places, and the rewriter still keeps them above the new code.
        return []
    return sorted(found)


def _trailing(waiting: list[tuple[int, str, int]], lines: list[str], previous: int, indent: int) -> int:
    """How many of the comments ``waiting`` (line, text, column) stand right under the statement
    that ends on line ``previous``, at its ``indent``, one per line, with a blank line after them."""
    count = 0
    for line, _, column in waiting:
        if line != previous + 1 + count or column != indent:
            break
        count += 1
    end = previous + count  # the last comment's line; the line after it is lines[end]
    return count if count and end < len(lines) and not lines[end].strip() else 0
