"""How the file spells ``Input``, ``Model``, ``Sequential`` and ``Layer``, and which imports to add.

Emitted code reuses what the file already binds (``from keras.layers import
Input`` → ``Input``; ``import keras`` → ``keras.Input``; ``import tensorflow as
tf`` → ``tf.keras.Input``).  When nothing fits, an import is requested in the
file's own Keras path (``keras`` or ``tensorflow.keras``, never switched),
mirroring the module the file already imports from.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..emit.context import Symbols
from ..parse.names_in import identifiers
from ..parse.source import SourceFile

# Where each symbol lives below the Keras root, preferred spelling first.
HOMES = {
    "Input": ("Input", "layers.Input"),
    "Model": ("Model", "models.Model"),
    "Sequential": ("Sequential", "models.Sequential"),
    "ops": ("ops",),
    "Layer": ("Layer", "layers.Layer"),
}
SUBMODULE = {"Input": "layers", "Model": "models", "Sequential": "models", "ops": "ops", "Layer": "layers"}
# Symbols the Keras guides spell through their submodule (``layers.Layer``, ``keras.layers.Layer``,
# which Keras 2's ``tf.keras`` has too), never from the root (``keras.Layer``).
SUBMODULE_FIRST = frozenset({"Layer"})


@dataclass(frozen=True)
class ImportRequest:
    """``from module import name`` (or ``import module`` when name is None)."""

    module: str
    name: str | None = None
    asname: str | None = None


@dataclass(frozen=True)
class _Bound:
    """A name the module binds with an import, and the dotted thing it stands for."""

    local: str
    dotted: str
    request: ImportRequest


def module_bindings(module: cst.Module) -> list[_Bound]:
    """Top-level import bindings of the module, in order."""
    found: list[_Bound] = []
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    dotted = _dotted(alias.name)
                    if alias.asname is not None:
                        asname = alias.asname.name.value
                        found.append(_Bound(asname, dotted, ImportRequest(dotted, None, asname)))
                    else:
                        head = dotted.split(".")[0]
                        found.append(_Bound(head, head, ImportRequest(dotted)))
            elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                if isinstance(small.names, cst.ImportStar):
                    continue
                base = _dotted(small.module)
                for alias in small.names:
                    name = _dotted(alias.name)
                    asname = alias.asname.name.value if alias.asname else None
                    found.append(_Bound(asname or name, f"{base}.{name}", ImportRequest(base, name, asname)))
    return found


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def spell(bindings: list[_Bound], root: str, symbol: str) -> tuple[str, ImportRequest | None]:
    """The expression that names ``symbol`` in this file, and the import it needs, if any."""
    homes = [f"{root}.{home}" for home in HOMES[symbol]]
    by_dotted: dict[str, str] = {}
    for bound in bindings:
        by_dotted.setdefault(bound.dotted, bound.local)
    for home in homes:
        if home in by_dotted:
            return by_dotted[home], None
    submodule = f"{root}.{SUBMODULE[symbol]}"
    if symbol in SUBMODULE_FIRST and submodule in by_dotted:
        return f"{by_dotted[submodule]}.{symbol}", None
    path = f"{SUBMODULE[symbol]}.{symbol}" if symbol in SUBMODULE_FIRST else symbol
    if root in by_dotted:
        return f"{by_dotted[root]}.{path}", None
    if root == "tensorflow.keras" and "tensorflow" in by_dotted:
        return f"{by_dotted['tensorflow']}.keras.{path}", None
    if submodule in by_dotted:
        return f"{by_dotted[submodule]}.{symbol}", None
    imports_from_submodule = any(bound.dotted.startswith(submodule + ".") for bound in bindings)
    # A module symbol (``ops``) is imported from the root: ``from keras import ops``.
    module = submodule if imports_from_submodule and SUBMODULE[symbol] != symbol else root
    return symbol, ImportRequest(module, symbol)


def symbols_for(src: SourceFile, root: str) -> tuple[Symbols, dict[str, ImportRequest]]:
    """Spellings of the symbols emitted code needs, and the import each would need if used."""
    bindings = module_bindings(src.module)
    spelled = {symbol: spell(bindings, root, symbol) for symbol in HOMES}
    symbols = Symbols(
        input=spelled["Input"][0],
        model=spelled["Model"][0],
        sequential=spelled["Sequential"][0],
        ops=spelled["ops"][0],
        layer=spelled["Layer"][0],
    )
    requests = {symbol: request for symbol, (_, request) in spelled.items() if request is not None}
    return symbols, requests


def imports_read(src: SourceFile, statements) -> set[ImportRequest]:
    """The imports whose names ``statements`` read: candidates for removal once replaced."""
    names: set[str] = set()
    for statement in statements:
        names |= identifiers(statement)
    return {bound.request for bound in module_bindings(src.module) if bound.local in names}
