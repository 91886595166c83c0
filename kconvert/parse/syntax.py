"""Only what the running Python accepts reaches libcst.

libcst's native parser accepts some text CPython rejects (Python 2's
``except Exception, e:``), and overflows its stack, killing the process with
a segmentation fault, on nesting CPython refuses cleanly (1,500 parentheses)
or on long flat chains (8,000 ``and``).  CPython's own parser is checked
first: it costs about 0.5 ms per model file (0.5% of a conversion; 1 s for a
2 MB file, whose libcst parse alone takes 21 s) and bounds the nesting depth
that ``deep.py`` must make room for.  It compiles to bytecode, which costs
the same as building Python's AST for small files, five times less for large
ones, and also rejects what only the compiler catches (``return`` outside a
function).
"""

from __future__ import annotations

import ast
import contextlib
import re
import sys
import warnings
from typing import Iterator

from ..types import Diagnostic

# CPython's default recursion limit; the depth CPython's compiler accepts
# grows with the limit (3 levels per frame in 3.10-3.11), so the check runs at
# this limit even when ``deep.py`` raised it.
PARSER_RECURSION_LIMIT = 1000
# libcst nests what CPython keeps flat: ``a and b and c`` is one BoolOp for
# CPython but one level per operand for libcst.  Beyond CPython's own bound,
# ``deep.py`` has room for this many levels more.
EXTRA_DEPTH = 2000
_BOOL_WORDS = re.compile(r"\b(?:and|or)\b")
# Parts of about this size are compiled at a time (compiles_in_parts).
PART_SIZE = 256 * 1024
# A line that is not indented and says ``global``: maybe a module-level global statement.
_TOP_GLOBAL = re.compile(r"(?:^|\r)(?:\S[^\r\n]*)?\bglobal\b", re.M)
# A UTF-8 byte-order mark, which Windows editors write: Python reads it as no text at the start of a
# file's bytes but refuses it in a str, so the text of such a file is read without it.
BOM = "\ufeff"


def python_syntax_problem(text: str) -> Diagnostic | None:
    """Why the running Python would not compile ``text``, or None when it would."""
    try:
        with warnings.catch_warnings(), _recursion_limit(PARSER_RECURSION_LIMIT):
            # The file's SyntaxWarnings (invalid escapes, `is` with a literal) are not ours to print.
            warnings.simplefilter("ignore")
            compile(text, "<file>", "exec", dont_inherit=True)
            # Each `and`/`or` adds at most one level: count the words (fast) before measuring (slow).
            if len(_BOOL_WORDS.findall(text)) > EXTRA_DEPTH and _libcst_depth(ast.parse(text)) > EXTRA_DEPTH:
                return _too_deep("kconvert")
    except SyntaxError as error:
        return Diagnostic(
            error.lineno or 1,
            error.offset or 1,
            f"cannot parse the file: {error.msg}",
            f"Python {sys.version_info.major}.{sys.version_info.minor} rejects this line; kconvert reads only valid Python",
        )
    except ValueError as error:  # null bytes, before Python 3.12 made them a SyntaxError
        line = text.count("\n", 0, text.find("\0")) + 1 if "\0" in text else 1
        return Diagnostic(line, 1, f"cannot parse the file: {error}", "remove the null bytes")
    except (RecursionError, MemoryError):
        return _too_deep("Python's parser")
    return None


def compiles_in_parts(text: str, cuts: list[int]) -> bool:
    """Whether ``text`` compiles, checked in parts cut at top-level statement starts (``cuts``):
    a 20 MB file compiled at once holds 2 GB.  Every check above is one statement's own, except
    what a ``__future__`` import changes in the statements after it and a module-level ``global``
    (a name bound before it); a file with either, or a part that fails, is left to the whole
    check, which also gives the diagnostic its true line."""
    if "__future__" in text or _TOP_GLOBAL.search(text):
        return False
    start = 0
    for end in [*cuts[1:], len(text)]:
        if end - start < PART_SIZE and end != len(text):
            continue
        if python_syntax_problem(text[start:end]) is not None:
            return False
        start = end
    return True


def _too_deep(reader: str) -> Diagnostic:
    return Diagnostic(
        1,
        1,
        f"cannot parse the file: its code is nested too deeply for {reader}",
        "split the deepest expression or the longest `and`/`or` chain into several statements",
    )


def _libcst_depth(tree: ast.AST) -> int:
    """How much deeper than CPython's tree libcst's is: the longest path of `and`/`or` operands."""
    deepest = 0
    stack = [(tree, 0)]
    while stack:
        node, extra = stack.pop()
        if isinstance(node, ast.BoolOp):
            extra += len(node.values) - 1
            deepest = max(deepest, extra)
        stack.extend((child, extra) for child in ast.iter_child_nodes(node))
    return deepest


@contextlib.contextmanager
def _recursion_limit(limit: int) -> Iterator[None]:
    """The recursion limit set to ``limit`` for a block (or just above the depth in use)."""
    saved = sys.getrecursionlimit()
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    sys.setrecursionlimit(max(limit, depth + 100))
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)
