"""Layers a model calls that the file imports from a module of its own (``from blocks import conv_bn``),
or that a method of the file's own class makes without being read as a helper (``Net.block``).

Functional code calls such a name where the graph is built, once, whatever it is.  A subclass
keeps it as ``self.conv_bn = conv_bn`` and calls it in ``call()``: right for a layer made in that
module, but a helper function there would make new layers, untracked, on every forward pass.  A
Sequential model lists it: right for a layer, but Keras refuses a function there.  kconvert does
not read other modules, so both targets are refused at the first call; a class method that makes
layers (a ``@classmethod``, a static method of a class with bases) is refused so too.
"""

from __future__ import annotations

import libcst as cst

from ..types import Diagnostic, Style
from .helpers import makes_layers
from .module_index import classes
from .sites import ModelSite
from .source import SourceFile
from .spelling import dotted_name

# Modules whose callables kconvert knows as layers or as functions of tensors.
KNOWN_ROOTS = frozenset({"keras", "tensorflow", "tf_keras", "numpy"})
# What goes wrong when a function that makes layers is kept as a model's layer.
_KEPT = {
    Style.SUBCLASS: "a subclass's call() would make new layers on every forward pass",
    Style.SEQUENTIAL: "a Sequential model's list would hold a function, which Keras refuses",
}


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
        name = layer.reference.text
        if module is None and _class_method_making_layers(src, name):
            return Diagnostic(
                layer.loc.line,
                layer.loc.col,
                f"`{name}` is a method of the file's class `{root}` that makes layers, which kconvert reads"
                " as a block only when it is a `@staticmethod` of a class of no bases: kept as it is, "
                + _KEPT[target],
                f"make `{name.split('.')[-1]}` a function of the module (kconvert reads its layers), or keep"
                " this model in its current style",
            )
        if module is None or module.split(".", 1)[0] in KNOWN_ROOTS:
            continue
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


def _class_method_making_layers(src: SourceFile, name: str) -> bool:
    """Whether ``name`` (``Net.block``) names a function defined in a module-level class of the
    file whose calls make Keras layers."""
    owner, _, attr = name.partition(".")
    for statement in classes(src.module).get(owner, ()):
        for item in statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ():
            if isinstance(item, cst.FunctionDef) and item.name.value == attr and makes_layers(src, item):
                return True
    return False


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
