"""Layers given to ``Sequential(...)`` as named lists: ``Sequential(features + head)``.

Transfer-learning code makes its layers in list literals bound to names
(``feature_layers = [Conv2D(...), ...]``) and reads those names again after
the model (``for l in feature_layers: l.trainable = False``).  One list that nothing
else reads, bound just before the model (``my_layers = [...]``, ``Sequential(my_layers)``),
is the model's own: read as if written in the call, its statement part of the model.  Else the model is
then a loop over those very objects, ``for layer in feature_layers +
classification_layers: model.add(layer)``, which every graph style can write
without making new layers, so the names the rest of the file reads stay bound
to the model's layers.  Only names bound by a list literal earlier in the same
block, and not touched between there and the model, are read so: anything
else could hold other layers by the time the model is made.
"""

from __future__ import annotations

import libcst as cst

from .module_index import name_assignment
from .names_in import identifiers


def list_names(value: cst.BaseExpression) -> list[cst.Name] | None:
    """The names of ``a``, ``a + b``, ``a + b + c``, in order; None for any other expression."""
    if isinstance(value, cst.Name) and not value.lpar:
        return [value]
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add) and not value.lpar:
        left, right = list_names(value.left), list_names(value.right)
        return left + right if left is not None and right is not None else None
    return None


def listed_literals(names: list[cst.Name], before) -> list[cst.List | cst.Tuple] | None:
    """The list literal each name is bound to by the statements ``before`` the model, when the
    last statement that mentions it binds it to one; None when a name is not so bound."""
    found = []
    for name in names:
        literal = _literal(name.value, before)
        if literal is None:
            return None
        found.append(literal)
    return found


def inlined_literal(value: cst.BaseExpression, before) -> cst.List | cst.Tuple | None:
    """``Sequential(my_layers)`` right after ``my_layers = [...]``: the literal, which the model
    owns as if it were written in the call (the caller checks that nothing after reads the name).
    The statement must be the one just before: no other code sees the list between them."""
    if not (isinstance(value, cst.Name) and not value.lpar and before):
        return None
    return _literal(value.value, before[-1:])


def _literal(name: str, before) -> cst.List | cst.Tuple | None:
    for statement in reversed(list(before)):
        if name not in identifiers(statement):
            continue
        assigned = name_assignment(statement)
        value = assigned[1] if assigned is not None and assigned[0] == name else None
        if (
            isinstance(value, (cst.List, cst.Tuple))
            and name not in identifiers(value)
            and not any(isinstance(element, cst.StarredElement) for element in value.elements)
        ):
            return value
        return None
    return None


def loop_variable(module: cst.Module) -> str:
    """A name for the loop over the lists that nothing in the file uses: the loop binds it."""
    taken = identifiers(module)
    name = "layer"
    while name in taken:
        name += "_"
    return name
