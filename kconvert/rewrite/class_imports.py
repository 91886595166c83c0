"""The imports code written at module level needs bound above it.

A builder function reads its model's base class and decorators only when called; the class
that replaces it reads them as soon as it is defined, so the module-level statements that
bind them must come before the class (or stand among the model's own lines it is written below).
Graph code written among a script's statements (``Input``, ``Model``) runs where it stands: a
notebook or tutorial that imports them only further down cannot have them read above.
"""

from __future__ import annotations

import libcst as cst

from ..emit.context import registers
from ..ir.reads import only_imports
from ..parse.names_in import bound_names, identifiers
from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from ..types import CLASSES, Diagnostic, Style
from .symbols import symbols_used


def class_line_reads(graph, symbols) -> tuple[str, ...]:
    """What the emitted class reads when it is defined: its base, and the registration it gets."""
    base = graph.base.text if graph.base else symbols.model
    registered = any(registers(method) for method in graph.methods)
    return (base,) if registered else (base, f"{symbols.saving}.register_keras_serializable")


def runs_where_written(src: SourceFile, site: ModelSite, target: Style) -> bool:
    """Whether the code written for the model reads its names where it stands: a class when it is
    defined, graph code outside any function as it runs (a function reads them when called)."""
    node = site.block
    while not isinstance(node, cst.Module):
        if isinstance(node, cst.FunctionDef):
            return target in CLASSES
        node = src.parent(node)
    return True


def bound_in_time(src: SourceFile, site: ModelSite, name: str, target: Style) -> bool:
    """Whether the module binds ``name`` above the code written for the model (or binds it only
    with statements that need not be)."""
    return _bound_after(src, site, name, target) is None


def graph_line_reads(src: SourceFile, site: ModelSite, symbols, target: Style) -> tuple[str, ...]:
    """The Keras names graph code written for a model outside any function reads as it runs
    (``Input``, ``Model``); none for a model a function makes, which reads them when called."""
    if not runs_where_written(src, site, target):
        return ()
    spelled = (getattr(symbols, symbol.lower(), None) for symbol in sorted(symbols_used(site.graph, target)))
    return tuple(name for name in spelled if isinstance(name, str))


def imported_after_class(src: SourceFile, site: ModelSite, reads: tuple[str, ...], target: Style) -> Diagnostic | None:
    """A class reads its base and decorators when it is defined, where a builder function read
    them only when called, and graph code among a script's lines reads ``Input`` where it stands:
    the module-level statements that bind them must come before the code."""
    for read in reads:
        late = _bound_after(src, site, read, target)
        if late is not None:
            return late
    return None


def _bound_after(src: SourceFile, site: ModelSite, base: str, target: Style) -> Diagnostic | None:
    root = base.split(".")[0]
    if isinstance(site.block, cst.Module):
        place = site.start
    else:
        node = site.block
        while not isinstance(src.parent(node), cst.Module):
            node = src.parent(node)
        place = src.module.body.index(node)
    for index, statement in enumerate(src.module.body):
        if root in bound_names(statement):
            if index <= place or _kept_above(src, site, index, root):
                return None
            loc = src.loc(statement)
            needs = (
                f"the class a subclass conversion writes there needs `{base}` as soon as it is defined"
                if target in CLASSES
                else f"the {target} code written there reads `{base}` as it runs"
            )
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{root}` is bound only here, after `{site.name}`; {needs}",
                f"move this import to the top of the file, above `{site.name}`",
            )
    return None


def _kept_above(src: SourceFile, site: ModelSite, index: int, name: str) -> bool:
    """An import among a module-level model's own lines, which the class is written below, and
    that none of the lines above it reads (``model = keras.Sequential()`` above ``import keras``
    fails as written)."""
    if not isinstance(site.block, cst.Module) or not site.start <= index < site.end:
        return False
    above = src.module.body[site.start : index]
    return only_imports(src.module.body[index]) and not any(name in identifiers(line) for line in above)
