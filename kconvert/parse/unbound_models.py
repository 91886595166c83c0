"""Models made where kconvert does not look for them.

kconvert converts a model bound to a name (``model = keras.Sequential(...)``) or returned by a
builder. A file whose only models are made inside another expression
(``models.append(keras.Sequential([...]))``, an ensemble built in a loop) is refused at the first
of them, with what to write instead, rather than as a file with no model at all.
"""

from __future__ import annotations

import libcst as cst

from ..ir.graph import Loc
from .keras_names import MODEL, SEQUENTIAL
from .source import SourceFile
from .walk import walk


def unbound_model(src: SourceFile) -> tuple[Loc, str] | None:
    """Where the first model neither bound to a name nor returned is made, and its callee as written."""
    finder = _Unbound(src)
    walk(src.module, finder)
    return finder.found


class _Unbound(cst.CSTVisitor):
    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self.bound: set[int] = set()  # ids of calls that are the whole value of a binding or return
        self.found: tuple[Loc, str] | None = None

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        # A layer's sublayers (``self.blocks = [keras.Sequential(...) for ...]``) are no model of the file.
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        self.bound.add(id(node.value))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.bound.add(id(node.value))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.bound.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        if self.found is not None or id(node) in self.bound:
            return
        keras = self.src.keras(node.func)
        if keras is None or keras.path not in SEQUENTIAL | MODEL:
            return
        if keras.path in MODEL and not (node.args or node.keywords):
            return  # ``keras.Model()`` alone makes no graph
        self.found = (self.src.loc(node), self.src.code(node.func))
