"""Recognising Keras names however the file imported Keras.

libcst's ``QualifiedNameProvider`` turns ``tf.keras.layers.Dense``, ``keras.layers.Dense``,
``layers.Dense`` and an imported ``Dense`` into one dotted name; this module strips the
Keras root (``keras`` or ``tensorflow.keras``) from it and says what the rest means.
"""

from __future__ import annotations

from dataclasses import dataclass

from .known_layers import KERAS_LAYERS, MERGE_FUNCTIONS

ROOTS = ("tensorflow.keras", "keras")
LEGACY_ROOTS = ("tensorflow.python.keras", "tensorflow.compat.v1.keras", "tensorflow.contrib.keras", "keras.src")

SEQUENTIAL = frozenset({"Sequential", "models.Sequential"})
MODEL = frozenset({"Model", "models.Model"})
INPUT = frozenset({"Input", "layers.Input"})
INPUT_LAYER = frozenset({"layers.InputLayer", "InputLayer"})
# Modules whose functions work on symbolic Keras tensors.
TENSOR_FUNCTION_MODULES = ("ops.", "activations.", "backend.", "layers.")


@dataclass(frozen=True)
class KerasName:
    """A dotted name inside Keras: ``root`` is the import path, ``path`` the rest."""

    root: str
    path: str

    @property
    def last(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def is_layer_class(self) -> bool:
        return self.path.startswith("layers.") and self.last[:1].isupper()

    @property
    def is_known_layer(self) -> bool:
        return self.is_layer_class and self.last in KERAS_LAYERS

    @property
    def is_merge_function(self) -> bool:
        return self.path.startswith("layers.") and self.last in MERGE_FUNCTIONS

    @property
    def is_tensor_function(self) -> bool:
        return self.path.startswith(TENSOR_FUNCTION_MODULES) and not self.is_layer_class


def split_keras(dotted: str) -> KerasName | None:
    """``tensorflow.keras.layers.Dense`` -> KerasName("tensorflow.keras", "layers.Dense")."""
    for root in ROOTS:
        if dotted.startswith(root + "."):
            rest = dotted[len(root) + 1 :]
            if rest.startswith("src.") or rest.startswith("python."):
                return None
            return KerasName(root, rest)
    return None


def is_legacy(dotted: str) -> bool:
    """Import paths of Keras 2 internals that Keras 3 no longer has."""
    return any(dotted == root or dotted.startswith(root + ".") for root in LEGACY_ROOTS)


def pick(names: set[str]) -> KerasName | None:
    """The Keras reading of a node's qualified names, if it has one."""
    for dotted in sorted(names):
        found = split_keras(dotted)
        if found is not None:
            return found
    return None
