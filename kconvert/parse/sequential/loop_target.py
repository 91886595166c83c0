"""The loop variable of a comprehension of layers written as a loop.

``[Dense(8, name=f"d{i}") for i in range(2)]`` binds ``i`` only inside the comprehension; the
loop the other styles write (``for i in range(2): x = Dense(...)(x)``) binds it in the model's
scope, where code that reads another ``i`` there (``i = 5`` before the model, ``print(i)``
after it) would see 1.  Such a comprehension is refused, naming the variable to rename.
``_`` is left alone: by convention nothing reads it.
"""

from __future__ import annotations

import libcst as cst

from ..builder import refuse
from ..names_in import name_nodes
from ..source import SourceFile

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Module)


def check_loop_target(src: SourceFile, comp: cst.ListComp) -> None:
    """Refuses ``comp`` when a loop over it would rebind a name the code around the model uses."""
    names = {node.value for node in name_nodes(comp.for_in.target)} - {"_"}
    if not names:
        return
    scope = src.parent(comp)
    while scope is not None and not isinstance(scope, _SCOPES):
        scope = src.parent(scope)
    around = [node.value for node in name_nodes(scope)] if scope is not None else []
    inside = [node.value for node in name_nodes(comp)]
    for name in sorted(names):
        if around.count(name) > inside.count(name):
            raise refuse(
                src.loc(comp),
                f"the comprehension's variable `{name}` is also a name of the code around the model; the"
                " other styles write the comprehension as a loop, which would rebind it there",
                f"rename the comprehension's variable `{name}`",
            )
