"""Layer tables and parameter counts of a built model, as report values."""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..report import LayerRow, ModelSummary, Shape
from .build import Sites
from .trace import Call


def kind(layer: Any) -> str:
    return type(layer).__name__


def params(weights: Sequence[Any]) -> int:
    return sum(math.prod(w.shape) for w in weights)


def summarize(
    name: str, model: Any, calls: list[Call], sites: Sites, input_shapes: list[Shape]
) -> ModelSummary:
    seen: set[int] = set()
    rows = []
    for number, call in enumerate(calls, start=1):
        rows.append(
            LayerRow(
                call=number,
                name=call.layer.name,
                kind=kind(call.layer),
                output_shapes=tuple(_without_batch(a) for a in call.outputs),
                params=params(call.layer.weights),
                shared=id(call.layer) in seen,
                location=sites.location(call.layer),
            )
        )
        seen.add(id(call.layer))
    trainable = params(model.trainable_weights)
    frozen = params(model.non_trainable_weights)
    return ModelSummary(
        name=name,
        kind=kind(model),
        location=sites.location(model),
        input_shapes=tuple(input_shapes),
        rows=tuple(rows),
        total_params=trainable + frozen,
        trainable_params=trainable,
        non_trainable_params=frozen,
    )


def _without_batch(array: np.ndarray) -> Shape:
    return (None, *array.shape[1:]) if array.ndim else ()
