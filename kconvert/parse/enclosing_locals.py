"""Names a builder function defined inside another function reads from the function around it.

``def main(): from tensorflow import keras`` and, below it, ``def get_model(n):`` building its
model with ``keras.Input``: a class target writes the model as a class at module level, where
``main``'s names do not exist.  ``main``'s imports the model reads are made at module level too, as
a builder's own imports are (parse/function_locals.py); any other local of ``main`` the model
reads (``units = 4`` above ``def get_model``) is refused with its line: passing it would change
every line that calls the builder.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment, FunctionScope, GlobalScope

from ..ir.source_text import Loc
from .sites import ModelSite
from .source import SourceFile
from .spelling import ImportRequest


@dataclass(frozen=True)
class EnclosingRead:
    """A name the model reads that a function around its builder binds: where, in which function,
    and the import that binds it, when every binding there is one ``import`` of the same thing."""

    name: str
    loc: Loc
    function: str
    request: ImportRequest | None


def model_reads(src: SourceFile, site: ModelSite, read: frozenset[str], params: set[str]):
    """``(scope, first line, reads)`` of the model's statements in a function: the scope they
    run in, where they start, and each ``(name node, access)`` among them of a name in ``read``,
    not in ``params``; None for a model not in a function."""
    if site.scope is None or site.start >= site.end:
        return None
    statements = site.block.body[site.start : site.end]
    first, last = src.loc(statements[0]).line, src.end_line(statements[-1])
    scope = src.scope(statements[0])
    if scope is None:
        return None
    reads = [
        (access.node, access)
        for access in scope.accesses
        if isinstance(access.node, cst.Name)
        and access.node.value in read
        and access.node.value not in params
        and first <= src.loc(access.node).line <= last
    ]
    return scope, first, reads


def enclosing_reads(src: SourceFile, site: ModelSite, read: frozenset[str], params: set[str]) -> list[EnclosingRead]:
    """The names in ``read`` (not ``params``) that the model's statements take from the scope of a
    function around the site's own, in the order they are bound."""
    found_reads = model_reads(src, site, read, params)
    if found_reads is None:
        return []
    scope, _, reads = found_reads
    around = _enclosing_functions(scope)
    found: dict[str, EnclosingRead] = {}
    for node, access in reads:
        if node.value in found:
            continue
        outer = [ref for ref in access.referents if isinstance(ref, Assignment) and ref.scope in around]
        if not outer:
            continue
        requests = {bound_import(ref.node, node.value) for ref in outer}
        request = requests.pop() if len(requests) == 1 else None
        loc = min((src.loc(ref.node) for ref in outer), key=lambda at: (at.line, at.col))
        found[node.value] = EnclosingRead(node.value, loc, _function_name(outer[0].scope), request)
    return sorted(found.values(), key=lambda each: (each.loc.line, each.loc.col))


def _enclosing_functions(scope) -> list:
    """The scopes of the functions around ``scope``'s own, innermost first (a class body's names
    are not seen by the functions inside it, and the module's are not the function's locals)."""
    around, parent = [], scope.parent
    while parent is not None and not isinstance(parent, GlobalScope):
        if isinstance(parent, FunctionScope):
            around.append(parent)
        parent = parent.parent
    return around


def _function_name(scope) -> str:
    node = getattr(scope, "node", None)
    return node.name.value if isinstance(node, cst.FunctionDef) else "the function around it"


def bound_import(node: cst.CSTNode, name: str) -> ImportRequest | None:
    """What ``import``/``from ... import`` statement ``node`` binds ``name`` to (not relative, not
    ``*``); None for any other binding."""
    if isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None and not isinstance(node.names, cst.ImportStar):
        module = _code(node.module)
        return next((ImportRequest(module, _code(alias.name), _as(alias)) for alias in node.names if _local(alias) == name), None)
    if isinstance(node, cst.Import):
        return next((ImportRequest(_code(alias.name), None, _as(alias)) for alias in node.names if _local(alias) == name), None)
    return None


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _as(alias: cst.ImportAlias) -> str | None:
    return alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else None


def _local(alias: cst.ImportAlias) -> str:
    """The name an alias binds: its ``as`` name, else the first part of the dotted name."""
    return _as(alias) or _code(alias.name).split(".")[0]
