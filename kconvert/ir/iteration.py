"""The ``for`` statement of a ``Loop``: the part that reads no tensor zipped with its items.

A loop over a list of tensors (``for up, skip in zip(up_stack, skips)``) is
kept in two parts, so that a subclass can make a pass's layers in ``__init__``
from the first alone.  Every style writes the whole iteration back the same
way: the static part first, then each item, in one ``zip`` when there are
several (``zip(A, B)`` spread into it).
"""

from __future__ import annotations

import libcst as cst


def for_header(target: str, iterable: str, items: list[tuple[str, str]]) -> str:
    """``for <targets> in <iterables>:`` for the static part and ``items`` as ``(name, source)``."""
    if not items:
        return f"for {target} in {iterable}:"
    targets, sources = static_parts(target, iterable)
    targets += [name for name, _ in items]
    sources += [source for _, source in items]
    if len(sources) == 1:
        return f"for {targets[0]} in {sources[0]}:"
    return f"for {', '.join(targets)} in zip({', '.join(sources)}):"


def static_parts(target: str, iterable: str) -> tuple[list[str], list[str]]:
    """The static iteration as zipped parts: ``a, b`` over ``zip(A, B)`` is two; none when empty."""
    if not target:
        return [], []
    names = cst.parse_expression(target)
    over = cst.parse_expression(iterable)
    if (
        isinstance(names, cst.Tuple)
        and not names.lpar
        and isinstance(over, cst.Call)
        and isinstance(over.func, cst.Name)
        and over.func.value == "zip"
        and len(over.args) == len(names.elements)
        and all(arg.keyword is None and not arg.star for arg in over.args)
    ):
        code = cst.Module([]).code_for_node
        return [code(element.value) for element in names.elements], [code(arg.value) for arg in over.args]
    return [target], [iterable]
