"""What ``from keras.layers import *`` binds, for the names libcst cannot resolve.

Old Keras examples start with ``from keras.models import *`` and
``from keras.layers import *``.  libcst's qualified names stop at a star
import, so an unbound ``Dense`` or ``Sequential`` is looked up here in the
Keras modules the file star-imports, by the names those modules are known to
have.  A name the file binds itself never gets here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from .keras_names import LEGACY_ROOTS, ROOTS
from .known_layers import KERAS_LAYERS, MERGE_FUNCTIONS

if TYPE_CHECKING:
    from .source import SourceFile

# What each Keras module that old code star-imports is known to export.
_EXPORTS = {
    "": frozenset({"Sequential", "Model", "Input", "layers", "models", "ops", "activations"}),
    "models": frozenset({"Sequential", "Model"}),
    "layers": frozenset(KERAS_LAYERS) | frozenset(MERGE_FUNCTIONS) | {"Input", "InputLayer", "Layer"},
}


def starred(src: "SourceFile", node: cst.CSTNode) -> set[str]:
    """``{"keras.layers.Dense"}`` for an unbound ``Dense`` (or ``Dense.x``) under ``from keras.layers import *``
    (the last such import that binds it, as Python reads them)."""
    head, dotted = node, []
    while isinstance(head, cst.Attribute):
        dotted.insert(0, head.attr.value)
        head = head.value
    if not isinstance(head, cst.Name) or not star_modules(src):
        return set()
    scope = src.scope(head)
    if scope is None or scope[head.value]:
        return set()
    # A later star import binds the name again: ``from tensorflow.keras.layers import *`` after
    # ``from tensorflow.python.keras.layers import *`` makes ``Dense`` the second one's, not the first's.
    for module in reversed(star_modules(src)):
        if head.value in star_exports(module):
            return {".".join([module, head.value, *dotted])}
    return set()


def foreign_star(src: "SourceFile") -> bool:
    """Whether the module star-imports a module that is not Keras' (``from resnets_utils import *``),
    which may bind any name the file reads and never binds."""
    for statement in src.module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar):
                module = cst.Module([]).code_for_node(small.module) if small.module else ""
                if not any(module == root or module.startswith(root + ".") for root in ROOTS):
                    return True
    return False


def star_modules(src: "SourceFile") -> tuple[str, ...]:
    if src.star_modules is None:
        found = []
        lines = [statement for statement in src.module.body if isinstance(statement, cst.SimpleStatementLine)]
        for statement in lines:
            for small in statement.body:
                if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar) and small.module:
                    module = cst.Module([]).code_for_node(small.module)
                    # A Keras 2 internal path too (``tensorflow.python.keras.layers``): what it binds
                    # is then known by that path, which the parsers refuse by name.
                    if any(module == root or module.startswith(root + ".") for root in (*ROOTS, *LEGACY_ROOTS)):
                        found.append(module)
        src.star_modules = tuple(found)
    return src.star_modules


def star_exports(module: str) -> frozenset[str]:
    """The names ``from <module> import *`` is known to bind, for a Keras module."""
    # The internal paths first: ``keras.src.layers`` is no ``keras`` module ``src.layers``.
    root = next((root for root in (*LEGACY_ROOTS, *ROOTS) if module == root or module.startswith(root + ".")), None)
    return frozenset() if root is None else _EXPORTS.get(module[len(root) + 1 :], frozenset())
