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

from .api import ConversionError, convert, convert_file, emit, parse, verify
from .parse import ModelInfo
from .types import Diagnostic, Style

__all__ = [
    "ConversionError",
    "Diagnostic",
    "ModelInfo",
    "Style",
    "convert",
    "convert_file",
    "emit",
    "parse",
    "verify",
]

__version__ = "0.1.0"
