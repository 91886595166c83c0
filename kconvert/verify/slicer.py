"""Program slices: the part of a user file that builds one model, and nothing else.

User files train at module level (``mnist.load_data()`` downloads, ``model.fit``
runs for minutes), so the worker never runs a whole file. The slice of a model is

* its *roots*: the statement binding it and, for a variable, the later statements
  that finish building it (``model.add(...)``, ``model.build(...)``, ``model(x)``,
  loops and ifs that call ``model.add``), up to the next rebinding of the name;
* transitively, the top-level statements whose binding of a global reaches a read
  in a kept statement (imports, constants, defs, classes, assignments; found by
  libcst's scope analysis): the last binding above the read, or, for a read in a
  function body, the last one before the model is built; a kept binding of
  another model comes with its finishing steps above that point
  (``generator.build(...)`` before ``gan = Sequential([generator, ...])``);
* ``from __future__`` and star imports, whose effects libcst cannot attribute;
* with a kept binding of a layer, the ``layer.adapt(...)`` lines below it: a
  ``TextVectorization`` or ``Normalization`` cannot run before it is adapted
  (the data it is adapted on comes along, as in the file).

Statements inside ``if __name__ == "__main__":`` are considered only for a model
bound there too (the slice keeps the guard line, and the worker runs it as a
script would run, with ``__name__ == "__main__"``); otherwise that block is
training code and never kept. A builder or class is sliced through the first
module-level variable built from it (``model = build_model(32)``) or, if there is
none, called with no arguments. Dropped statements become blank
lines so that line numbers in tracebacks and layer locations match the user's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import libcst as cst
import libcst.matchers as m

from .locate import ModelSite
from .source import Read, SourceIndex, Statement

_BUILD_METHODS = ("add", "build")


@dataclass(frozen=True)
class ModelSlice:
    """What the worker runs for one model: ``source``, then ``expr`` gives the model."""

    name: str
    path: str
    source: str
    expr: str


def slice_model(
    index: SourceIndex, site: ModelSite, sites: Sequence[ModelSite]
) -> ModelSlice:
    """The slice of ``index``'s file that builds ``site``."""
    variable = site
    if site.kind != "variable" and site.bound_to is not None:
        variable = next(
            s for s in sites if s.kind == "variable" and s.name == site.bound_to
        )
    if variable.kind == "variable":
        roots = [variable.statement, *_finishing_steps(index, variable)]
        expr, cutoff = variable.name, max(roots)
    else:
        # Called after the whole file has been defined, so globals bound below the def count.
        roots = [site.statement]
        expr, cutoff = f"{site.name}()", len(index.statements)
    in_main = index.statements[roots[0]].main_guard_line is not None
    steps = _adapt_steps(index)
    for s in sites:
        if s.kind == "variable":
            steps.setdefault(s.statement, []).extend(_finishing_steps(index, s))
    kept = _closure(index.statements, roots, cutoff, in_main, steps)
    return ModelSlice(site.name, index.path, _blank_all_but(index, kept), expr)


def _finishing_steps(index: SourceIndex, site: ModelSite) -> list[int]:
    steps = []
    in_main = index.statements[site.statement].main_guard_line is not None
    for j in range(site.statement + 1, len(index.statements)):
        stmt = index.statements[j]
        if stmt.main_guard_line is not None and not in_main:
            continue
        if site.name in stmt.binds and not _is_step_line(stmt.node, site.name):
            break
        if _is_step_line(stmt.node, site.name) or _is_add_block(stmt.node, site.name):
            steps.append(j)
    return steps


