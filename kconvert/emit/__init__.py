"""IR → source: one emitter per style, each a pure function of a graph and its context."""

from __future__ import annotations

from ..ir.graph import Graph
from ..types import Diagnostic, Style
from .context import EmitContext, EmitRefusal, Symbols
from .functional import emit_functional
from .functional_subclass import emit_functional_subclass
from .sequential.model import emit_sequential
from .subclass.model import emit_subclass
from .subclass.block import emit_subclass_with_blocks

EMITTERS = {
    Style.FUNCTIONAL: emit_functional,
    Style.SEQUENTIAL: emit_sequential,
    Style.SUBCLASS: emit_subclass_with_blocks,
    Style.FUNCTIONAL_SUBCLASS: emit_functional_subclass,
}

__all__ = [
    "EMITTERS",
    "emit_functional",
    "emit_functional_subclass",
    "emit_sequential",
    "emit_standalone",
    "emit_subclass",
    "emit_subclass_with_blocks",
]


def emit_standalone(graph: Graph, style: Style, target: str = "model") -> str | Diagnostic:
    """Code for ``graph`` alone, spelled as with ``import keras``, or why ``style`` cannot hold it."""
    try:
        return EMITTERS[style](graph, EmitContext(target, Symbols()))
    except EmitRefusal as refusal:
        return refusal.diagnostic
