"""The original model's forward pass as a dataflow graph: tensors, and the calls between.

A tensor is known by its ``id`` in the original's pass. It is a model input, the
output of a call (its *producer*), or made by an operation between calls
(``x + y``, ``tf.concat``), which no call records: such a tensor has no producer
and is known only from the calls that read it. ``find`` looks a tensor up by
value; the matcher uses it for tensors of the converted model whose identity
says nothing (made by an operation, or by a layer the original does not call).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .trace import Call, Pass


class Graph:
    """Tensors and calls of one pass, with who produces and who reads each tensor."""

    def __init__(self, run: Pass) -> None:
        self.calls: list[Call] = run.calls
        self.inputs: list[int] = run.input_ids
        self.values: dict[int, np.ndarray] = dict(zip(run.input_ids, run.inputs))
        self.producer: dict[int, int] = {}  # tensor -> call index
        self.readers: dict[int, list[int]] = {}  # tensor -> call indexes, in order
        made = {key for call in run.calls for key in call.results}
        for call in run.calls:
            # A Functional model casts an input to its declared dtype (int token ids
            # to float32): the cast is still that input.
            call.sources = [
                key if key in made else self._input_like(key, value)
                for key, value in zip(call.sources, call.inputs)
            ]
            for key, value in zip(call.sources, call.inputs):
                self.values.setdefault(key, value)
                self.readers.setdefault(key, []).append(call.index)
            for key, value in zip(call.results, call.outputs):
                self.values.setdefault(key, value)
                # A layer may hand back its input (Dropout in inference): it stays
                # the tensor of whoever made it first.
                self.producer.setdefault(key, call.index)
        for key, value in zip(run.output_ids, run.outputs):
            self.values.setdefault(key, value)
        self._by_shape: dict[tuple[Any, ...], list[int]] = {}
        for key, value in self.values.items():
            self._by_shape.setdefault(_signature(value), []).append(key)

    def find(self, value: np.ndarray, atol: float, rtol: float) -> int | None:
        """The tensor holding ``value`` (the latest made, if several do), else None."""
        for key in reversed(self._by_shape.get(_signature(value), [])):
            if alike(value, self.values[key], atol, rtol):
                return key
        return None

    def _input_like(self, key: int, value: np.ndarray) -> int:
        return next(
            (
                given
                for given in self.inputs
                if self.values[given].shape == value.shape
                and np.array_equal(self.values[given], value)
            ),
            key,
        )

    def readers_of(self, keys: list[int | None]) -> list[int]:
        """Calls reading any of ``keys``, in call order."""
        found = {
            i for key in keys if key is not None for i in self.readers.get(key, ())
        }
        return sorted(found)


def alike(a: np.ndarray, b: np.ndarray, atol: float, rtol: float) -> bool:
    """``np.allclose`` for numbers; equality for anything else (strings, booleans)."""
    if not (numeric(a) and numeric(b)):
        return a.shape == b.shape and bool(np.array_equal(a, b))
    return bool(np.allclose(a, b, atol=atol, rtol=rtol, equal_nan=True))


def numeric(a: np.ndarray) -> bool:
    return a.dtype.kind in "iuf"


def _signature(value: np.ndarray) -> tuple[Any, ...]:
    # Only same-shaped tensors can be one tensor; the dtype may differ (a cast).
    return value.shape
