"""Which Keras names emitted code spells, and which imports to add or may remove.

The spelling itself is the file's (``parse/spelling.py``); this module turns it
into the ``Symbols`` an emitter writes and the import requests the rewriter applies.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst

from ..emit.context import Symbols, registers
from ..emit.subclass.build import builds_by_shape, builds_on_inputs, builds_on_zeros
from ..ir.graph import Graph
from ..ir.layer_makers import layer_makers
from ..ir.nodes import Input
from ..ir.op_layers import expression_layers
from ..ir.reads import only_imports
from ..ir.source_text import Loc
from ..parse.keras_names import KERAS2
from ..parse.known_layers import MERGE_LAYERS
from ..parse.names_in import bound_names, identifiers
from ..parse.source import SourceFile
from ..parse.spelling import HOMES, ImportRequest, module_bindings, spell
from ..types import Diagnostic, Style

__all__ = [
    "ImportRequest", "imports_read", "lacking", "layer_classes", "merge_classes", "symbols_for", "symbols_used"
]


def symbols_for(
    src: SourceFile, root: str, in_time: Callable[[str], bool] | None = None
) -> tuple[Symbols, dict[str, ImportRequest]]:
    """Spellings of the symbols emitted code needs, and the import each would need if used.

    ``in_time``: whether a name the module imports is bound where the new code reads it, for code
    that reads its names as soon as it runs (a class, a script's graph code): ``tf.keras.Model``
    when ``from tensorflow.keras import Model`` comes only further down. Only a spelling the file
    already has is taken so; one that needs an import keeps the late one, which is refused at
    that import (rewrite/class_imports.py)."""
    every = module_bindings(src.module)
    early = tuple(bound for bound in every if in_time is None or in_time(bound.local))
    taken = _bound_otherwise(src.module)
    spelled = {}
    for symbol in HOMES:
        spelled[symbol] = spell(early, root, symbol, taken)
        if spelled[symbol][1] is not None:
            spelled[symbol] = spell(every, root, symbol, taken)
    if root == "tensorflow.keras":
        # ``tf.keras`` (Keras 3's ``keras._tf_keras.keras``) has no ``saving`` attribute; its ``utils``
        # has the same ``register_keras_serializable``, as Keras 2's ``tf.keras.utils`` had (Keras 2's
        # own package, ``tf_keras``, has ``saving``).
        spelled["saving"] = spelled["utils"]
    del spelled["utils"]
    symbols = Symbols(
        input=spelled["Input"][0],
        model=spelled["Model"][0],
        sequential=spelled["Sequential"][0],
        ops=spelled["ops"][0],
        saving=spelled["saving"][0],
        layer=spelled["Layer"][0],
        layers=spelled["layers"][0],
        activation=spelled["Activation"][0],
        reshape=spelled["Reshape"][0],
    )
    requests = {symbol: request for symbol, (_, request) in spelled.items() if request is not None}
    return symbols, requests


def _bound_otherwise(module: cst.Module) -> frozenset[str]:
    """Names the module's top-level statements bind other than by importing (a class, an assignment)."""
    return frozenset(name for statement in module.body if not only_imports(statement) for name in bound_names(statement))


def imports_read(src: SourceFile, statements) -> set[ImportRequest]:
    """The imports whose names ``statements`` read: candidates for removal once replaced."""
    names: set[str] = set()
    for statement in statements:
        names |= identifiers(statement)
    # A star import binds more than kconvert knows of: it is never a candidate for removal.
    return {
        bound.request
        for bound in module_bindings(src.module)
        if bound.local in names and bound.request.name != "*"
    }


def symbols_used(graph: Graph, target: Style) -> set[str]:
    has_input = any(isinstance(node, Input) and node.args and node.factory is None for node in graph.walk())
    used = {"Input"} if has_input else set()
    if target is Style.FUNCTIONAL and graph.base is None:
        used.add("Model")
    elif target is Style.SEQUENTIAL:
        used |= {"Sequential"} | expression_layers(graph)
    elif target is Style.SUBCLASS:
        used = {"Model", "Input"} if builds_on_inputs(graph) and not builds_by_shape(graph) else {"Model"}
        if builds_on_zeros(graph):
            used = {"Model", "ops"}
        used.add("saving")
        if graph.base is not None:
            used.discard("Model")
        if graph.blocks:
            used.add("Layer")
        used |= merge_classes(graph)
    elif target is Style.FUNCTIONAL_SUBCLASS:
        used |= {"saving"} if graph.base is not None else {"Model", "saving"}
    if target in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS) and layer_makers(graph):
        # ``from_config`` looks a saved layer class up by name among Keras' layers (emit/serializable.py).
        used.add("layers")
    if any(registers(method) for method in graph.methods):
        # The source class's own registration is kept (emit/serializable.py).
        used.discard("saving")
    return used | graph.symbols


def lacking(root: str, used: set[str], target: Style, loc: Loc) -> Diagnostic | None:
    """Why the ``target`` code cannot be written in the Keras of ``root``: it needs ``ops`` (a
    stateful RNN's subclass is built on ``keras.ops.zeros``), which Keras 2's ``tf_keras`` lacks."""
    if root != KERAS2 or "ops" not in used:
        return None
    return Diagnostic(
        loc.line,
        loc.col,
        f"the {target} form of this model needs `keras.ops`, which `tf_keras`, the Keras 2 package, does not have",
        "keep this model in its style, or move the file to Keras 3 (`import keras`) to convert it",
    )


def layer_classes(statements, symbols: Symbols) -> set[str]:
    """``{"Layer"}`` when the emitted ``statements`` define a Layer class: a loop's pass becomes
    a block only while the subclass is written (ir/loop_blocks.py), so the graph does not say."""
    for statement in statements:
        bases = statement.bases if isinstance(statement, cst.ClassDef) else ()
        if any(cst.Module([]).code_for_node(base.value) == symbols.layer for base in bases):
            return {"Layer"}
    return set()


def merge_classes(graph: Graph) -> set[str]:
    """The merge layer classes (``Concatenate``) a subclass of ``graph`` makes where the source
    called their helper (``concatenate([a, b])``), in the model or in one of its blocks: graph code
    keeps the helper, a subclass makes the layer once in ``__init__`` and needs its class."""
    graphs = [graph, *(block.graph for block in graph.blocks)]
    return {
        layer.factory.text
        for each in graphs
        for layer in each.layers
        if layer.function is not None and layer.factory is not None and layer.factory.text in MERGE_LAYERS.values()
    }
