"""Texts the safety check compares in a normal form: an expression as black prints it (without
its comments), and the truth of a test written with literals alone."""

from __future__ import annotations

import ast
import functools
import io
import keyword
import operator
import re
import tokenize

import black

# Texts black leaves as they are: most arguments (``64``, ``units``, ``layers.Dense``).
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|[1-9][0-9]*|0")


@functools.lru_cache(maxsize=4096)
def normal_text(text: str) -> str:
    """The expression as black would print it, so quoting and spacing do not count.

    Remembered by text: black costs about a millisecond a call, and the same
    arguments (``64``, ``activation="relu"``) come back in every layer.
    """
    if _PLAIN.fullmatch(text) and not any(keyword.iskeyword(part) for part in text.split(".")):
        return f"({text})"  # what black prints for a name, a dotted name or a decimal integer
    try:
        return black.format_str(_without_comments(f"({text})"), mode=black.Mode(line_length=10_000, magic_trailing_comma=False)).strip()
    except black.InvalidInput:
        return text


def _without_comments(text: str) -> str:
    """``text`` with its comments blanked out: they build nothing, and an emitter may move a
    layer's trailing comment (``# output (None, 26, 26, 32)``) to the line above it, where black
    keeps it apart from the code it stood behind."""
    if "#" not in text:
        return text
    try:
        tokens = [token for token in tokenize.generate_tokens(io.StringIO(text).readline) if token.type != tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return text
    return tokenize.untokenize(tokens)


def literal_truth(text: str) -> bool | None:
    """The truth of a test made of literals alone (``True``, ``"relu" is not None``), or decided by
    its literals before Python reads the rest (``2 != 1 or ...``), else None."""
    try:
        return bool(_literal(ast.parse(text, mode="eval").body))
    except (SyntaxError, ValueError):
        return None


def _literal(node: ast.expr):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _literal(node.operand)
    if isinstance(node, ast.BoolOp):
        # As Python reads it, and as a helper written out decides it (parse/static_truth.py):
        # ``2 != 1 or x.shape[-1] != 64`` holds whatever the shape.
        for value in node.values[:-1]:
            decided = _literal(value)
            if bool(decided) is not isinstance(node.op, ast.And):
                return decided
        return _literal(node.values[-1])
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right, op = _literal(node.left), _literal(node.comparators[0]), node.ops[0]
        compare = {ast.Is: operator.is_, ast.IsNot: operator.is_not, ast.Eq: operator.eq, ast.NotEq: operator.ne}
        if type(op) in compare:
            return compare[type(op)](left, right)
    raise ValueError(ast.dump(node))