def _adapt_steps(index: SourceIndex) -> dict[int, list[int]]:
    """``layer.adapt(...)`` lines, under the statement that last bound ``layer``."""
    steps: dict[int, list[int]] = {}
    last_binding: dict[str, int] = {}
    adapt = m.Expr(value=m.Call(func=m.Attribute(value=m.Name(), attr=m.Name("adapt"))))
    for j, stmt in enumerate(index.statements):
        node = stmt.node
        if isinstance(node, cst.SimpleStatementLine) and m.matches(node.body[0], adapt):
            call = cst.ensure_type(
                cst.ensure_type(node.body[0], cst.Expr).value, cst.Call
            )
            name = cst.ensure_type(
                cst.ensure_type(call.func, cst.Attribute).value, cst.Name
            )
            if name.value in last_binding:
                steps.setdefault(last_binding[name.value], []).append(j)
        for name in stmt.binds:
            last_binding[name] = j
    return steps


def _step_call(name: str) -> m.Call:
    return m.Call(
        func=m.Name(name)
        | m.Attribute(
            value=m.Name(name), attr=m.OneOf(*(m.Name(a) for a in _BUILD_METHODS))
        )
    )


def _is_step_line(node: cst.BaseStatement, name: str) -> bool:
    """``model.add(...)``, ``model.build(...)``, ``model(x)`` or ``y = model(x)``."""
    if not isinstance(node, cst.SimpleStatementLine):
        return False
    call = _step_call(name)
    return any(
        m.matches(
            small, m.Expr(value=call) | m.Assign(value=call) | m.AnnAssign(value=call)
        )
        for small in node.body
    )


def _is_add_block(node: cst.BaseStatement, name: str) -> bool:
    """A ``for``/``if``/``while``/``with`` adding layers: ``for u in sizes: model.add(...)``."""
    if not isinstance(node, (cst.For, cst.If, cst.While, cst.With)):
        return False
    add = m.Call(func=m.Attribute(value=m.Name(name), attr=m.Name("add")))
    return bool(m.findall(node, add))


def _closure(
    statements: tuple[Statement, ...],
    roots: list[int],
    cutoff: int,
    in_main: bool,
    steps: dict[int, list[int]],
) -> set[int]:
    """The roots and, transitively, the bindings that reach what they read, with
    the finishing steps (up to ``cutoff``) of the other models among them."""
    kept = set(roots)
    kept.update(i for i in range(cutoff) if _always_kept(statements[i].node))
    work = list(kept)
    while work:
        reader = work.pop()
        for read in statements[reader].reads:
            # A function body runs when the model is built, at ``cutoff``; other code
            # runs in place, so it sees the bindings above it.
            until = cutoff if read.deferred else reader
            for writer in _reaching(statements, read, until, in_main):
                for needed in (writer, *steps.get(writer, ())):
                    if needed not in kept and needed < max(cutoff, writer + 1):
                        kept.add(needed)
                        work.append(needed)
    return kept


def _reaching(
    statements: tuple[Statement, ...], read: Read, until: int, in_main: bool
) -> list[int]:
    """The last binding of ``read.name`` before ``until``, and earlier ones while that
    binding is conditional (inside an if, for, try...), since it may not happen."""
    reaching = []
    for writer in reversed(read.writers):
        stmt = statements[writer]
        if writer >= until or (stmt.main_guard_line is not None and not in_main):
            continue
        reaching.append(writer)
        if isinstance(
            stmt.node, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)
        ):
            break
    return reaching


def _always_kept(node: cst.BaseStatement) -> bool:
    future = m.ImportFrom(module=m.Name("__future__"))
    star = m.ImportFrom(names=m.ImportStar())
    return isinstance(node, cst.SimpleStatementLine) and any(
        m.matches(small, future | star) for small in node.body
    )


def _blank_all_but(index: SourceIndex, kept: set[int]) -> str:
    lines = index.text.splitlines(keepends=True)
    keep_line = [False] * len(lines)
    for i in kept:
        stmt = index.statements[i]
        for line in range(stmt.first_line - 1, stmt.last_line):
            keep_line[line] = True
        if stmt.main_guard_line is not None:
            keep_line[stmt.main_guard_line - 1] = True
    return "".join(text if keep else "\n" for text, keep in zip(lines, keep_line))
