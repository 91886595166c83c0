"""The statements inside a top-level ``if``, so a slice keeps only those a model needs.

Files set a shape in both branches of a test and reshape their data there too::

    if K.image_data_format() == "channels_first":
        x_train = x_train.reshape(...)          # needs the downloaded data
        input_shape = (1, img_rows, img_cols)   # all the model reads
    else: ...

The slice keeps the test and, in each branch, the statements that bind what is
needed after the ``if``, found backwards as at the top level. Names are read off
the syntax (every name a statement mentions counts as read), which keeps more,
never less; a statement whose effect is not a plain binding (a nested block,
``return``, ``global``) is always kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import libcst as cst
import libcst.matchers as m

Lines = Callable[[cst.CSTNode], tuple[int, int]]


@dataclass(frozen=True)
class Part:
    """One statement of a branch: its lines, what it binds (None: always kept), what it reads."""

    first_line: int
    last_line: int
    binds: frozenset[str] | None
    reads: frozenset[str]


@dataclass(frozen=True)
class IfParts:
    """The branches of an ``if``/``elif``/``else`` chain, and the names its tests read."""

    branches: tuple[tuple[Part, ...], ...]
    test_reads: frozenset[str]

    def needed(self, names: Iterable[str]) -> tuple[list[list[bool]], frozenset[str]]:
        """Which parts of each branch ``names`` need, and every name the kept code reads."""
        kept, reads = [], set(self.test_reads)
        for branch in self.branches:
            need, flags = set(names), [False] * len(branch)
            for k in reversed(range(len(branch))):
                part = branch[k]
                if part.binds is None or part.binds & need:
                    flags[k] = True
                    need = (need - (part.binds or frozenset())) | part.reads
            kept.append(flags)
            reads |= need
        return kept, frozenset(reads)


def if_parts(node: cst.BaseStatement, lines: Lines) -> IfParts | None:
    """The parts of a top-level ``if``, or None when it is another statement or a
    branch sits on its header line (``if x: y = 1``)."""
    if not isinstance(node, cst.If):
        return None
    branches, tests = [], set()
    current: cst.If | cst.Else | None = node
    while current is not None:
        if isinstance(current, cst.If):
            tests |= _names(current.test)
        if not isinstance(current.body, cst.IndentedBlock):
            return None
        branches.append(tuple(_part(stmt, lines) for stmt in current.body.body))
        current = current.orelse if isinstance(current, cst.If) else None
    return IfParts(tuple(branches), frozenset(tests))


def _part(stmt: cst.BaseStatement, lines: Lines) -> Part:
    first, last = lines(stmt)
    binds: frozenset[str] | None = None
    if isinstance(stmt, cst.SimpleStatementLine):
        found = [_binds(small) for small in stmt.body]
        if all(names is not None for names in found):
            binds = frozenset().union(*found)  # type: ignore[arg-type]
    return Part(first, last, binds, frozenset(_names(stmt)))


def _binds(small: cst.BaseSmallStatement) -> frozenset[str] | None:
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        # ``layers.append(Dense(3))`` changes ``layers``: kept when it is needed.
        return (
            _targets([small.value.func])
            if isinstance(small.value.func, cst.Attribute)
            else frozenset()
        )
    if isinstance(small, (cst.Expr, cst.Pass)):
        return frozenset()
    if isinstance(small, cst.Assign):
        return _targets(t.target for t in small.targets)
    if isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        return _targets([small.target])
    if isinstance(small, cst.Del):
        return _targets([small.target])
    if isinstance(small, cst.Import):
        return frozenset(_alias(a, top=True) for a in small.names)
    if isinstance(small, cst.ImportFrom) and not isinstance(
        small.names, cst.ImportStar
    ):
        return frozenset(_alias(a, top=False) for a in small.names)
    return None


def _targets(targets: Iterable[cst.BaseExpression]) -> frozenset[str] | None:
    """Names bound, or changed in place (``x[0] = ...``, ``x.y = ...`` change ``x``)."""
    names: set[str] = set()
    for target in targets:
        while isinstance(target, (cst.Attribute, cst.Subscript, cst.StarredElement)):
            target = target.value
        if isinstance(target, cst.Name):
            names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            inner = _targets(e.value for e in target.elements)
            if inner is None:
                return None
            names |= inner
        else:
            return None
    return frozenset(names)


def _alias(alias: cst.ImportAlias, *, top: bool) -> str:
    if alias.asname is not None:
        return cst.ensure_type(alias.asname.name, cst.Name).value
    name = cst.Module(body=[]).code_for_node(alias.name)
    return name.split(".")[0] if top else name


def _names(node: cst.CSTNode) -> set[str]:
    return {cst.ensure_type(n, cst.Name).value for n in m.findall(node, m.Name())}
