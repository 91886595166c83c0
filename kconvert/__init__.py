"""kconvert: convert Keras models between Sequential, Functional and subclassed styles.

The public API; everything else is internal.
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
