"""Values the user gives for names a model reads (``--set NAME=VALUE``), and their checks.

A model often reads a number the file computes from data it downloads or reads
(``vocab_size = len(vectorizer.get_vocabulary())``, ``x_train.shape[1:]``); the
verifier cannot run that code here, so the user gives the value. Both files get
it in place of the same statements (``same_code``), so the model code of each
still runs as written and a difference between them is still seen.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import libcst as cst

from .slicer import ModelSlice


def parse_setting(text: str) -> tuple[str, str] | str:
    """``NAME=VALUE`` as (name, value), or why it is not one."""
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not value:
        return f"--set {text!r}: expected NAME=VALUE, e.g. --set vocab_size=20000"
    return problem({name: value}) or (name, value)


def problem(given: Mapping[str, str]) -> str | None:
    """Why ``given`` cannot be used, or None."""
    for name, value in given.items():
        if not name.isidentifier():
            return f"--set {name}=...: {name!r} is not a Python name"
        if "\n" in value or "\r" in value:
            return f"--set {name}=...: the value must fit on one line"
        try:
            cst.parse_expression(value)
        except cst.ParserSyntaxError:
            return f"--set {name}={value}: the value is not a Python expression"
    return None


def unused(given: Mapping[str, str], slices: Sequence[ModelSlice]) -> str | None:
    """A given name no model reads: a misspelt name must not pass unnoticed."""
    used = {name for piece in slices for name in piece.given}
    left = sorted(given.keys() - used)
    if not left:
        return None
    return (
        f"--set {', '.join(left)}: no model to verify reads this name from the file's "
        "other code (a name the model's own statements bind cannot be given)"
    )


def same_code(original: ModelSlice, converted: ModelSlice) -> str | None:
    """Given values may stand in for code the files share, never for code that differs.

    A side may also use a value as a builder's argument, or not at all (its model
    no longer reads the name); where both replace bindings of a name, they must be
    the same statements.
    """
    differ = sorted(
        name
        for name in set(original.given) & set(converted.given)
        if _codes(original, name)
        and _codes(converted, name)
        and _codes(original, name) != _codes(converted, name)
    )
    if not differ:
        return None
    names = ", ".join(differ)
    return (
        f"--set {names}: the values replace code that differs between the two files; "
        "give values that both files compute the same way"
    )


def _codes(piece: ModelSlice, name: str) -> list[str]:
    return [code for bound, code in piece.replaced if bound == name]
