"""A model that mixes Keras 2's ``tf_keras`` package with Keras 3.

``tf_keras`` and ``keras`` (or ``tf.keras``, Keras 3 in TensorFlow 2.16+) are two libraries whose
layers and models do not mix: a Keras 3 layer called on a ``tf_keras`` tensor fails, and a model of
one holds no layer of the other.  A file may import both and keep each model to one of them; a
model whose own code names Keras through both, or through a name the file binds to each
(``from tensorflow import keras`` early in a notebook, ``import tf_keras as keras`` later: libcst's
scopes do not follow the order of statements), is refused at the first name that differs.
"""

from __future__ import annotations

import libcst as cst

from ..types import Diagnostic
from .keras_names import KERAS2, library
from .sites import ModelSite, block_statements
from .source import SourceFile
from .walk import walk

_SPOKEN = {KERAS2: "`tf_keras`, the Keras 2 package", "keras": "Keras 3"}


def mixed_keras(src: SourceFile, site: ModelSite) -> Diagnostic | None:
    """Where the model's code names Keras through another package than its own, or through a
    name bound to both, if it does."""
    if KERAS2 not in src.text:
        return None
    own = library(site.root)
    finder = _Mixed(src, own)
    for statement in block_statements(site.block)[site.start : site.end]:
        walk(statement, finder)
        if finder.found is not None:
            return finder.found
    return None


class _Mixed(cst.CSTVisitor):
    def __init__(self, src: SourceFile, own: str | None) -> None:
        self.src = src
        self.own = own
        self.found: Diagnostic | None = None

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self._check(node)

    def visit_Name(self, node: cst.Name) -> bool:
        return self._check(node)

    def _check(self, node: cst.BaseExpression) -> bool:
        """False once the node is a Keras name (its parts name the same thing), or a mix is found."""
        if self.found is not None:
            return False
        libraries = {library(name) for name in self.src.qualified(node)} - {None}
        if not libraries:
            return True
        written, loc = self.src.code(node), self.src.loc(node)
        if len(libraries) > 1:
            head = written.split(".")[0]
            self.found = Diagnostic(
                loc.line,
                loc.col,
                f"`{head}` is bound both to `tf_keras` (Keras 2) and to Keras 3 in this file, and kconvert"
                " cannot tell which of the two this model's code reads",
                "import the two packages under different names (`import tf_keras`, `import keras`), or only one of them",
            )
        elif self.own is not None and libraries != {self.own}:
            theirs = libraries.pop()
            self.found = Diagnostic(
                loc.line,
                loc.col,
                f"`{written}` comes from {_SPOKEN[theirs]}, but this model is made with {_SPOKEN[self.own]}:"
                " one model cannot mix the two packages",
                "spell every Keras name of the model from the same package",
            )
        return False
