"""Keras 2's module paths that Keras 3 removed, served as the modules their names live in now.

Keras 2 files import layers from where Keras 2 defined them
(``from keras.layers.convolutional import Conv2D``, ``keras.layers.advanced_activations``,
``keras.utils.np_utils``); Keras 3 exports the same names from ``keras.layers`` and
``keras.utils`` only, so such a file fails at its imports before any model code runs.
kconvert already reads ``layers.convolutional.Conv2D`` as ``Conv2D``; these aliases let
the worker build the file the same way. Only whole modules Keras 3 dropped are
served, and a name Keras 3 does not have (``keras.preprocessing.text.Tokenizer``)
still fails as it would: nothing is made up. Likewise two optimizer arguments of
Keras 2 that Keras 3 rejects, met in builders that compile their model: ``lr``, its
old name for ``learning_rate`` (``Adam(lr=0.001)``), is read as ``learning_rate``, and
``jit_compile`` (TF 2.11's way to compile the update step) is dropped; neither changes
the model the verifier compares.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from typing import Any, Sequence

_LAYER_MODULES = (
    "advanced_activations",
    "convolutional",
    "convolutional_recurrent",
    "core",
    "cudnn_recurrent",
    "dense_attention",
    "embeddings",
    "local",
    "merge",
    "noise",
    "normalization",
    "pooling",
    "recurrent",
    "wrappers",
)
_UTILS_MODULES = ("data_utils", "generic_utils", "layer_utils", "np_utils", "vis_utils")
ALIASES = {
    f"{root}.{package}.{module}": f"{root}.{package}"
    for root in ("keras", "tensorflow.keras")
    for package, modules in (("layers", _LAYER_MODULES), ("utils", _UTILS_MODULES))
    for module in modules
}


class _Alias(types.ModuleType):
    """A module whose every name is the one of the module it stands for."""

    def __init__(self, name: str, target: types.ModuleType) -> None:
        super().__init__(name)
        self._target = target
        self.__all__ = [n for n in dir(target) if not n.startswith("_")]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in ALIASES:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _Alias(spec.name, importlib.import_module(ALIASES[spec.name]))

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def serve_keras2_modules() -> None:
    """Last on the import path: a module Keras 3 still has is always its own."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.append(_Finder())
    _serve_lr()


def _serve_lr() -> None:
    import keras

    base = keras.optimizers.Optimizer
    if getattr(base.__init__, "_kconvert_lr", False):
        return
    original = base.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        if "lr" in kwargs:
            kwargs["learning_rate"] = kwargs.pop("lr")
        kwargs.pop("jit_compile", None)
        original(self, *args, **kwargs)

    init._kconvert_lr = True  # type: ignore[attr-defined]
    base.__init__ = init
