"""Which of a saved config's arguments a Keras class would have anyway.

The table ``layer_defaults.json`` is written by ``scripts/layer_defaults.py``
from the installed Keras (converting never imports it) and checked against
Keras by ``tests/test_saved_defaults.py``.  A class the table does not know
keeps every argument: leaving one out is only safe when its value is known to
be the default.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("layer_defaults.json")
# Keys a saved config carries that no constructor needs spelled out.
BOOKKEEPING = frozenset({"shared_object_id"})


@lru_cache(maxsize=1)
def _classes() -> dict[str, dict]:
    return json.loads(TABLE.read_text(encoding="utf-8"))["classes"]


def known(public: str) -> bool:
    """Whether the table knows ``layers.Dense`` (a public path below ``keras.``)."""
    return public in _classes()


def is_default(public: str, key: str, value: object) -> bool:
    defaults = _classes().get(public, {}).get("defaults")
    if defaults is None and public.startswith("layers."):
        # Every Keras layer hands ``trainable`` and ``dtype`` to the base Layer, whose defaults hold for it.
        defaults = _classes()["layers.Layer"]["defaults"]
    return defaults is not None and key in defaults and normal(value) == defaults[key]


def required(public: str) -> tuple[str, ...]:
    """The class's required arguments in signature order: written positionally (``Dense(64)``)."""
    return tuple(_classes().get(public, {}).get("required", ()))


def normal(value: object) -> object:
    """The value as the table records it: no bookkeeping keys."""
    if isinstance(value, dict):
        return {key: normal(item) for key, item in value.items() if key not in BOOKKEEPING}
    if isinstance(value, list):
        return [normal(item) for item in value]
    return value
