"""``kconvert from-saved``: a complete Python module that builds the model a saved file holds.

The reader (``parse/saved``) lifts the file's config into IR graphs; the
emitters write them, nested models in the style they were saved in and the
saved model in the style asked for; this module puts them together with the
imports, the custom objects the user must provide, and, with ``weights``, the
line that loads the file's weights.  Results are values: ``Converted`` with
the module as ``source``, or ``Refused`` with one diagnostic.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import black

from .emit import EMITTERS
from .emit.context import EmitContext, EmitRefusal, Symbols
from .emit.helper_function import helper_function
from .emit.subclass.block import block_classes
from .ir.graph import Graph
from .ir.nodes import Input
from .ir.source_text import Arg, Code
from .parse.saved import Custom, Lifted, Part, SavedModelProblem, lift, model_entry, read_saved
from .types import Converted, Diagnostic, Refused, Style

if TYPE_CHECKING:
    from .verify import VerifyReport, Worker


def source_from_saved(
    path: str | Path,
    to: Style = Style.FUNCTIONAL,
    *,
    name: str = "model",
    weights: bool = False,
    input_shape: tuple[int | None, ...] | None = None,
) -> Converted | Refused:
    """The module for the model saved at ``path``; ``input_shape`` (no batch axis) for a model saved unbuilt."""
    path = Path(path)
    try:
        saved = read_saved(path)
        lifted = lift(saved.config, saved.keras_version, name)
    except SavedModelProblem as problem:
        return Refused((problem.diagnostic(str(path)),))
    except RecursionError:
        return Refused((Diagnostic(1, 1, "this model nests too deeply for kconvert", "", str(path)),))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        # The reader checks the shapes it relies on; a value of a wrong type deeper down lands here.
        message = "the saved config is damaged: it is not in the form Keras 3 writes"
        return Refused((Diagnostic(1, 1, message, "save the model again with model.save('model.keras')", str(path)),))
    if input_shape is not None:
        lifted = _with_input_shape(lifted, input_shape)
    if weights and saved.container == "json":
        hint = "give the .keras or .h5 file the model was saved to, or leave out --weights"
        return Refused((Diagnostic(1, 1, "a JSON config holds no weights to load", hint, str(path)),))
    code = _models(lifted, to, name, path.stem, weights)
    if isinstance(code, Diagnostic):
        return Refused((code.at(str(path)),))
    lines = [f'"""The model saved in {path.name}, written out by kconvert from-saved."""', "", "import keras"]
    lines += _custom_imports(lifted.customs)
    lines += ["", "", code]
    if weights:
        lines.append(f"{name}.load_weights({_quoted(str(path))})")
    mode = black.Mode(magic_trailing_comma=False)
    source = black.format_str("\n".join(lines) + "\n", mode=mode)
    return Converted(source, notes=_notes(lifted, lifted.customs, str(path)))


def _models(lifted: Lifted, to: Style, name: str, stem: str, weights: bool) -> str | Diagnostic:
    taken = frozenset({"keras", name, *(part.variable for part in lifted.parts), *(c.name for c in lifted.customs)})
    # A block's name is a module-level function; its parameters are a loop's variables there.
    blocks_made = [block for part in lifted.parts if part.folded is not None for block in part.folded.blocks]
    taken |= {block.name for block in blocks_made} | {param.name for block in blocks_made for param in block.graph.params}
    blocks = []
    for part in lifted.parts:
        if part.graph is None:
            blocks.append(f"{part.variable} = {part.call}\n")
            continue
        style = to if part.variable == name else part.style
        # A tensor must not take the name of a layer bound to a variable: later calls still need it.
        bound = {layer.name for layer in part.graph.layers if layer.name}
        # The file's name is the last source of a class name, after the model's own name.
        ctx = EmitContext(part.variable, Symbols(), reserved=(taken | bound) - {part.variable}, module=stem)
        graph = _folded_if_it_fits(part, style, weights, ctx)
        if style in (Style.FUNCTIONAL, Style.FUNCTIONAL_SUBCLASS):
            blocks += [helper_function(block, ctx) for block in graph.blocks]
        try:
            blocks.append(EMITTERS[style](graph, ctx))
        except EmitRefusal as refusal:
            return refusal.diagnostic
    return "\n".join(blocks)


def _folded_if_it_fits(part: Part, style: Style, weights: bool, ctx: EmitContext) -> Graph:
    """The part's graph with its repeated blocks as helpers where ``style`` can write them.

    A Sequential list has no helpers.  A subclass writes each block as a Layer, which nests
    its layers: the saved weights, stored layer by layer, would no longer load with
    ``load_weights``, so with ``weights`` its layers stay flat.
    """
    folded = part.folded
    if folded is None or not folded.blocks or style is Style.SEQUENTIAL:
        return part.graph
    if style is Style.SUBCLASS and (weights or len(block_classes(folded, ctx)) < len(folded.blocks)):
        return part.graph
    return folded


def _with_input_shape(lifted: Lifted, shape: tuple[int | None, ...]) -> Lifted:
    """Gives the saved model's shapeless input (a Sequential saved before it was built) ``shape``."""
    main = lifted.parts[-1]
    if main.graph is None:
        return lifted
    written = "(" + "".join(f"{size}, " for size in shape).rstrip(" ") + ")"
    body = tuple(
        replace(node, args=(Arg(Code(written), "shape"),)) if isinstance(node, Input) and not node.args else node
        for node in main.graph.body
    )
    return replace(lifted, parts=(*lifted.parts[:-1], replace(main, graph=replace(main.graph, body=body))))


