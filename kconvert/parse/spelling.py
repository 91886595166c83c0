"""How this file spells Keras names: its import bindings, and the name to write for a symbol.

Emitted code reuses what the file already binds (``from keras.layers import
Input`` → ``Input``; ``import keras`` → ``keras.Input``; ``import tensorflow as
tf`` → ``tf.keras.Input``).  When nothing fits, an import is requested in the
file's own Keras path (``keras``, ``tensorflow.keras`` or ``tf_keras``, never switched),
mirroring the module the file already imports from.  The parser spells
``keras.ops`` this way when it writes a TensorFlow function as its twin.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from .known_layers import MERGE_LAYERS
from .memo import once
from .star_imports import star_exports


# Where each symbol lives below the Keras root, preferred spelling first (Keras 2.0's engine and
# Keras 2's ``keras.models.Input`` last: a file that imports them only from there keeps its own import).
HOMES = {
    "Input": (
        "Input",
        "layers.Input",
        "engine.Input",
        "engine.topology.Input",
        "engine.input_layer.Input",
        "models.Input",
    ),
    "Model": ("Model", "models.Model", "engine.Model", "engine.training.Model"),
    "Sequential": ("Sequential", "models.Sequential"),
    "ops": ("ops",),
    "saving": ("saving",),
    "utils": ("utils",),
    "Layer": ("Layer", "layers.Layer"),
    "layers": ("layers",),
    "Activation": ("layers.Activation",),
    "Reshape": ("layers.Reshape",),
}
SUBMODULE = {
    "Input": "layers",
    "Model": "models",
    "Sequential": "models",
    "ops": "ops",
    "saving": "saving",
    "utils": "utils",
    "Layer": "layers",
    "layers": "layers",
    "Activation": "layers",
    "Reshape": "layers",
}
# The layer class of each functional-API merge helper (``Concatenate`` for ``concatenate``): a
# subclass makes it once in ``__init__``, imported beside the helper when the file has no spelling.
HOMES.update({name: (f"layers.{name}",) for name in MERGE_LAYERS.values()})
SUBMODULE.update({name: "layers" for name in MERGE_LAYERS.values()})
# Symbols the Keras guides spell through their submodule (``layers.Layer``, ``keras.layers.Layer``,
# which Keras 2's ``tf.keras`` has too), never from the root (``keras.Layer``).
SUBMODULE_FIRST = frozenset({"Layer", "Activation", "Reshape", *MERGE_LAYERS.values()})
# Symbols the root does not export (``keras.Activation`` is no name): imported from their submodule.
SUBMODULE_ONLY = frozenset({"Activation", "Reshape"})


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


def module_bindings(module: cst.Module) -> tuple[_Bound, ...]:
    """Top-level import bindings of the module, in order (gathered once per module: asked per model)."""
    return once("import_bindings", module, _import_bindings)


def _import_bindings(module: cst.Module) -> tuple[_Bound, ...]:
    found: list[_Bound] = []
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    dotted = dotted_name(alias.name)
                    if alias.asname is not None:
                        asname = alias.asname.name.value
                        found.append(_Bound(asname, dotted, ImportRequest(dotted, None, asname)))
                    else:
                        head = dotted.split(".")[0]
                        found.append(_Bound(head, head, ImportRequest(dotted)))
            elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                base = dotted_name(small.module)
                if isinstance(small.names, cst.ImportStar):
                    request = ImportRequest(base, "*")
                    found += [_Bound(name, f"{base}.{name}", request) for name in sorted(star_exports(base))]
                    continue
                for alias in small.names:
                    name = dotted_name(alias.name)
                    asname = alias.asname.name.value if alias.asname else None
                    found.append(_Bound(asname or name, f"{base}.{name}", ImportRequest(base, name, asname)))
    return tuple(found)


def dotted_name(node: cst.BaseExpression) -> str:
    """``keras.layers`` for that attribute chain, ``""`` for anything but names and attributes."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return ""


def spelled_as_class(func: cst.BaseExpression) -> bool:
    """Whether a callee is spelled as a class is (``KerasLayer``, ``hub.KerasLayer``)."""
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    return name[:1].isupper() and not name.isupper()


def spell(
    bindings: tuple[_Bound, ...], root: str, symbol: str, taken: frozenset[str] = frozenset()
) -> tuple[str, ImportRequest | None]:
    """The expression that names ``symbol`` in this file, and the import it needs, if any.

    ``taken``: names the module binds with other statements (``class Model:``); an import of
    the symbol under its own name would stand for one of them, so it is imported as ``Keras<symbol>``."""
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
    from_submodule = imports_from_submodule or symbol in SUBMODULE_ONLY
    module = submodule if from_submodule and SUBMODULE[symbol] != symbol else root
    if symbol in taken:
        return f"Keras{symbol}", ImportRequest(module, symbol, f"Keras{symbol}")
    return symbol, ImportRequest(module, symbol)


def layer_class(bindings: tuple[_Bound, ...], root: str, name: str) -> str | None:
    """How the file names the class ``<root>.layers.<name>`` with what it already imports
    (``Concatenate``, ``layers.Concatenate``, ``keras.layers.Concatenate``), or None."""
    by_dotted: dict[str, str] = {}
    for bound in bindings:
        by_dotted.setdefault(bound.dotted, bound.local)
    for dotted, rest in ((f"{root}.layers.{name}", ""), (f"{root}.layers", f".{name}"), (root, f".layers.{name}")):
        if dotted in by_dotted:
            return by_dotted[dotted] + rest
    if root == "tensorflow.keras" and "tensorflow" in by_dotted:
        return f"{by_dotted['tensorflow']}.keras.layers.{name}"
    return None


def file_root(bindings: tuple[_Bound, ...]) -> str:
    """``keras`` when the file imports Keras 3 itself, ``tf_keras`` when it imports only the Keras 2
    package, else ``tensorflow.keras``."""
    heads = {bound.dotted.split(".")[0] for bound in bindings}
    if "tf_keras" in heads and "keras" not in heads:
        return "tf_keras"
    return "tensorflow.keras" if "tensorflow" in heads and "keras" not in heads else "keras"
