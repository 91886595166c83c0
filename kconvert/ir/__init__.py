"""The layer-graph IR shared by every parser and emitter."""

from .graph import Arg, Call, Code, Define, Graph, Input, LayerDef, Loc, Loop, Node, Op, Stmt

__all__ = ["Arg", "Call", "Code", "Define", "Graph", "Input", "LayerDef", "Loc", "Loop", "Node", "Op", "Stmt"]
