"""Regenerate kconvert/parse/saved/layer_defaults.json from the installed Keras.

For each class of ``keras.layers`` (and the initializers, regularizers and
constraints a layer's config names), its required arguments in signature order
(written positionally) and the config its ``get_config()`` writes for every
argument left at its default.  Each class is made twice, with two
different sets of values for its required arguments; an entry is kept only
when both agree, and when changing an optional int or tuple argument
(``pool_size``) leaves it alone, so no default that depends on another argument
is recorded.
A class that cannot be made from simple values is left out: its arguments are
then all kept.  ``tests/test_saved_defaults.py`` checks the table against Keras.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import keras

TARGET = Path(__file__).resolve().parent.parent / "kconvert" / "parse" / "saved" / "layer_defaults.json"
MODULES = ("layers", "initializers", "regularizers", "constraints")
NOT_CLASSES = {"Input", "InputSpec", "Wrapper", "Initializer", "Regularizer", "Constraint"}
# Two values for each required argument a class may have.
REQUIRED = {
    "units": (3, 5),
    "filters": (3, 5),
    "kernel_size": (2, 3),
    "rate": (0.25, 0.5),
    "target_shape": ((6,), (2, 3)),
    "dims": ((1,), (1,)),
    "n": (2, 3),
    "num_heads": (2, 3),
    "key_dim": (4, 6),
    "output_dim": (4, 6),
    "input_dim": (7, 9),
    "stddev": (0.1, 0.2),
    "height": (8, 10),
    "width": (8, 10),
    "factor": (0.1, 0.2),
    "l1": (0.01, 0.02),
    "l2": (0.01, 0.02),
    "value": (1.0, 2.0),
    "num_tokens": (4, 6),
    "num_bins": (4, 6),
    "output_size": (2, 3),
    "scale": (0.5, 2.0),
    "axes": (1, 1),
    "function": (None, None),
    "max_value": (1.0, 2.0),
    "ref_value": (1.0, 2.0),
    "activation": ("relu", "tanh"),
    # Wrappers: a fresh layer each time, made when the class is.
    "layer": (lambda: keras.layers.LSTM(2), lambda: keras.layers.LSTM(3)),
}


def made(cls, choice: int, changed: dict | None = None):
    """The config of ``cls`` made with its required arguments' ``choice`` and the ``changed`` optional ones."""
    needed = dict(changed or {})
    for parameter in inspect.signature(cls.__init__).parameters.values():
        if parameter.name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.default is inspect.Parameter.empty:
            if parameter.name not in REQUIRED:
                return None
            value = REQUIRED[parameter.name][choice]
            needed[parameter.name] = value() if callable(value) else value
    try:
        return cls(**needed).get_config(), set(needed) - set(changed or {})
    except Exception:  # a class that needs more than simple values: left out of the table
        return None


def normal(value):
    """JSON as the saved config holds it: tuples are lists, shared-object ids dropped."""
    value = json.loads(json.dumps(keras.saving.serialize_keras_object(value)))
    return _strip(value)


def _strip(value):
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items() if key != "shared_object_id"}
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value


def defaults_of(cls) -> dict | None:
    first, second = made(cls, 0), made(cls, 1)
    if first is None or second is None:
        return None
    (config_a, required), (config_b, _) = first, second
    order = [name for name in inspect.signature(cls.__init__).parameters if name in required]
    kept = {}
    for key, value in config_a.items():
        if key in required or key == "name" or key not in config_b:
            continue
        a, b = normal(value), normal(config_b[key])
        if a == b:
            kept[key] = a
    for key in _dependent(cls, config_a):
        kept.pop(key, None)
    return {"required": order, "defaults": kept}


def _dependent(cls, config: dict) -> set[str]:
    """Config keys whose value follows another optional argument (``MaxPooling2D``'s ``strides``
    is its ``pool_size`` when left out): such a value is no default, whatever it is alone."""
    found = set()
    for parameter in inspect.signature(cls.__init__).parameters.values():
        other = _other_value(parameter.default)
        if other is None:
            continue
        changed = made(cls, 0, {parameter.name: other})
        if changed is None:
            continue
        for key, value in changed[0].items():
            if key != parameter.name and key in config and normal(value) != normal(config[key]):
                found.add(key)
    return found


def _other_value(default):
    """A different value of the same kind as an int or tuple-of-ints default, or None."""
    if isinstance(default, bool) or default is inspect.Parameter.empty:
        return None
    if isinstance(default, int):
        return default + 1
    if isinstance(default, tuple) and default and all(isinstance(item, int) and not isinstance(item, bool) for item in default):
        return tuple(item + 1 for item in default)
    return None


def table() -> dict:
    found = {}
    for module in MODULES:
        namespace = getattr(keras, module)
        for name in sorted(dir(namespace)):
            cls = getattr(namespace, name)
            if name[:1].isupper() and name not in NOT_CLASSES and inspect.isclass(cls):
                defaults = defaults_of(cls)
                if defaults is not None:
                    found[f"{module}.{name}"] = defaults
    return {"keras_version": keras.__version__, "classes": found}


def main() -> None:
    text = json.dumps(table(), indent=1, sort_keys=True) + "\n"
    if sys.argv[1:] == ["--print"]:
        sys.stdout.write(text)
    else:
        TARGET.write_text(text)


if __name__ == "__main__":
    main()
