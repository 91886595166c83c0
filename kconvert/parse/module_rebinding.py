"""A module-level model whose lines change a variable the file bound before them.

Keras' VAE example counts ``filters`` up in its encoder's loop (``filters *= 2``) and back down
in its decoder's (``filters //= 2``), both at module level, so the decoder starts from what the
encoder left.  A class target moves the decoder's lines into ``__init__``, and a name a function
binds is a local of that function in Python: ``Conv2DTranspose(filters=filters)`` would read it
before anything binds it, and the class fails when it is made.  Such a model is refused for the
class styles at the line that binds the name, rather than left to the safety check.

The lines are followed in the order they run: a read before the model's own binding of a name
the file binds above the model is the problem; a binding in a branch or a loop that may not run
does not count as made for what comes after it.

A subclass keeps outside the class the lines whose names code after the model reads
(``units = 16`` then ``print(units)``): they run above the class, which reads the names when it
is made, so every layer sees their last value.  A name such a line binds more than once, or in a
loop, gave the source's layers different values (``Dense(units)``, ``units = 16``,
``Dense(units)``), and is refused too.
"""

from __future__ import annotations

import libcst as cst

from ..ir.reads import line_binds, target_names
from ..types import Diagnostic, Style
from .names_in import assigned_anywhere, reads
from .sites import ModelSite
from .source import SourceFile
from .walk import walk


def module_rebinding_problem(src: SourceFile, site: ModelSite, target: Style) -> Diagnostic | None:
    """Why a class made of ``site``'s module-level lines would read one of their names before it
    binds it, or None."""
    if site.scope is not None or site.start >= site.end:
        return None
    region = list(site.block.body[site.start : site.end])
    before = set().union(*(assigned_anywhere([statement]) for statement in site.block.body[: site.start]))
    # The line that binds the model itself stays where it is, as the line that makes the class's
    # instance; a tensor's name is the emitters' to choose (``inputs_1`` when the Input's shape
    # reads an earlier ``inputs``, as keras-io's weather forecasting does).
    rebound = before & set().union(*(assigned_anywhere([statement]) for statement in region)) - {site.binding.target}
    rebound -= _tensor_names(site)
    if not rebound:
        return None
    found: list[str] = []
    _run(region, set(), rebound, found)
    if not found:
        return None
    name = found[0]
    statement = next(statement for statement in region if name in assigned_anywhere([statement]))
    line = _binding_line(statement, name)
    loc = src.loc(line)
    code = src.code(line).strip()
    return Diagnostic(
        loc.line,
        loc.col,
        f"`{code}` binds `{name}` again, which the file bound before the model and the model's lines read"
        f" first; in a {target} model those lines run in a method, where `{name}` would be a name of its own,"
        " read before anything binds it",
        f"give `{name}` its value among the model's lines (`{name} = ...` before its first use), or keep"
        f" this model {site.style}",
    )


def _tensor_names(site: ModelSite) -> set[str]:
    if site.graph is None:
        return set()
    names = {getattr(node, "name", None) for node in site.graph.walk()}
    names |= {name for node in site.graph.walk() for _, name in getattr(node, "more", ())}
    return names - {None}


def kept_rebinding_problem(src: SourceFile, site: ModelSite) -> Diagnostic | None:
    """Why a subclass of ``site``'s module-level lines, keeping outside the class the lines whose
    names later code reads, would give its layers other values than the source's, or None."""
    if site.scope is not None or not site.statement_reads:
        return None
    region = list(site.block.body[site.start : site.end])
    for name, _ in site.statement_reads:
        lines = [line for statement in region for line in _binding_lines(statement, name)]
        if len(lines) > 1 or lines and _in_loop(src, lines[0], site.block):
            loc = src.loc(lines[-1])
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{src.code(lines[-1]).strip()}` binds `{name}` again among the model's lines, and code after"
                f" the model reads it; a subclass keeps those lines outside its class, whose layers would all"
                f" see the last `{name}`",
                f"give each value its own name, or keep this model {site.style}",
            )
    return None


def _in_loop(src: SourceFile, node: cst.CSTNode, top: cst.CSTNode) -> bool:
    parent = src.parent(node)
    while parent is not None and parent is not top:
        if isinstance(parent, (cst.For, cst.While)):
            return True
        parent = src.parent(parent)
    return False


def _run(statements, bound: set[str], watched: set[str], found: list[str]) -> set[str]:
    """Follows ``statements`` in the order they run from the names ``bound``; adds to ``found`` each
    name of ``watched`` read before it is bound; returns the names bound for certain after them."""
    bound = set(bound)
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            _read(reads(statement), bound, watched, found)
            bound |= line_binds(statement)
        elif isinstance(statement, cst.For):
            _read(reads(statement.iter), bound, watched, found)
            _run(statement.body.body, bound | target_names(statement.target), watched, found)
            if statement.orelse is not None:
                _run(statement.orelse.body.body, bound, watched, found)
        elif isinstance(statement, cst.While):
            _read(reads(statement.test), bound, watched, found)
            _run(statement.body.body, bound, watched, found)
        elif isinstance(statement, cst.If):
            _read(reads(statement.test), bound, watched, found)
            taken = _run(statement.body.body, bound, watched, found)
            orelse = statement.orelse
            skipped = bound
            if isinstance(orelse, cst.If):
                skipped = _run([orelse], bound, watched, found)
            elif orelse is not None:
                skipped = _run(orelse.body.body, bound, watched, found)
            bound |= taken & skipped
        elif isinstance(statement, cst.With):
            for item in statement.items:
                _read(reads(item.item), bound, watched, found)
                if item.asname is not None:
                    bound |= target_names(item.asname.name)
            bound = _run(statement.body.body, bound, watched, found)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            bound.add(statement.name.value)
        else:
            _read(reads(statement), bound, watched, found)
    return bound


def _read(names: frozenset[str], bound: set[str], watched: set[str], found: list[str]) -> None:
    found += sorted((names & watched) - bound - set(found))


def _binding_line(statement: cst.CSTNode, name: str) -> cst.CSTNode:
    """The first line inside ``statement`` that binds ``name`` (the statement itself if none is)."""
    lines = _binding_lines(statement, name)
    return lines[0] if lines else statement


def _binding_lines(statement: cst.CSTNode, name: str) -> list[cst.SimpleStatementLine]:
    """The lines inside ``statement`` that bind ``name``, in order."""
    lines: list[cst.SimpleStatementLine] = []

    class Visitor(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
            if name in line_binds(node):
                lines.append(node)
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

    walk(statement, Visitor())
    return lines