def _custom_imports(customs: tuple[Custom, ...]) -> list[str]:
    if not customs:
        return []
    lines = ["", "# kconvert cannot know these custom objects the saved config names: this module needs them"]
    lines.append("# importable under these names (the module they came from, or yours).")
    for custom in customs:
        module = custom.module or "custom_objects"
        registered = f"  # registered as {custom.registered!r}" if custom.registered else ""
        lines.append(f"from {module} import {custom.name}{registered}")
    return lines


def _notes(lifted: Lifted, customs: tuple[Custom, ...], path: str) -> tuple[Diagnostic, ...]:
    notes = []
    if customs:
        names = ", ".join(f"`{custom.name}`" for custom in customs)
        notes.append(
            Diagnostic(
                1, 1, f"the model uses custom objects kconvert cannot know: {names}",
                "the written module imports them; make those imports find your code", path, "warning",
            )
        )
    main = lifted.parts[-1]
    if main.graph is None:
        notes.append(
            Diagnostic(
                1, 1, f"the model is of its own class; it is written as `{main.call.split('(')[0]}(**config)`",
                "kconvert cannot see inside a subclass's call(); the module imports the class", path, "warning",
            )
        )
    return tuple(notes)


def _quoted(text: str) -> str:
    # A JSON string is a Python string literal, double-quoted as black writes it.
    return json.dumps(text, ensure_ascii=False)


def verify_saved(
    path: str | Path, source: str, *, name: str = "model", timeout: float = 300, worker: "Worker | None" = None
) -> "VerifyReport":
    """Builds ``source`` and ``keras.models.load_model(path)`` in the TensorFlow worker and compares them.

    ``path`` must be one ``source_from_saved`` read without a problem.
    """
    from .verify import verify_sources

    saved = read_saved(Path(path))
    if saved.container == "json":
        # A config without weights: Keras builds it from the JSON, and the verifier copies the weights across.
        wrapped = json.dumps(model_entry(saved.config))
        loader = f"import keras\n\n{name} = keras.models.model_from_json({_quoted(wrapped)})\n"
    else:
        loader = f"import keras\n\n{name} = keras.models.load_model({_quoted(str(Path(path).resolve()))})\n"
    return verify_sources(
        loader, source, original_path=str(path), converted_path=f"{path} (written out)", model=name, timeout=timeout,
        worker=worker,
    )
