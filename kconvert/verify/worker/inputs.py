"""Seeded inputs shaped like a model's inputs.

Shapes come from the model when it knows them (Functional and Sequential models
hold symbolic inputs: one, a list, or a dict by name), else from the caller's
``input_shape``, else from the shape a subclassed model was built or first called
with in the file (``model.build((None, 20))``, ``model(x)``), or from Keras 2's
``input_length`` of the Embedding a Sequential starts with. A Sequential whose
first layer is a model built beforehand takes that model's inputs. A batch size
the model declares (``Input(batch_shape=(32, 10))``, needed by stateful RNNs) is
kept; otherwise the batch is ``BATCH``; a None axis after it is given each length of
``FREE_DIMS`` in turn until the models take one. Values are seeded
normals rather than ones, so that a swapped or missing operation shows. An input
feeding an ``Embedding(input_dim=V)`` gets integers in [0, V) instead, and a
string input (a ``TextVectorization`` front) seeded sentences of ``WORDS``.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import keras
import numpy as np

BATCH = 4
# What stands in for None dimensions after the batch (variable-length sequences): short first,
# longer when a model cannot take it (a Conv1D stack with pooling needs a hundred steps or more).
FREE_DIMS = (8, 256)
INT_HIGH = 10  # range of integer inputs that feed no Embedding
# Common words, so that an adapted vocabulary sees known tokens as well as unknown ones.
WORDS = (
    "the",
    "a",
    "cat",
    "dog",
    "sat",
    "ran",
    "on",
    "mat",
    "and",
    "far",
    "away",
    "zebra",
)


@dataclass(frozen=True)
class Spec:
    shape: tuple[int | None, ...]  # batch dimension first
    dtype: str
    high: int | None = None  # draw integers in [0, high) when set


def model_spec(model: Any) -> Any | None:
    """The structure of Specs of a Functional or built Sequential model, else None."""
    graph = (
        getattr(model, "_functional", None) or model
    )  # Sequential keeps a Functional
    structure = getattr(graph, "_inputs_struct", None)
    if structure is None:
        return None
    # ``inputs=[x]``: a graph model unpacks a list of one (Keras' ``unpack_singleton``), so the
    # tensor itself is what every style takes, a subclass converted from it included.
    if isinstance(structure, (list, tuple)) and len(structure) == 1:
        structure = structure[0]
    return keras.tree.map_structure(_tensor_spec, structure)


def built_spec(model: Any) -> Any | None:
    """The Spec a subclassed model was built with in the file, if any.

    For a Sequential never built, whose first layer is a model: that model's.
    """
    shapes = getattr(model, "_build_shapes_dict", None) or {}
    if len(shapes) == 1:
        return _shape_spec(next(iter(shapes.values())))
    first = (
        model.layers[0]
        if isinstance(model, keras.Sequential) and model.layers
        else None
    )
    if isinstance(first, keras.Model):
        return model_spec(first) or built_spec(first)
    return None


def keras2_spec(model: Any, input_length: Callable[[Any], int | None]) -> Spec | None:
    """The input a Sequential starting with ``Embedding(..., input_length=n)`` had in
    Keras 2, which built it on ``(None, n)``; Keras 3 drops the argument."""
    if not isinstance(model, keras.Sequential) or not model.layers:
        return None
    first = model.layers[0]
    length = input_length(first)
    if not isinstance(first, keras.layers.Embedding) or length is None:
        return None
    return Spec((None, length), "int32", first.input_dim)


def given_spec(shape: Sequence[int | None]) -> Spec:
    return Spec(tuple(shape), "float32")


def with_embedding(spec: Any, first_layer: Any) -> Any:
    """A single float input that goes straight into an Embedding takes integers."""
    if isinstance(spec, Spec) and isinstance(first_layer, keras.layers.Embedding):
        return Spec(spec.shape, "int32", first_layer.input_dim)
    return spec


def zeros(spec: Any, free: int) -> Any:
    # Zeros are valid for every input, Embedding indices included: used to build.
    def one(s: Spec) -> np.ndarray:
        if s.dtype == "string":
            return np.full(_concrete(s.shape, free), "", dtype=object)
        return np.zeros(_concrete(s.shape, free), s.dtype)

    return keras.tree.map_structure(one, spec)


def draw(spec: Any, seed: int, free: int) -> Any:
    rng = np.random.default_rng(seed)

    def one(s: Spec) -> np.ndarray:
        shape = _concrete(s.shape, free)
        if s.dtype == "string":
            picks = rng.integers(0, len(WORDS), (*shape, 4))
            text = [" ".join(WORDS[i] for i in words) for words in picks.reshape(-1, 4)]
            return np.array(text, dtype=object).reshape(shape)
        if s.high is not None:
            return rng.integers(0, s.high, shape).astype(s.dtype)
        return rng.standard_normal(shape).astype(s.dtype)

    return keras.tree.map_structure(one, spec)


def shapes(spec: Any) -> list[tuple[int | None, ...]]:
    return [s.shape for s in keras.tree.flatten(spec)]


def has_free(spec: Any) -> bool:
    """Whether some input has a None dimension after the batch."""
    return any(None in shape[1:] for shape in shapes(spec))


def _concrete(shape: tuple[int | None, ...], free: int) -> tuple[int, ...]:
    batch = BATCH if not shape or shape[0] is None else shape[0]
    return (batch, *(free if d is None else d for d in shape[1:]))


def _tensor_spec(tensor: Any) -> Spec:
    dtype = str(tensor.dtype)
    history = getattr(tensor, "_keras_history", None)
    consumers = (
        [node.operation for node in history.operation._outbound_nodes]
        if history
        else []
    )
    limits = [c.input_dim for c in consumers if isinstance(c, keras.layers.Embedding)]
    if limits:
        return Spec(
            tuple(tensor.shape), dtype if "int" in dtype else "int32", min(limits)
        )
    return Spec(tuple(tensor.shape), dtype, INT_HIGH if "int" in dtype else None)


def _shape_spec(shape: Any) -> Any | None:
    # ``numbers.Integral``: a file that builds on ``(None, X.shape[1] // 2)`` or ``np.prod(...)``
    # gives numpy integers, which Keras keeps as they are.
    if isinstance(shape, (list, tuple)) and all(
        d is None or isinstance(d, numbers.Integral) for d in shape
    ):
        return Spec(tuple(None if d is None else int(d) for d in shape), "float32")
    if isinstance(shape, dict):
        return {key: _shape_spec(value) for key, value in shape.items()}
    if isinstance(shape, (list, tuple)):
        return [_shape_spec(value) for value in shape]
    return None
