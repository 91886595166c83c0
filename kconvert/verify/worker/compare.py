"""Matching two models' layers, copying weights across, and finding where they part.

Weights: the direct layer calls that own weights are aligned in call order by
(class, weight shapes). Aligned layers must correspond one to one
over all calls, so a layer shared (called twice) in one model must be shared in the
other. The original's constant weights get seeded noise first (zero biases and
fresh BatchNormalization statistics would hide a missing bias or a misplaced
normalisation), then all are copied across with ``set_weights``.

First difference: all direct calls are aligned by class name. Walking the
alignment in order, the first aligned pair whose outputs differ is blamed when its
inputs agree; when its inputs differ too, the blame goes to the unaligned calls
just before it (a missing ``Add``, a dropped or moved layer), if there are any.
Unaligned calls owning weights are always differences; weightless ones that change
nothing (``x + y`` in one model, ``layers.Add()`` in the other) are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np

from .align import align
from .summary import kind
from .trace import Call

ORIGINAL, CONVERTED = 0, 1


@dataclass(frozen=True)
class Tolerance:
    atol: float
    rtol: float


@dataclass
class Matching:
    pairs: list[tuple[Any, Any]] = field(default_factory=list)  # (original, converted)
    # (ORIGINAL or CONVERTED, call index) -> what is wrong with the weights at that call
    problems: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    reason: str
    original: int | None  # call indexes
    converted: int | None
    max_abs_diff: float | None = None


def label(layer: Any) -> str:
    return f"{kind(layer)} '{layer.name}'"


def _weight_key(layer: Any) -> tuple[str, tuple[tuple[int, ...], ...]]:
    # A nested model is compared as a unit, whatever style it is written in.
    name = "Model" if isinstance(layer, keras.Model) else kind(layer)
    return name, tuple(tuple(w.shape) for w in layer.weights)


def _shapes(layer: Any) -> str:
    return ", ".join(str(tuple(w.shape)) for w in layer.weights)


def match_weights(original: list[Call], converted: list[Call]) -> Matching:
    found = Matching()
    weighted_o = [i for i, call in enumerate(original) if call.layer.weights]
    weighted_c = [j for j, call in enumerate(converted) if call.layer.weights]
    keys_o = [_weight_key(original[i].layer) for i in weighted_o]
    keys_c = [_weight_key(converted[j].layer) for j in weighted_c]
    forward: dict[int, Any] = {}
    backward: dict[int, Any] = {}
    for tag, a1, a2, b1, b2 in align(keys_o, keys_c):
        for step in range(max(a2 - a1, b2 - b1)):
            i = weighted_o[a1 + step] if a1 + step < a2 else None
            j = weighted_c[b1 + step] if b1 + step < b2 else None
            lo = original[i].layer if i is not None else None
            lc = converted[j].layer if j is not None else None
            if tag == "equal":
                if id(lo) not in forward and id(lc) not in backward:
                    forward[id(lo)], backward[id(lc)] = lc, lo
                    found.pairs.append((lo, lc))
                    continue
                if forward.get(id(lo)) is lc:
                    continue  # shared in both models
                reason = _sharing(lo, lc, id(lo) in forward)
            elif lo is not None and lc is not None:
                reason = (
                    f"{label(lo)} has weights {_shapes(lo)} in original, "
                    f"{label(lc)} has {_shapes(lc)} in converted"
                )
            elif lo is not None:
                reason = f"{label(lo)} (weights {_shapes(lo)}) has no counterpart in converted"
            else:
                reason = f"{label(lc)} (weights {_shapes(lc)}) has no counterpart in original"
            if i is not None:
                found.problems[(ORIGINAL, i)] = reason
            if j is not None:
                found.problems[(CONVERTED, j)] = reason
    return found


def _sharing(lo: Any, lc: Any, original_repeats: bool) -> str:
    if original_repeats:
        return (
            f"original calls {label(lo)} again (one shared layer), "
            f"converted calls a separate layer, {label(lc)}"
        )
    return (
        f"converted calls {label(lc)} again (one shared layer), "
        f"original calls a separate layer, {label(lo)}"
    )


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


def copy_weights(matching: Matching) -> None:
    for original, converted in matching.pairs:
        converted.set_weights(original.get_weights())


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
        if c.size:
            diff = np.abs(c.astype(np.float64) - o.astype(np.float64))
            diff[np.isnan(c) & np.isnan(o)] = 0.0
            biggest = max(biggest, float(np.max(diff)))
    same = all(
        np.allclose(c, o, atol=tol.atol, rtol=tol.rtol, equal_nan=True)
        for c, o in zip(converted, original)
    )
    return same, biggest


def shape_text(arrays: list[np.ndarray]) -> str:
    return ", ".join(str((None, *a.shape[1:])) for a in arrays) or "nothing"


def first_difference(
    original: list[Call], converted: list[Call], matching: Matching, tol: Tolerance
) -> Found | None:
    """The first call where the two forward passes part ways (None if none does)."""
    pending: Found | None = None
    keys_o = [kind(call.layer) for call in original]
    keys_c = [kind(call.layer) for call in converted]
    for tag, i1, i2, j1, j2 in align(keys_o, keys_c):
        if tag != "equal":
            gap, owns_weights = _gap(original, converted, matching, (i1, i2, j1, j2))
            if owns_weights:
                return gap
            pending = pending or gap
            continue
        for i, j in zip(range(i1, i2), range(j1, j2)):
            problem = matching.problems.get((ORIGINAL, i)) or matching.problems.get(
                (CONVERTED, j)
            )
            if problem:
                return Found(problem, i, j)
            same, biggest = close(converted[j].outputs, original[i].outputs, tol)
            if same:
                pending = None
                continue
            inputs_agree, _ = close(converted[j].inputs, original[i].inputs, tol)
            if not inputs_agree and pending is not None:
                return pending
            if biggest is None:
                what = (
                    f"has output shape {shape_text(original[i].outputs)} in original, "
                    f"{shape_text(converted[j].outputs)} in converted"
                )
            elif inputs_agree:
                what = "gives different outputs on the same inputs"
            else:
                what = "is called on different inputs (wired differently)"
            return Found(f"{label(original[i].layer)} {what}", i, j, biggest)
    return pending


def _gap(
    original: list[Call],
    converted: list[Call],
    matching: Matching,
    span: tuple[int, int, int, int],
) -> tuple[Found, bool]:
    """What unaligned calls amount to, and whether one of them owns weights."""
    i1, i2, j1, j2 = span
    facing_o = i1 if i1 < len(original) else None
    facing_c = j1 if j1 < len(converted) else None
    for i in range(i1, i2):
        if (ORIGINAL, i) in matching.problems:
            j = j1 + (i - i1) if j1 + (i - i1) < j2 else facing_c
            return Found(matching.problems[(ORIGINAL, i)], i, j), True
    for j in range(j1, j2):
        if (CONVERTED, j) in matching.problems:
            i = i1 + (j - j1) if i1 + (j - j1) < i2 else facing_o
            return Found(matching.problems[(CONVERTED, j)], i, j), True
    if i2 > i1 and j2 > j1:
        reason = (
            f"call {i1 + 1}: original calls {label(original[i1].layer)}, "
            f"converted calls {label(converted[j1].layer)}"
        )
    elif i2 > i1:
        reason = f"{label(original[i1].layer)} (call {i1 + 1}) has no counterpart in converted"
    else:
        reason = f"{label(converted[j1].layer)} (call {j1 + 1}) has no counterpart in original"
    return Found(reason, facing_o, facing_c), False
