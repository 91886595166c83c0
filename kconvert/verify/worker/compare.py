"""Perturbing weights, comparing outputs, and finding where two forward passes part.

The original's constant weights get seeded noise first (zero biases and fresh
BatchNormalization statistics would hide a missing bias or a misplaced
normalisation); ``match`` then copies them across as the converted model runs.

First difference: the converted model's calls are walked in call order, which is
an order of its dataflow. A call paired with an original call (same class and
weights, same input tensors) is blamed when its outputs differ, as is a weight
problem (sharing, a missing counterpart) at a call. A call that pairs with
nothing and whose outputs are no tensor of the original is a wiring difference
(a dropped, added or moved layer): it is blamed with the original call that reads
the same tensors instead. Unpaired calls that change nothing (``layers.Add()`` in
one model, ``x + y`` in the other) are not differences. Then come the original's
weighted calls that the converted model never made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from .graph import alike, numeric
from .match import Matcher, label
from .trace import Call


@dataclass(frozen=True)
class Tolerance:
    atol: float
    rtol: float


@dataclass(frozen=True)
class Found:
    reason: str
    original: int | None  # call indexes
    converted: int | None
    max_abs_diff: float | None = None


def perturb(model: Any, seed: int) -> None:
    """Seeded noise on every constant weight (zeros, ones); random ones need none."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        if "float" not in str(weight.dtype):
            continue
        value = keras.ops.convert_to_numpy(weight)
        if value.size == 0 or value.min() != value.max():
            continue
        noisy = value + 0.1 * rng.standard_normal(value.shape, dtype=np.float32)
        if "variance" in weight.name:
            noisy = np.abs(noisy) + 0.5  # a variance must stay positive
        weight.assign(noisy.astype(value.dtype))


def close(
    converted: list[np.ndarray], original: list[np.ndarray], tol: Tolerance
) -> tuple[bool, float | None]:
    """numpy allclose semantics with the original as reference; also the largest |diff|."""
    if len(converted) != len(original) or any(
        c.shape != o.shape for c, o in zip(converted, original)
    ):
        return False, None
    biggest = 0.0
    for c, o in zip(converted, original):
        if not (numeric(c) and numeric(o)):  # strings: equal or not, no distance
            biggest = max(biggest, 0.0 if np.array_equal(c, o) else float("inf"))
        elif c.size:
            diff = np.abs(c.astype(np.float64) - o.astype(np.float64))
            diff[np.isnan(c) & np.isnan(o)] = 0.0
            biggest = max(biggest, float(np.max(diff)))
    same = all(alike(c, o, tol.atol, tol.rtol) for c, o in zip(converted, original))
    return same, biggest


def shape_text(arrays: list[np.ndarray]) -> str:
    return ", ".join(str((None, *a.shape[1:])) for a in arrays) or "nothing"


def first_difference(matcher: Matcher, tol: Tolerance) -> Found | None:
    """The first call where the two forward passes part ways (None if none does)."""
    problems = {p.converted: p for p in matcher.problems if p.converted is not None}
    missing = {
        p.original: p
        for p in matcher.problems
        if p.converted is None and p.original is not None
    }
    original = matcher.graph.calls
    for call in matcher.calls:
        if call.index in problems:
            problem = problems[call.index]
            return Found(problem.reason, problem.original, call.index)
        paired = matcher.pairs.get(call.index)
        if paired is not None:
            found = compare_calls(original[paired], call, tol)
            if found is not None:
                return found
        elif not all(key in matcher.mapped for key in call.results):
            facing = matcher.facing(call)
            if facing is None:
                reason = f"{label(call.layer)} has no counterpart in original"
            elif facing in missing:
                reason = missing[facing].reason
            else:
                reason = (
                    f"converted calls {label(call.layer)} where original calls "
                    f"{label(original[facing].layer)}"
                )
            return Found(reason, facing, call.index)
    if not missing:
        return None
    first = min(missing)
    return Found(missing[first].reason, first, None)


def compare_calls(
    original: Call, converted: Call, tol: Tolerance, mode: str = ""
) -> Found | None:
    """Why two paired calls' outputs differ (``mode`` says in which pass), or None."""
    same, biggest = close(converted.outputs, original.outputs, tol)
    if same:
        return None
    inputs_agree, _ = close(converted.inputs, original.inputs, tol)
    if biggest is None:
        what = (
            f"has output shape {shape_text(original.outputs)} in original, "
            f"{shape_text(converted.outputs)} in converted"
        )
    elif inputs_agree:
        what = f"gives different outputs{mode} on the same inputs"
    else:
        what = f"is called on different inputs{mode} (wired differently)"
    return Found(
        f"{label(original.layer)} {what}", original.index, converted.index, biggest
    )
