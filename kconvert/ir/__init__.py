"""The layer-graph IR shared by every parser and emitter."""

from .graph import Arg, Call, Carried, Code, Cond, Define, Graph, Input, LayerDef, Loc, Loop, Node, Op, Stmt
from .model_parts import Method, Param, Setup

__all__ = [
    "Arg", "Call", "Carried", "Code", "Cond", "Define", "Graph", "Input", "LayerDef", "Loc", "Loop", "Node", "Op",
    "Method", "Param", "Setup", "Stmt",
]
