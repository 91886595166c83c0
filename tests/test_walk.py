"""The read-only walk calls a visitor's hooks exactly as libcst's own visit does."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from kconvert.parse.walk import walk

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(ROOT.glob("tests/fixtures/*/*.py")) + sorted(ROOT.glob("benchmarks/corpus/*.py"))

# Every kind of node whose fields libcst does not visit in the order they are declared.
SAMPLE = '''
@decorate(first)
async def f(a: int = d, *args, b=e, **kw) -> r:
    x: t = v
    y = w if c else z
    async for i in it:
        await g(i, key=k)
    with m as (n, o):
        assert p, q
    lam = lambda s=u: s + {kk: vv for kk in kks}
    s = f"{fa!r:>{fw}}" "tail"
    try:
        pass
    except E as err:
        raise X from err
    finally:
        del s
    global G
    return [i async for i in it if i]

@dec
class C(Base, metaclass=M):
    attr: int
from . import (a1, a2 as b2)
from m import *
'''


class _Events(cst.CSTVisitor):
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        # A visitor that stops at some nodes must not see their children either way.
        return not isinstance(node, cst.Lambda)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


def _events(module: cst.Module, walker) -> list[tuple[str, int]]:
    visitor = _Events()
    walker(module, visitor)
    return visitor.events


@pytest.mark.parametrize("text", [SAMPLE] + [path.read_text() for path in FILES[::7]])
def test_walk_meets_every_node_in_libcsts_order(text):
    module = cst.parse_module(text)
    expected = _events(module, lambda node, visitor: node.visit(visitor))
    assert len(expected) > 20
    assert _events(module, walk) == expected
