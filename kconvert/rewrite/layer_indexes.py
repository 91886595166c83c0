"""``model.layers[1]`` after a model whose style changes: the same layer at its new position.

A Functional model lists its ``InputLayer`` first; a Sequential model does not list the
one it makes.  The layer that Sequential code reaches as ``model.layers[1]`` is then
``model.layers[2]`` once the model is Functional, and the other way round, as a person
converting by hand would renumber it.  A subclass lists its layers in the order its
constructor assigns them, which need not be the order they are called in, so no
position is carried from one.  A Sequential chain of layers made where they are listed
keeps its positions in the subclass written from it, whose constructor makes them in
that order, one attribute each.  Counted from the end (``layers[-2]``), positions do
not move.
"""

from __future__ import annotations

import re

import libcst as cst

from ..ir.graph import Graph
from ..ir.nodes import Call, Input
from ..ir.op_layers import expression_layers
from ..ir.source_text import Loc
from ..parse.source import SourceFile
from ..types import Style

GRAPHS = (Style.FUNCTIONAL, Style.FUNCTIONAL_SUBCLASS)
_INDEXED = re.compile(r"\.layers\[(\d+)\]$")


def index_shift(source: Style, target: Style, graph: Graph | None = None) -> int | None:
    """How far a layer's position from the start moves, or None when it is not carried."""
    if target is Style.SEQUENTIAL and graph is not None and expression_layers(graph):
        # A layer written for each expression between layers (``ir/op_layers.py``) moves the rest.
        return None
    if source is Style.SEQUENTIAL and target is Style.SUBCLASS and graph is not None and _listed_in_order(graph):
        return 0
    if Style.SUBCLASS in (source, target):
        return None
    return (target in GRAPHS) - (source in GRAPHS)


def _listed_in_order(graph: Graph) -> bool:
    """Each layer made in the list and called once, in a plain chain: the subclass's ``__init__``
    makes them in that order, and none in ``build()`` (a layer whose arguments read a shape) or
    in a list (a loop) or a block, which ``layers`` would count otherwise."""
    calls = [node for node in graph.body if not isinstance(node, Input)]
    return (
        not graph.blocks
        and all(isinstance(node, Call) for node in calls)
        and all(layer.binding == "inline" and not layer.reads_tensors for layer in graph.layers)
        and len({call.layer for call in calls}) == len(calls) == len(graph.layers)
    )


def position(what: str) -> int | None:
    """``1`` for the use ``model.layers[1]``, None for any other use."""
    match = _INDEXED.search(what)
    return int(match.group(1)) if match else None


def reindex(src: SourceFile, module: cst.Module, moves: dict[Loc, int]) -> cst.Module:
    """``module`` with each ``<model>.layers[i]`` that starts at a location of ``moves`` renumbered."""
    return module.visit(_Reindex(src, moves)) if moves else module


class _Reindex(cst.CSTTransformer):
    def __init__(self, src: SourceFile, moves: dict[Loc, int]) -> None:
        self.src = src
        self.moves = moves

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.Subscript:
        try:
            new = self.moves.get(self.src.loc(original))
        except KeyError:
            # A node kconvert wrote: no use of a model's layers by position.
            return updated
        if new is None:
            return updated
        (element,) = updated.slice
        index = element.slice.with_changes(value=cst.Integer(str(new)))
        return updated.with_changes(slice=[element.with_changes(slice=index)])
