"""Answers about libcst nodes computed once per node while a file is converted.

The finder asks the same questions of the same statements for every model of a
file; inside ``remembered()`` each answer is kept by the node's identity (libcst
nodes are immutable), so the cost of a file is linear in its models.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator, TypeVar

import libcst as cst

T = TypeVar("T")

# (question, id(node)) -> (node, answer); the node is kept so its id is not reused.
_memo: ContextVar[dict | None] = ContextVar("kconvert_names_memo", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Answers computed inside are kept until the outermost ``remembered()`` ends."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def once(question: str, node: cst.CSTNode, answer: Callable[[cst.CSTNode], T]) -> T:
    """``answer(node)``, computed once per node inside ``remembered()``; answers must not be mutated."""
    memo = _memo.get()
    if memo is None:
        return answer(node)
    key = (question, id(node))
    found = memo.get(key)
    if found is None:
        found = memo[key] = (node, answer(node))
    return found[1]
