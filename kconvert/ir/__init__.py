"""The layer-graph IR shared by every parser and emitter."""

from .control import Carried, Cond, Loop
from .graph import Graph
from .model_parts import Method, Param, Setup
from .nodes import Call, Define, Input, LayerDef, Node, Op, Stmt
from .source_text import Arg, Code, Loc

__all__ = [
    "Arg", "Call", "Carried", "Code", "Cond", "Define", "Graph", "Input", "LayerDef", "Loc", "Loop", "Node", "Op",
    "Method", "Param", "Setup", "Stmt",
]
