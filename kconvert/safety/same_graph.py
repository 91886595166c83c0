"""Reading the converted file back must give the models the original had.

Each model's structure (``ir/structure.py``: layers, their arguments, the
tensors each call reads, loops and conditions) is compared with helper blocks
written out, since one style keeps a helper call where another writes its
layers in place, or makes a Layer class of it (read back as a block here).  Models are compared as a multiset: a conversion may move a
model (a subclass's class goes before the line that makes it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import libcst as cst

from ..ir.graph import Block, Graph
from ..ir.structure import structure
from ..parse.builder import GraphBuilder, Refusal
from ..parse.finder import find_sites
from ..parse.layer_classes import layer_class_block
from ..parse.module_index import classes, defined_names, single_call_assignments
from ..parse.sequential_items import makes_model
from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from ..types import Options


def changed_model(
    source: SourceFile, before: list[ModelSite], after: SourceFile, options: Options
) -> tuple[ModelSite, str] | None:
    """The first original model the converted file no longer builds the same way, and how."""
    try:
        again = find_sites(after, options)
    except RecursionError:
        return before[0], "the converted file is too deeply nested to read back"
    known = {site.problem.message for site in before if site.problem is not None}
    problems = [site for site in again if site.problem is not None and site.problem.message not in known]
    if problems:
        first = problems[0]
        return _nearest(before, first), f"kconvert cannot read its own output back ({first.problem.message})"
    remaining = Counter(_key(site, after) for site in again if site.graph is not None)
    for site in before:
        if site.graph is None:
            continue
        key = _key(site, source)
        if remaining[key] == 0:
            # A subclass that nothing in the file builds reads back with no input shape: it takes
            # any, so it matches the same graph on a shaped input.
            key = _key(site, source, shapes=False)
        if remaining[key] == 0:
            return site, "reading the converted code back gives a different layer graph"
        remaining[key] -= 1
    if +remaining:
        return before[0], "the converted file has a model the original did not have"
    return None


def model_keys(src: SourceFile, options: Options = Options()) -> list[str]:
    """Every model of a file as the check compares it, sorted: equal lists, the same models."""
    return sorted(_key(site, src) for site in find_sites(src, options) if site.graph is not None)


def _key(site: ModelSite, src: SourceFile, shapes: bool = True) -> str:
    graph = _resolved(site, src)
    body, inputs, outputs, name = _without_batch(structure(graph, expand_helpers=True))
    if not shapes:
        body = tuple(("input", (), entry[2]) if entry[0] == "input" else entry for entry in body)
    # Where an Input is made does not matter (a subclass makes all of them first).
    body = tuple(sorted(entry for entry in body if entry[0] == "input")) + tuple(
        entry for entry in body if entry[0] != "input"
    )
    inputs = _sorted_keys(inputs)
    return repr((body, inputs, outputs, name))


def _sorted_keys(text: str) -> str:
    """A dict of inputs with its keys in order: Keras matches them by name, not position."""
    try:
        expr = cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return text
    if not isinstance(expr, cst.Dict):
        return text
    items = sorted(cst.Module([]).code_for_node(element).strip().rstrip(",") for element in expr.elements)
    return "({" + ", ".join(items) + "})"


def _resolved(site: ModelSite, src: SourceFile) -> Graph:
    """The graph with each layer made outside the model (``dense_1 = Dense(64)`` kept at module
    level because later code reads it) by the call that makes it, as if the model made it."""
    made = {**single_call_assignments(src.module), **single_call_assignments(site.block), **_init_locals(src, site)}
    layers = []
    for layer in site.graph.layers:
        call = made.get(layer.reference.text) if layer.binding == "external" and layer.reference else None
        if call is not None and _makes_layer(src, call):
            try:
                layer = replace(GraphBuilder(src).constructed_layer(call, "named", layer.name), id=layer.id)
            except Refusal:
                pass
        layers.append(layer)
    return replace(site.graph, layers=tuple(layers), blocks=site.graph.blocks + _layer_blocks(src, site.graph))


def _layer_blocks(src: SourceFile, graph: Graph) -> tuple[Block, ...]:
    """The file's own Layer classes the model makes layers of (``ResidualBlock(16)``), read as
    blocks, so that a helper written as a Layer class compares with the helper, layer by layer;
    and the classes those blocks make in turn (a helper that calls another helper)."""
    found: dict[str, Block] = {}
    graphs = [graph]
    while graphs:
        names = {layer.factory.text for layer in graphs.pop().layers if layer.factory is not None}
        for name in sorted(names - set(found)):
            block = layer_class_block(src, name) if name.isidentifier() else None
            if block is not None:
                found[name] = block
                graphs.append(block.graph)
    return tuple(found.values())


def _makes_layer(src: SourceFile, call: cst.Call) -> bool:
    """A call that makes a layer or a ready-made network (``keras.applications``), not a model
    the file builds itself: those are sites of their own, compared apart."""
    if makes_model(src, call):
        return False
    if isinstance(call.func, cst.Name):
        return call.func.value not in defined_names(src.module)
    return True


def _init_locals(src: SourceFile, site: ModelSite) -> dict[str, cst.Call]:
    """For a subclass, the locals of its ``__init__`` (``backbone = DenseNet121(...)``)."""
    for statement in classes(src.module).get(site.name, ()):
        for item in statement.body.body:
            if isinstance(item, cst.FunctionDef) and item.name.value == "__init__":
                return single_call_assignments(item.body)
    return {}


def _without_batch(item):
    """``batch_shape=(8, 5, 2)`` as ``shape=(5, 2)``.

    A stateful subclass is built on zeros of its full batch shape, which reads
    back as a shape and a batch of data; the batch size is the verifier's to check.
    """
    if isinstance(item, tuple) and len(item) == 3 and item[0] == "input" and isinstance(item[1], tuple):
        return ("input", tuple(_shape_arg(arg) for arg in item[1]), item[2])
    if isinstance(item, tuple):
        return tuple(_without_batch(part) for part in item)
    return item


def _shape_arg(arg: tuple) -> tuple:
    keyword, star, text = arg
    if keyword != "batch_shape":
        return arg
    try:
        shape = cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return arg
    if not isinstance(shape, (cst.Tuple, cst.List)) or not shape.elements:
        return arg
    rest = [cst.Module([]).code_for_node(element.value) for element in shape.elements[1:]]
    return ("shape", star, "((" + ", ".join(rest) + ("," if len(rest) == 1 else "") + "))")


def _nearest(sites: list[ModelSite], other: ModelSite) -> ModelSite:
    earlier = [site for site in sites if site.loc.line <= other.loc.line]
    return earlier[-1] if earlier else sites[0]
