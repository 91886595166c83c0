"""Comparing the configurations of paired layers: what equal outputs cannot show.

In inference mode ``Dropout(0.1)`` and ``Dropout(0.9)`` compute the same thing,
and so do two BatchNormalization layers of different momentum; ``get_config()``
tells them apart. Each pair the matcher made is compared once, key by key.

Left out, because they differ between styles without changing the model:

* ``name`` at every level (``dense_3`` here is ``dense`` there, or ``self.head``);
* ``input_shape``, ``batch_input_shape`` and ``build_config``, which depend on
  how the model was built (an ``Input``, ``input_shape=`` or a first call); the
  ``build_config`` of a layer inside another's config too (``Bidirectional``'s
  ``layer``), which records the batch of a first call;
* a nested model's own config, which is its topology for a Sequential or
  Functional block and its constructor's arguments for a subclass: the same
  block in two styles has two unrelated configs (a wrapper's ``layer`` too, when it
  wraps a model: ``TimeDistributed(word_model)``). Only ``trainable`` is kept;
  instead, every sublayer of a nested model or custom layer is compared as a
  multiset of configurations, whatever order its style creates them in; a
  block of the file's own (``trace.is_block``: a class a subclass writes for a
  helper function, whose layers the Functional form lists flat) is compared
  through its layers, as a nested model is;
* the code of a ``Lambda`` (its bytecode records the file and line it was
  compiled from); what it computes is compared through outputs instead.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from .match import Matcher, label
from .summary import kind
from .trace import is_block

_ALWAYS_IGNORED = frozenset({"name"})
_LAYER_IGNORED = frozenset({"input_shape", "batch_input_shape", "build_config"})
_NESTED_IGNORED = _ALWAYS_IGNORED | {"build_config"}
_SHOWN = 60  # characters of a value shown in a reason


@dataclass(frozen=True)
class Mismatch:
    """One configuration key that differs between two paired layers."""

    reason: str
    key: str
    original_value: str
    converted_value: str
    original: int  # call indexes
    converted: int


def config_mismatches(matcher: Matcher) -> list[Mismatch]:
    """The first differing key of each pair of layers, in the converted model's call order."""
    found = []
    seen: set[tuple[int, int]] = set()
    for index, paired in sorted({**matcher.loose, **matcher.pairs}.items()):
        converted = matcher.calls[index].layer
        original = matcher.graph.calls[paired].layer
        if (id(original), id(converted)) in seen:
            continue  # a shared layer: compared at its first call
        seen.add((id(original), id(converted)))
        difference = _layer_difference(original, converted)
        if difference is not None:
            key, value_o, value_c = difference
            names = [label(original), label(converted)]
            reason = (
                f"{names[0]}: {key} is {value_o} in original, {value_c} in converted"
                if names[0] == names[1]
                else f"{names[0]} has {key} {value_o} in original, "
                f"{names[1]} has {value_c} in converted"
            )
            found.append(Mismatch(reason, key, value_o, value_c, paired, index))
    return found


def _layer_difference(original: Any, converted: Any) -> tuple[str, str, str] | None:
    own = _difference(_config(original), _config(converted), "")
    if own is not None:
        return own
    inner = [_sublayers(layer) for layer in (original, converted)]
    if inner[0] == inner[1]:
        return None
    counts = [Counter(configs) for configs in inner]
    left = sorted((counts[0] - counts[1]).elements())
    right = sorted((counts[1] - counts[0]).elements())
    if left and right:
        # The first unmatched sublayer of each side, of the same class if there is one.
        first = left[0]
        other = next((c for c in right if c[0] == first[0]), right[0])
        if other[0] == first[0]:
            found = _difference(
                json.loads(first[1]), json.loads(other[1]), f"{first[0]}."
            )
            if found is not None:
                return found
        return "sublayer", first[0], other[0]
    extra = (left or right)[0][0]
    return (
        "sublayers",
        f"one more {extra}" if left else "-",
        "-" if left else f"one more {extra}",
    )


def _config(layer: Any) -> Any:
    if isinstance(layer, keras.Model):
        return {"trainable": layer.trainable}
    try:
        config = layer.get_config()
    except Exception:  # a custom layer without a usable get_config: outputs decide
        return None
    ignored = _LAYER_IGNORED | _ALWAYS_IGNORED
    if isinstance(getattr(layer, "layer", None), keras.Model):
        # A wrapper of a nested model (``TimeDistributed(word_model)``): the model's config is its
        # style's, like a nested model's own; its layers are compared as sublayers.
        ignored |= {"layer"}
    return {k: _plain(v) for k, v in config.items() if k not in ignored}


def _sublayers(layer: Any) -> list[tuple[str, str]]:
    """Every layer inside ``layer`` as (class, canonical config), sorted: order-free."""
    inner = layer._flatten_layers(include_self=False, recursive=True)
    found: list[tuple[str, str]] = []
    for sub in inner:
        # A nested model is a Functional model in one style and a class in another, and a block
        # of layers a Layer class in a subclass and flat in a graph: only their layers, which
        # are among ``inner`` too, are compared.
        if isinstance(sub, (keras.layers.InputLayer, keras.Model)) or is_block(sub):
            continue
        entry = (kind(sub), json.dumps(_config(sub), sort_keys=True, default=str))
        # A weightless layer called twice computes what two of its kind compute (match.py): a
        # Sequential lists a new one for the second pass (Keras saves one object listed twice once).
        if sub.weights or entry not in found:
            found.append(entry)
    return sorted(found)


def _plain(value: Any) -> Any:
    """``value`` made of dicts, lists, numbers and strings, without names or code."""
    if isinstance(value, dict):
        if value.get("class_name") == "__lambda__":
            return "<lambda>"
        return {k: _plain(v) for k, v in value.items() if k not in _NESTED_IGNORED}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, keras.layers.Layer):
        return {"layer": kind(value), "config": _config(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return f"<{type(value).__name__}>"  # an object only its identity describes


def _difference(a: Any, b: Any, path: str) -> tuple[str, str, str] | None:
    """The first key (dotted path) where two plain configs differ, with both values."""
    if a is None or b is None:
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            if key not in a or key not in b:
                return (
                    f"{path}{key}",
                    _show(a.get(key, "<missing>")),
                    _show(b.get(key, "<missing>")),
                )
            found = _difference(a[key], b[key], f"{path}{key}.")
            if found is not None:
                return found
        return None
    if _same(a, b):
        return None
    return path.rstrip(".") or "config", _show(a), _show(b)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a == b or math.isclose(a, b, rel_tol=1e-9) or (a != a and b != b)
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return _difference(a, b, "") is None
    return type(a) is type(b) and a == b


def _show(value: Any) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
