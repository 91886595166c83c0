"""Keras names a module binds by assignment: ``Sequential = tf.keras.models.Sequential``.

Some files give Keras' classes and modules short names by assigning them once, at module level,
instead of importing them (``Dense = tf.keras.layers.Dense``, ``layers = tf.keras.layers``); libcst
reads such a name as the file's own (``QualifiedNameSource.LOCAL``). A name bound so, by that one
assignment of a dotted Keras name, reads as the Keras name it is given: ``Dense(8)`` there is
``tensorflow.keras.layers.Dense``, as if imported. A name bound anywhere else too (a function's
parameter, a second assignment, a loop) stays the file's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import GlobalScope

from .keras_names import ROOTS, split_keras

if TYPE_CHECKING:
    from .source import SourceFile

# The alias values being read, per file: a cycle of aliases ends in the file's own names.
_RESOLVING: dict[int, set[int]] = {}


def aliased(src: "SourceFile", node: cst.CSTNode) -> set[str]:
    """``{"tensorflow.keras.layers.Dense"}`` for ``Dense`` (or ``layers.Dense``) when the one
    binding of its head is a module-level ``Dense = tf.keras.layers.Dense``, else nothing."""
    head, dotted = node, []
    while isinstance(head, cst.Attribute):
        dotted.insert(0, head.attr.value)
        head = head.value
    value = _alias_value(src, head) if isinstance(head, cst.Name) else None
    # ``a = b.layers`` and ``b = a.keras`` read each other: such a name is no alias of anything.
    resolving = _RESOLVING.setdefault(id(src), set())
    if value is None or id(value) in resolving:
        return set()
    resolving.add(id(value))
    try:
        found = {name for name in src.qualified(value) if name in ROOTS or split_keras(name) is not None}
    finally:
        resolving.discard(id(value))
        if not resolving:
            del _RESOLVING[id(src)]
    return {".".join([name, *dotted]) for name in found}


def _alias_value(src: "SourceFile", name: cst.Name) -> cst.BaseExpression | None:
    """The dotted name the module assigns ``name`` once (``tf.keras.layers.Dense``), or None."""
    scope = src.scope(name)
    if scope is None or name.value not in scope:
        return None
    assignments = list(scope[name.value])
    if len(assignments) != 1 or not isinstance(assignments[0].scope, GlobalScope):
        return None
    bound = getattr(assignments[0], "node", None)
    target = src.parent(bound) if isinstance(bound, cst.Name) else None
    statement = src.parent(target) if isinstance(target, cst.AssignTarget) else None
    if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
        return None
    value = statement.value
    head = value
    while isinstance(head, cst.Attribute):
        head = head.value
    # ``keras = keras.api``-like self-reference would read itself again.
    if not isinstance(head, cst.Name) or head.value == name.value or value is head and isinstance(value, cst.Name):
        return None
    return value
