"""Recognising Keras names however the file imported Keras.

libcst's ``QualifiedNameProvider`` turns ``tf.keras.layers.Dense``, ``keras.layers.Dense``,
``layers.Dense`` and an imported ``Dense`` into one dotted name; this module strips the
Keras root (``keras``, ``tensorflow.keras`` or ``tf_keras``) from it and says what the rest means.
``tf_keras`` is the Keras 2 package kept for TensorFlow Hub: the API kconvert reads is the same, but
it is another library than Keras 3, so a model cannot mix it with the others (``library``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .known_layers import KERAS2_LAYERS, KERAS_LAYERS, MERGE_FUNCTIONS, TF_KERAS_LAYERS

ROOTS = ("tensorflow.keras", "keras", "tf_keras")
# The root of the Keras 2 package; the others are Keras 3 (``tf.keras`` is Keras 3 in TensorFlow 2.16+).
KERAS2 = "tf_keras"
TF_KERAS = "tensorflow.keras"
LEGACY_ROOTS = ("tensorflow.python.keras", "tensorflow.compat.v1.keras", "tensorflow.contrib.keras", "keras.src")

SEQUENTIAL = frozenset({"Sequential", "models.Sequential"})
# and its Model (`from keras.engine.training import Model`).
MODEL = frozenset({"Model", "models.Model", "engine.Model", "engine.training.Model"})
# Keras 2.0 to 2.3 also exported Input from its engine (`from keras.engine import Input`), and
# Keras 2 from its models module (`from keras.models import Model, Input`).
INPUT = frozenset(
    {"Input", "layers.Input", "models.Input", "engine.Input", "engine.topology.Input", "engine.input_layer.Input"}
)
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
        legacy = {KERAS2: KERAS2_LAYERS, TF_KERAS: TF_KERAS_LAYERS}.get(self.root, frozenset())
        known = KERAS_LAYERS | legacy
        return self.is_layer_class and self.last in known

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


def library(dotted: str) -> str | None:
    """Which Keras package a dotted name belongs to: ``tf_keras``, ``keras`` (Keras 3, however it
    is reached) or None when it is no Keras name."""
    if dotted == KERAS2 or dotted.startswith(KERAS2 + "."):
        return KERAS2
    if dotted in ROOTS or split_keras(dotted) is not None:
        return "keras"
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
