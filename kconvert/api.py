"""The library API: plain functions over source text and paths.

>>> import kconvert
>>> source = '''
... import keras
... model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
... '''
>>> print(kconvert.convert(source, to="functional"))
<BLANKLINE>
import keras
inputs = keras.Input(shape=(4,))
outputs = keras.layers.Dense(2)(inputs)
model = keras.Model(inputs=inputs, outputs=outputs)
<BLANKLINE>

Nothing here imports TensorFlow except ``verify``, which runs the models in a
separate worker process.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .convert import convert_source
from .emit import EMITTERS
from .emit.context import EmitContext, EmitRefusal, Symbols
from .files import read_text, write_atomic
from .ir.graph import Graph
from .parse import ModelInfo, find_models
from .types import Converted, Diagnostic, Options, Style

if TYPE_CHECKING:
    from .verify import VerifyReport


class ConversionError(Exception):
    """A conversion that could not be done; ``diagnostics`` says where and why."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(diagnostic.render() for diagnostic in self.diagnostics))


def _options(model: str | None, input_shape, class_name: str | None = None) -> Options:
    shape = tuple(input_shape) if input_shape is not None else None
    return Options(model=model, input_shape=shape, class_name=class_name)


def convert(
    source: str,
    to: str | Style,
    *,
    model: str | None = None,
    input_shape: Sequence[int | None] | None = None,
    class_name: str | None = None,
    path: str = "<string>",
) -> str:
    """``source`` with its models rewritten in style ``to``; raises ``ConversionError``."""
    result = convert_source(source, Style.parse(str(to)), _options(model, input_shape, class_name), path)
    if not isinstance(result, Converted):
        raise ConversionError(result.diagnostics)
    return result.source


def convert_file(
    path: str | Path,
    to: str | Style,
    *,
    write: bool = False,
    model: str | None = None,
    input_shape: Sequence[int | None] | None = None,
    class_name: str | None = None,
) -> str:
    """Converts a file; with ``write=True`` replaces it atomically. Returns the new text."""
    path = Path(path)
    text = read_text(path)
    if isinstance(text, Diagnostic):
        raise ConversionError((text,))
    new = convert(text, to, model=model, input_shape=input_shape, class_name=class_name, path=str(path))
    if write and new != text:
        write_atomic(path, new)
    return new


def parse(source: str) -> list[ModelInfo]:
    """The models ``source`` defines: name, style, line, IR graph (or the problem)."""
    found = find_models(source)
    if isinstance(found, Diagnostic):
        raise ConversionError((found,))
    return found


def emit(graph: Graph, style: str | Style, *, target: str = "model") -> str:
    """Standalone code for ``graph`` in ``style``, spelled with ``import keras`` names."""
    emitter = EMITTERS[Style.parse(str(style))]
    try:
        return emitter(graph, EmitContext(target, Symbols()))
    except EmitRefusal as refusal:
        raise ConversionError((refusal.diagnostic,)) from None


def verify(original: str | Path, converted: str | Path, **options) -> "VerifyReport":
    """Builds both files' models in TensorFlow (in a worker process) and compares them."""
    from .verify import verify_files

    return verify_files(original, converted, **options)
