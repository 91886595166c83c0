"""IR → source: one emitter per style, each a pure function of a graph and its context."""

from __future__ import annotations

from ..types import Style
from .functional import emit_functional
from .sequential import emit_sequential
from .subclass import emit_subclass

EMITTERS = {
    Style.FUNCTIONAL: emit_functional,
    Style.SEQUENTIAL: emit_sequential,
    Style.SUBCLASS: emit_subclass,
}

__all__ = ["EMITTERS", "emit_functional", "emit_sequential", "emit_subclass"]
