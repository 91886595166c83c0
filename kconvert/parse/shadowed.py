"""A file that defines a class or function under the name it imports Keras by.

``import keras`` then ``class keras: ...`` makes every later ``keras.X`` mean the
file's own class, but libcst's qualified names still read ``keras.Sequential``:
kconvert would convert (and write new code against) a name that is no longer
Keras. Such a file is refused at the definition.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedNameSource

from ..types import Diagnostic
from .source import SourceFile

ROOTS = ("keras", "tensorflow", "tf_keras")


def shadowed_keras(src: SourceFile) -> Diagnostic | None:
    """The definition that takes a Keras import's module-level name, if the file has one."""
    scope = src.scope(src.module.body[0]) if src.module.body else None
    if scope is None:
        return None
    for assignment in scope.assignments:
        if not isinstance(assignment.node, (cst.ClassDef, cst.FunctionDef)):
            continue
        imported = {
            qualified.name.split(".")[0]
            for qualified in scope.get_qualified_names_for(assignment.name)
            if qualified.source is QualifiedNameSource.IMPORT
        }
        if imported & set(ROOTS):
            kind = "class" if isinstance(assignment.node, cst.ClassDef) else "function"
            loc = src.loc(assignment.node)
            return Diagnostic(
                loc.line,
                loc.col,
                f"this {kind} is named `{assignment.name}`, like the Keras import it replaces;"
                f" kconvert cannot tell which of the two the model's `{assignment.name}.` names mean",
                f"rename the {kind}",
            )
    return None
