"""The names code kconvert generates for a model must not take: those the model reads, those
the code after it reads, and those the module's functions and classes read from the module."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import BuiltinScope, GlobalScope

from .memo import once
from .names_in import outer_identifiers
from .sites import ModelSite
from .source import SourceFile


def used_names(src: SourceFile, site: ModelSite, statements, later: frozenset[str]) -> frozenset[str]:
    """Names generated code must not take: read by the model, or by code after it (``later``),
    or by the module's functions and classes from the module (whenever they are called)."""
    used = set(later)
    for statement in statements[site.start : site.end]:
        # A lambda's parameters are its own: a tensor may take their names (``lambda x: ...``).
        used |= outer_identifiers(statement)
    if isinstance(site.block, cst.Module):
        used |= once("definition_names", site.block, lambda module: _definition_names(src, module))
    return frozenset(used)


def _definition_names(src: SourceFile, module: cst.Module) -> frozenset[str]:
    """The names of the module's functions and classes, and the names they read from the
    module: a parameter or a local of theirs (a layer's ``call(self, inputs)``) is theirs alone,
    and a model at module level may bind the same name."""
    names = {statement.name.value for statement in module.body if isinstance(statement, (cst.FunctionDef, cst.ClassDef))}
    for scope in {id(scope): scope for scope in src.scopes()}.values():
        if isinstance(scope, GlobalScope):
            continue
        for access in scope.accesses:
            # Unresolved, a module global or a builtin (which a module-level binding would shadow).
            if not access.referents or any(isinstance(each.scope, (GlobalScope, BuiltinScope)) for each in access.referents):
                names |= _root_name(access.node)
    return frozenset(names)


def _root_name(node: cst.CSTNode) -> set[str]:
    """``{"os"}`` for ``os.path``; nothing for a string annotation."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return {node.value} if isinstance(node, cst.Name) else set()
