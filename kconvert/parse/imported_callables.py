"""Layers a model calls that the file imports from a module of its own (``from blocks import conv_bn``).

Functional code calls such a name where the graph is built, once, whatever it is.  A subclass
keeps it as ``self.conv_bn = conv_bn`` and calls it in ``call()``: right for a layer made in that
module, but a helper function there would make new layers, untracked, on every forward pass.  A
Sequential model lists it: right for a layer, but Keras refuses a function there.  kconvert does
not read other modules, so both targets are refused at the first call.
"""

from __future__ import annotations

import libcst as cst

from ..types import Diagnostic, Style
from .sites import ModelSite
from .source import SourceFile
from .spelling import dotted_name

# Modules whose callables kconvert knows as layers or as functions of tensors.
KNOWN_ROOTS = frozenset({"keras", "tensorflow", "tf_keras", "numpy"})


def imported_callable_problem(src: SourceFile, site: ModelSite, target: Style) -> Diagnostic | None:
    """Why a subclass, or a Sequential model, made of ``site`` could not keep a callable imported
    from another module."""
    if target not in (Style.SUBCLASS, Style.SEQUENTIAL) or site.graph is None or site.style is target:
        return None
    imported = _imported_names(src.module)
    for layer in site.graph.layers:
        if layer.binding != "external" or layer.reference is None:
            continue
        root = layer.reference.text.split(".", 1)[0]
        module = imported.get(root)
        if module is None or module.split(".", 1)[0] in KNOWN_ROOTS:
            continue
        name = layer.reference.text
        if target is Style.SEQUENTIAL:
            # ``x = squash(x)`` in a capsule network's call(): a function of tensors, which a
            # Sequential model's list cannot hold (Keras refuses it when the model is made).
            return Diagnostic(
                layer.loc.line,
                layer.loc.col,
                f"`{name}` comes from `{module}`, which kconvert does not read: a Sequential model holds only"
                f" layer objects, and `{name}` may be a function",
                f"wrap it in a layer (`keras.layers.Lambda({name})`) if it is a function, or keep this model in"
                " its current style",
            )
        return Diagnostic(
            layer.loc.line,
            layer.loc.col,
            f"`{name}` comes from `{module}`, which kconvert does not read: if it makes layers, a subclass's"
            " call() would make new ones on every forward pass",
            f"define `{name}` in this file (kconvert reads its layers), convert to functional-subclass, or"
            " keep this model Functional",
        )
    return None


def _imported_names(module: cst.Module) -> dict[str, str]:
    """The names the module's top-level imports bind, and the module each comes from."""
    found: dict[str, str] = {}
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                origin = "." * len(small.relative) + (dotted_name(small.module) if small.module else "")
                for alias in small.names:
                    found[_bound(alias)] = origin
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    found[_bound(alias)] = dotted_name(alias.name)
    return found


def _bound(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return dotted_name(alias.name).split(".", 1)[0]
