"""A saved config's values written back as the Python that makes them.

Plain JSON becomes literals (lists become tuples, as Keras wrote them before
saving); a serialized Keras object (``{"module": "keras.initializers",
"class_name": "HeNormal", "config": {...}}``) becomes its constructor call with
only the arguments that differ from its defaults; an object Keras does not
know becomes a call of its registered name, which the module must import
(collected in ``Customs``).  What has no source form (a Lambda's bytecode, a
NumPy array) is a ``SavedModelProblem``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from ..known_layers import KERAS_LAYERS
from . import defaults
from .names import is_generated
from .problems import SavedModelProblem

KERAS_MODULE = re.compile(r"keras(\.src)?(\.(?P<tail>\w+))?(\.[\w.]+)?")
NO_SOURCE = {
    "__lambda__": "a Lambda layer's function is saved as bytecode",
    "__numpy__": "the config holds a NumPy array",
    "__bytes__": "the config holds raw bytes",
    "__typespec__": "the config holds a TensorFlow type spec",
}


# Modules whose classes keras exports under the same path.
PUBLIC_MODULES = frozenset({None, "layers", "initializers", "regularizers", "constraints", "models", "dtype_policies"})
# Initializers people name by string (``kernel_initializer="he_normal"``) when every argument is the default.
NAMED_INITIALIZERS = {
    f"initializers.{name}": alias
    for name, alias in {
        "GlorotNormal": "glorot_normal", "GlorotUniform": "glorot_uniform", "HeNormal": "he_normal",
        "HeUniform": "he_uniform", "LecunNormal": "lecun_normal", "LecunUniform": "lecun_uniform",
        "Ones": "ones", "Zeros": "zeros", "Orthogonal": "orthogonal",
    }.items()
}


@dataclass(frozen=True)
class Custom:
    """A class or function the config names and kconvert cannot know: the module must import it."""

    name: str
    module: str | None
    registered: str | None


@dataclass
class Customs:
    found: dict[str, Custom] = field(default_factory=dict)

    def add(self, name: str, module: object, registered: object) -> str:
        if not name.isidentifier():
            raise SavedModelProblem(f"the config names a custom object `{name}`, which is not a Python name")
        where = module if isinstance(module, str) and module not in ("__main__", "builtins") else None
        kept = registered if isinstance(registered, str) and ">" in registered else None
        self.found.setdefault(name, Custom(name, where, kept))
        return name


def literal(value: object, customs: Customs) -> str:
    """``value`` (JSON from a saved config) as a Python expression."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f'float("{value}")'
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        items = [literal(item, customs) for item in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, dict):
        if "class_name" in value and "config" in value:
            return keras_object(value, customs)
        pairs = ", ".join(f"{_string(str(key))}: {literal(item, customs)}" for key, item in value.items())
        return "{" + pairs + "}"
    raise SavedModelProblem(f"the config holds a value kconvert cannot read: {value!r:.60}")


def keras_object(value: dict, customs: Customs) -> str:
    """A serialized object as a constructor call (or a function as its name)."""
    class_name, config = value.get("class_name"), value.get("config")
    if class_name in NO_SOURCE:
        raise SavedModelProblem(
            f"{NO_SOURCE[class_name]}; kconvert writes source code and cannot write that",
            "replace it with a layer or function defined in code, save again, then convert",
        )
    if class_name == "__tuple__" and isinstance(config, dict):
        return literal(list(config.get("value") or []), customs)
    if not isinstance(class_name, str):
        raise SavedModelProblem("the config holds an object without a class name")
    if class_name == "function":
        # A function a layer was given: Keras' own are saved as their names, so this one is the user's.
        if not isinstance(config, str):
            raise SavedModelProblem("the config names a function without its name")
        # A registered one is saved as "package>name"; the module must bind the bare name.
        return customs.add(config.rsplit(">", 1)[-1], value.get("module"), config if ">" in config else None)
    callee, public = callee_of(value, customs)
    if not isinstance(config, dict):
        raise SavedModelProblem(f"the config of `{class_name}` is not a mapping of its arguments")
    written = arguments(config, public, class_name, customs)
    if not written and public in NAMED_INITIALIZERS:
        return _string(NAMED_INITIALIZERS[public])
    return f"{callee}({call_arguments(written)})"


def callee_of(value: dict, customs: Customs) -> tuple[str, str | None]:
    """How the module spells the object's class, and its public path below ``keras.`` if Keras has it."""
    class_name, module = value["class_name"], value.get("module")
    if module is None and class_name in KERAS_LAYERS:
        module = "keras.layers"  # a legacy .h5 config names its layers without their module
    match = KERAS_MODULE.fullmatch(module) if isinstance(module, str) else None
    registered = value.get("registered_name")
    custom = isinstance(registered, str) and registered != class_name and ">" in registered
    if match is None or custom:
        return customs.add(class_name, module, registered), None
    tail = match.group("tail")
    if tail not in PUBLIC_MODULES:
        raise SavedModelProblem(
            f"the config holds `{class_name}` from {module}, which Keras saves but does not export"
            " (a keras.ops function called on a tensor is one)",
            "wrap the operation in a layer of its own, or keep the model's source",
        )
    public = f"{tail}.{class_name}" if tail not in (None, "models") else class_name
    if tail == "layers" and class_name not in KERAS_LAYERS:
        raise SavedModelProblem(
            f"the config names the layer class `{class_name}`, which keras.layers does not have",
            "this model needs a newer Keras, or a custom layer of this name: register it and save again",
        )
    return f"keras.{public}", public


def arguments(config: dict, public: str | None, class_name: str, customs: Customs) -> list[tuple[str | None, str]]:
    """A config's arguments as (keyword or None for positional, source), without the class's defaults."""
    parts = []
    for key, item in config.items():
        if not isinstance(key, str) or not key.isidentifier():
            raise SavedModelProblem(f"the config of `{class_name}` has the argument {key!r}, not a Python name")
        if key == "name" and is_generated(item, class_name):
            continue
        if public is not None and defaults.is_default(public, key, item):
            continue
        parts.append((key, literal(item, customs)))
    # The required arguments first and without keywords, as people write them; a given name last.
    first = defaults.required(public) if public is not None else ()
    written = [(None, text) for wanted in first for key, text in parts if key == wanted]
    if len(written) < len(first):
        written = []
    written += [(key, text) for key, text in parts if key not in first[: len(written)] and key != "name"]
    return written + [(key, text) for key, text in parts if key == "name"]


def call_arguments(pairs: list[tuple[str | None, str]]) -> str:
    return ", ".join(text if key is None else f"{key}={text}" for key, text in pairs)


def _string(text: str) -> str:
    # A JSON string literal without ASCII escaping is a Python string literal of the same text.
    return json.dumps(text, ensure_ascii=False)
