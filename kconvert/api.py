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

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .config import with_black_settings
from .convert import convert_source
from .emit import emit_standalone
from .files import read_text, write_atomic
from .identifiers import class_name_problem
from .ir.graph import Graph
from .parse import ModelInfo, find_models
from .types import Converted, Diagnostic, Options, Style

if TYPE_CHECKING:
    from .verify import VerifyReport, Worker


class ConversionError(Exception):
    """A conversion that could not be done; nothing was written.

    ``diagnostics`` holds one ``Diagnostic`` per problem, each with ``line``,
    ``col`` (1-based), ``message``, ``hint`` and ``path``; ``str(error)``
    renders them as ``path:line:col: error: message (hint: ...)``.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(diagnostic.render() for diagnostic in self.diagnostics))


def _options(model: str | None, input_shape, class_name: str | None = None) -> Options:
    if class_name is not None and (problem := class_name_problem(class_name)) is not None:
        raise ValueError(f"class_name: {problem}")
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
    """``source`` with its models rewritten in style ``to``.

    ``to`` is ``"sequential"``, ``"functional"``, ``"subclass"`` or
    ``"functional-subclass"`` (or a ``Style``); ``model`` limits the conversion
    to one model (its variable, function or class name); ``input_shape``
    (without the batch axis) is for models whose source gives none; ``path``
    labels diagnostics, and its module name is the package an emitted class is
    registered under for saving.

    Raises ``ConversionError`` when a model cannot be written in that style;
    nothing is half-converted:

    >>> functional = '''
    ... import keras
    ... inputs = keras.Input(shape=(8,))
    ... a = keras.layers.Dense(4)(inputs)
    ... b = keras.layers.Dense(4)(inputs)
    ... model = keras.Model(inputs, keras.layers.add([a, b]))
    ... '''
    >>> try:
    ...     convert(functional, to="sequential", path="two_branches.py")
    ... except ConversionError as error:
    ...     first = error.diagnostics[0]
    ...     print(first.path, first.line, first.col)
    two_branches.py 5 5
    """
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
    """The converted text of the file at ``path``; with ``write=True`` the file is replaced too.

    The write is atomic (a temporary file in the same folder, then one rename),
    happens only when the text changed, and never when the conversion is
    refused: then ``ConversionError`` is raised and the file is untouched.
    A write that fails or is refused (a read-only file, a file changed since
    it was read, a full disk) raises ``ConversionError`` as well.
    Options are those of ``convert``.

    >>> import pathlib, tempfile
    >>> net = pathlib.Path(tempfile.mkdtemp()) / "net.py"
    >>> source = "import keras\\nmodel = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])\\n"
    >>> _ = net.write_text(source)
    >>> new = convert_file(net, "functional", write=True)
    >>> print(net.read_text(), end="")
    import keras
    inputs = keras.Input(shape=(3,))
    outputs = keras.layers.Dense(1)(inputs)
    model = keras.Model(inputs=inputs, outputs=outputs)
    """
    path = Path(path)
    text = read_text(path)
    if isinstance(text, Diagnostic):
        raise ConversionError((text,))
    options = with_black_settings(_options(model, input_shape, class_name), str(path))
    result = convert_source(text, Style.parse(str(to)), options, str(path))
    if not isinstance(result, Converted):
        raise ConversionError(result.diagnostics)
    new = result.source
    if write and new != text and (problem := write_atomic(path, new, expected=text)) is not None:
        raise ConversionError((problem,))
    return new


def parse(source: str, *, path: str = "<string>") -> list[ModelInfo]:
    """The models ``source`` defines, in source order.

    Each ``ModelInfo`` has the model's ``name``, ``style``, ``line`` and ``col``,
    and its IR ``graph`` (a ``kconvert.ir.Graph``) or, when kconvert cannot
    lift it, ``graph=None`` and the ``problem`` as a ``Diagnostic``.  Source
    that is not valid Python raises ``ConversionError``.  ``path`` names the
    source in those diagnostics.

    >>> models = parse("import keras\\nencoder = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\\n")
    >>> [(m.name, m.style.value, m.line) for m in models]
    [('encoder', 'sequential', 2)]
    >>> [layer.type_name for layer in models[0].graph.layers]
    ['Dense']
    """
    found = find_models(source)
    if isinstance(found, Diagnostic):
        raise ConversionError((found.at(path),))
    return [replace(info, problem=info.problem.at(path)) if info.problem else info for info in found]


def emit(graph: Graph, style: str | Style, *, target: str = "model") -> str:
    """Standalone code that builds ``graph`` in ``style`` and binds it to ``target``.

    Names are spelled as with ``import keras``; raises ``ConversionError``
    when the graph cannot be written in that style.

    >>> graph = parse("import keras\\nm = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])")[0].graph
    >>> print(emit(graph, "functional", target="net"), end="")
    inputs = keras.Input(shape=(4,))
    outputs = keras.layers.Dense(2)(inputs)
    net = keras.Model(inputs=inputs, outputs=outputs)
    """
    code = emit_standalone(graph, Style.parse(str(style)), target)
    if isinstance(code, Diagnostic):
        raise ConversionError((code,))
    return code


def from_saved(
    path: str | Path, to: str | Style = "functional", *, name: str = "model", weights: bool = False
) -> str:
    """The Python module that builds the model saved at ``path`` (``.keras``, ``.h5`` or ``to_json()``).

    Reads only the architecture, without TensorFlow. ``to`` is the style of the
    model (nested models keep the style they were saved in); ``name`` the
    module-level variable it is bound to; ``weights`` adds the line that loads
    the saved weights. Raises ``ConversionError`` for a file kconvert cannot
    read or a model the style cannot hold.
    """
    from .from_saved import source_from_saved

    if not name.isidentifier():
        raise ValueError(f"name: {name!r} is not a Python variable name")
    result = source_from_saved(path, Style.parse(str(to)), name=name, weights=weights)
    if not isinstance(result, Converted):
        raise ConversionError(result.diagnostics)
    return result.source


def verify(
    original: str | Path,
    converted: str | Path,
    *,
    model: str | None = None,
    input_shape: Sequence[int | None] | None = None,
    atol: float = 1e-4,
    rtol: float = 1e-4,
    timeout: float = 300,
    worker: "Worker | None" = None,
) -> "VerifyReport":
    """Builds the models of both files in TensorFlow and compares them.

    TensorFlow runs in a worker subprocess; this process never imports it.
    ``input_shape`` is the full shape ``model.build`` takes, batch first, for
    subclassed models the file never builds.  The report's ``verdict`` is
    ``equivalent``, ``different`` or ``error``, ``reasons`` says why, and
    ``render()`` draws it as a table::

        report = kconvert.verify("net.py", "net_functional.py")
        if report.verdict != "equivalent":
            print(report.render())

    Each call starts TensorFlow anew unless it is given a ``kconvert.Worker``,
    which keeps one TensorFlow process for every call made with it::

        with kconvert.Worker() as worker:
            reports = [kconvert.verify(a, b, worker=worker) for a, b in pairs]
    """
    from .verify import verify_files

    shape = tuple(input_shape) if input_shape is not None else None
    return verify_files(
        original, converted, model=model, input_shape=shape, atol=atol, rtol=rtol, timeout=timeout, worker=worker
    )
