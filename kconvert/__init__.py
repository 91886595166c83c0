"""kconvert: convert Keras models between Sequential, Functional and subclassed styles.

The public API; everything else is internal.  Only ``verify`` loads TensorFlow,
and only in a worker subprocess.

>>> import kconvert
>>> source = "import keras\\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\\n"
>>> [(m.name, m.style.value) for m in kconvert.parse(source)]
[('model', 'sequential')]
>>> print(kconvert.convert(source, to="functional"), end="")
import keras
inputs = keras.Input(shape=(4,))
outputs = keras.layers.Dense(2)(inputs)
model = keras.Model(inputs=inputs, outputs=outputs)
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api import ConversionError, convert, convert_file, emit, parse, verify
    from .parse import ModelInfo
    from .types import Diagnostic, Style
    from .verify import ModelReport, Verdict, VerifyReport, Worker

# Where each public name lives.  They are imported on first use, so that
# `kconvert --version` and `--help` do not pay for libcst and black.
_LAZY = {
    "ConversionError": "api",
    "convert": "api",
    "convert_file": "api",
    "emit": "api",
    "from_saved": "api",
    "parse": "api",
    "verify": "api",
    "ModelInfo": "parse",
    "Diagnostic": "types",
    "Style": "types",
    # The verifier's worker (one TensorFlow process for many verify() calls) and its report.
    "Worker": "verify",
    "VerifyReport": "verify",
    "ModelReport": "verify",
    "Verdict": "verify",
}


class _Package(types.ModuleType):
    """The package, with its public names as properties.

    A property of the module's class wins over the module's attributes, which
    matters for ``convert``, ``parse`` and ``verify``: importing the submodule
    of that name makes Python set ``kconvert.<name>`` to the submodule, and the
    public function must stay what ``kconvert.<name>`` means.
    """


def _public(name: str, module: str) -> property:
    def get(package):
        overridden = package.__dict__.get(f"_override_{name}")
        if overridden is not None:
            return overridden
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)

    def set_(package, value):
        if not isinstance(value, types.ModuleType):  # a test's monkeypatch, not the import system
            package.__dict__[f"_override_{name}"] = value

    def delete(package):
        package.__dict__.pop(f"_override_{name}", None)

    return property(get, set_, delete, f"kconvert.{module}.{name}")


for _name, _module in _LAZY.items():
    setattr(_Package, _name, _public(_name, _module))
sys.modules[__name__].__class__ = _Package

__all__ = [
    "ConversionError",
    "Diagnostic",
    "ModelInfo",
    "ModelReport",
    "Style",
    "Verdict",
    "VerifyReport",
    "Worker",
    "convert",
    "convert_file",
    "emit",
    "from_saved",
    "parse",
    "verify",
]

__version__ = "0.1.0"
