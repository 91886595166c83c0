"""The facts about one user file that the model locator and the slicer need.

`index_source` parses the file once with libcst and records, for every top-level
statement, its line span, the module-level names it binds, and the top-level
statements binding the globals it reads (anywhere inside it, function and class
bodies included, resolved by libcst's scope analysis rather than by name matching).
It also keeps the qualified names of every call target and class base, so
``tf.keras.Sequential``, ``keras.models.Sequential`` and an imported ``Sequential``
read the same. The statements inside ``if __name__ == "__main__":`` count as
top-level ones, flagged with the guard's line, since they run when the file runs.
Nothing here imports TensorFlow or runs user code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from ..deep import on_deep_stack
from .branches import IfParts, if_parts
from ..parse.star_imports import star_exports
from ..parse.syntax import BOM, python_syntax_problem
from ..parse.tensor_lists import PUTS


@dataclass(frozen=True)
class Read:
    """A global name a statement reads, and the top-level statements binding it."""

    name: str
    deferred: bool  # read inside a function body: when it runs, not when defined
    writers: tuple[int, ...]  # in source order


@dataclass(frozen=True, eq=False)
class Statement:
    """One top-level statement of the file."""

    node: cst.BaseStatement
    first_line: int
    last_line: int
    binds: frozenset[str]
    reads: tuple[Read, ...]
    # The line of `if __name__ == "__main__":` for a statement inside that block.
    main_guard_line: int | None
    # For an ``if``: its branches, so a slice can keep only the statements it needs.
    parts: IfParts | None = None


@dataclass(frozen=True, eq=False)
class SourceIndex:
    """A parsed file: its text, its top-level statements, and qualified names."""

    path: str
    text: str
    statements: tuple[Statement, ...]
    qualified: Mapping[cst.CSTNode, frozenset[str]]

    def names_of(self, node: cst.CSTNode) -> frozenset[str]:
        found = self.qualified.get(node, frozenset())
        if found or not isinstance(node, cst.Name) or node.value in self._bound:
            return found
        # ``from keras.models import *``: what the star import is known to bind.
        return frozenset(f"{module}.{node.value}" for module in self._stars if node.value in star_exports(module))

    @cached_property
    def _stars(self) -> tuple[str, ...]:
        return tuple(
            cst.Module([]).code_for_node(small.module)
            for statement in self.statements
            if isinstance(statement.node, cst.SimpleStatementLine)
            for small in statement.node.body
            if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar) and small.module
        )

    @cached_property
    def _bound(self) -> frozenset[str]:
        return frozenset().union(*(statement.binds for statement in self.statements))


@dataclass(frozen=True)
class ParseFailure:
    """The file is not valid Python; ``message`` says where."""

    message: str


_MAIN_GUARD = m.If(
    test=m.Comparison(
        left=m.Name("__name__"),
        comparisons=[m.ComparisonTarget(m.Equal(), m.SimpleString())],
    )
)


class _Indexer(cst.CSTVisitor):
    # Qualified names are asked of the scope for the few nodes that need them: a
    # QualifiedNameProvider pass would compute them for every name (+25% time).
    METADATA_DEPENDENCIES = (PositionProvider, ScopeProvider)

    def __init__(self, top_level: tuple[cst.BaseStatement, ...]) -> None:
        super().__init__()
        self._top = {stmt: i for i, stmt in enumerate(top_level)}
        self._current = -1
        self.owner: dict[cst.CSTNode, int] = {}
        self.qualified: dict[cst.CSTNode, frozenset[str]] = {}
        # (statement, name) of each module-level ``name += ...`` (or ``name.append(...)``)
        self.augmented: list[tuple[int, str]] = []
        # (statement, name) of each module-level ``name.append(...)``: a binding scopes do not see.
        self.changed: list[tuple[int, str]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._current = self._top.get(node, self._current)
        self.owner[node] = self._current
        return super().on_visit(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._qualify(node.func)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            self._qualify(base.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        # ``x += r`` reads x too, but scope analysis records only its assignment.
        scope = self.get_metadata(ScopeProvider, node, None)
        if isinstance(node.target, cst.Name) and isinstance(scope, GlobalScope):
            self.augmented.append((self._current, node.target.value))

    def visit_Expr(self, node: cst.Expr) -> None:
        # ``skips.append(x)`` changes a module-level list the way ``skips += [x]`` does: a later
        # read of ``skips`` needs it (a loop that fills the list), and it needs the list made.
        call = node.value
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and isinstance(call.func.value, cst.Name)
            and call.func.attr.value in PUTS
            and isinstance(self.get_metadata(ScopeProvider, call.func.value, None), GlobalScope)
        ):
            self.augmented.append((self._current, call.func.value.value))
            self.changed.append((self._current, call.func.value.value))

    def _qualify(self, node: cst.CSTNode) -> None:
        scope = self.get_metadata(ScopeProvider, node, None)
        names = scope.get_qualified_names_for(node) if scope is not None else set()
        self.qualified[node] = frozenset(q.name for q in names)

    def start(self, node: cst.CSTNode) -> int:
        return self.get_metadata(PositionProvider, node).start.line

    def first_line(self, stmt: cst.BaseStatement) -> int:
        # A decorator runs as part of its def, so the span starts at the decorator.
        decorators = getattr(stmt, "decorators", ())
        start = decorators[0] if decorators else stmt
        return self.start(start)

    def span(self, node: cst.CSTNode) -> tuple[int, int]:
        found = self.get_metadata(PositionProvider, node)
        return found.start.line, found.end.line

    def last_line(self, stmt: cst.BaseStatement) -> int:
        return self.get_metadata(PositionProvider, stmt).end.line

    def dependencies(self, count: int) -> tuple[list[set[str]], list[tuple[Read, ...]]]:
        """Names each statement binds, and the global names it reads."""
        scopes = self.metadata[ScopeProvider]
        binds: list[set[str]] = [set() for _ in range(count)]
        reads: list[dict[tuple[str, bool], set[int]]] = [{} for _ in range(count)]
        global_scope = next(s for s in scopes.values() if isinstance(s, GlobalScope))
        for assignment in global_scope.assignments:
            owner = self.owner.get(getattr(assignment, "node", None), -1)
            if owner >= 0:
                binds[owner].add(assignment.name)
        for owner, name in self.changed:
            binds[owner].add(name)
        for scope in {s for s in scopes.values() if s is not None}:
            deferred = _inside_function(scope)
            for access in scope.accesses:
                reader = self.owner.get(access.node, -1)
                for referent in access.referents:
                    writer = self.owner.get(getattr(referent, "node", None), -1)
                    if (
                        referent.scope is global_scope
                        and writer >= 0
                        and writer != reader
                    ):
                        key = (referent.name, deferred)
                        reads[reader].setdefault(key, set()).add(writer)
        for owner, name in self.changed:
            for reader, found in enumerate(reads):
                for (read, _), writers in found.items():
                    if read == name and reader != owner:
                        writers.add(owner)
        for reader, name in self.augmented:
            writers = {i for i in range(count) if name in binds[i] and i != reader}
            reads[reader].setdefault((name, False), set()).update(writers)
        return binds, [
            tuple(Read(name, late, tuple(sorted(w))) for (name, late), w in r.items())
            for r in reads
        ]


def _inside_function(scope: Scope) -> bool:
    while not isinstance(scope, GlobalScope):
        if isinstance(scope, FunctionScope):
            return True
        scope = scope.parent
    return False


@on_deep_stack
def index_source(text: str, path: str) -> SourceIndex | ParseFailure:
    """Parse ``text`` (the contents of ``path``) into a SourceIndex."""
    text = text.removeprefix(BOM)
    # What this Python rejects, and nesting deeper than libcst survives, never reaches libcst.
    problem = python_syntax_problem(text)
    if problem is not None:
        reason = problem.message.removeprefix("cannot parse the file: ")
        return ParseFailure(f"{path}:{problem.line}:{problem.col}: {reason}")
    try:
        # The module is ours alone, so the wrapper need not deep-copy it.
        wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
    except cst.ParserSyntaxError as error:
        return ParseFailure(
            f"{path}:{error.raw_line}:{error.raw_column}: {error.message}"
        )
    units = _units(wrapper.module)
    indexer = _Indexer(tuple(node for node, _ in units))
    with indexer.resolve(wrapper):
        wrapper.module.visit(indexer)
        binds, reads = indexer.dependencies(len(units))
        statements = tuple(
            Statement(
                node=node,
                first_line=indexer.first_line(node),
                last_line=indexer.last_line(node),
                binds=frozenset(binds[i]),
                reads=reads[i],
                main_guard_line=indexer.start(guard) if guard is not None else None,
                parts=if_parts(node, indexer.span),
            )
            for i, (node, guard) in enumerate(units)
        )
    return SourceIndex(path, text, statements, indexer.qualified)


def _units(module: cst.Module) -> list[tuple[cst.BaseStatement, cst.If | None]]:
    """Top-level statements, with those of a main guard in its place, paired with it."""
    units: list[tuple[cst.BaseStatement, cst.If | None]] = []
    for stmt in module.body:
        if (
            isinstance(stmt, cst.If)
            and _is_main_guard(stmt)
            and isinstance(stmt.body, cst.IndentedBlock)
        ):
            units.extend((inner, stmt) for inner in stmt.body.body)
        else:
            units.append((stmt, None))
    return units


def _is_main_guard(stmt: cst.If) -> bool:
    if not m.matches(stmt, _MAIN_GUARD) or stmt.orelse is not None:
        return False
    comparison = cst.ensure_type(stmt.test, cst.Comparison)
    literal = cst.ensure_type(comparison.comparisons[0].comparator, cst.SimpleString)
    return literal.evaluated_value == "__main__"
