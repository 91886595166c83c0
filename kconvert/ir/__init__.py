"""The layer-graph IR shared by every parser and emitter."""

from .graph import Arg, Call, Code, Define, Graph, Input, LayerDef, Loc, Node, Op, Stmt
from .control import Carried, Cond, Loop
from .model_parts import Method, Param, Setup

__all__ = [
    "Arg", "Call", "Carried", "Code", "Cond", "Define", "Graph", "Input", "LayerDef", "Loc", "Loop", "Node", "Op",
    "Method", "Param", "Setup", "Stmt",
]
