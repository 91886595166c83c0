"""Layers given to ``Sequential(...)`` as named lists: ``Sequential(features + head)``.

A list of layers is a list literal, a comprehension (``[GRU(8) for i in range(n)]``) or a
concatenation of those (``[...] + [Dense(1)]``), written in the call or bound to a name before it.
Transfer-learning code binds its lists to names (``feature_layers = [Conv2D(...), ...]``) and
reads those names again after the model (``for l in feature_layers: l.trainable = False``).
Names that nothing else reads, bound by the statements just before the model (``my_layers =
[...]``, ``Sequential(my_layers)``; ``blocks = [...]``, ``Sequential([*blocks, Dense(1)])``),
are the model's own: read as if their lists were written in the call, their statements part of
the model.  Else the model is a loop over those very objects, ``for layer in feature_layers +
classification_layers: model.add(layer)``, which every graph style can write without making new
layers, so the names the rest of the file reads stay bound to the model's layers.  Only names
bound to a list of layers earlier in the same block, and not touched between there and the
model, are read so: anything else could hold other layers by the time the model is made.
"""

from __future__ import annotations

import libcst as cst

from .module_index import name_assignment
from .names_in import identifiers, name_nodes


def list_names(value: cst.BaseExpression) -> list[cst.Name] | None:
    """The names of ``a``, ``a + b``, ``a + b + c``, in order; None for any other expression."""
    if isinstance(value, cst.Name) and not value.lpar:
        return [value]
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add) and not value.lpar:
        left, right = list_names(value.left), list_names(value.right)
        return left + right if left is not None and right is not None else None
    return None


def listed_literals(names: list[cst.Name], before) -> list[cst.BaseExpression] | None:
    """The list of layers each name is bound to by the statements ``before`` the model, when the
    last statement that mentions it binds it to one; None when a name is not so bound."""
    found = []
    for name in names:
        literal = _literal(name.value, before)
        if literal is None:
            return None
        found.append(literal)
    return found


def owned_lists(value: cst.BaseExpression, before, later_read, scope: cst.CSTNode) -> dict[str, cst.BaseExpression]:
    """The names of ``value`` (and of the lists they are bound to) that the statements just before
    the model bind to a list of layers, each read once there and nowhere after (``later_read(name)``
    is False), nor anywhere else in its ``scope`` (the function the model is made in; the module,
    where a function may read the global): the model owns them, as if their lists were written in
    the call.  The run of such statements must end at the model: no other code sees a list between
    its line and the model."""
    wanted = _names_of(value)
    reached = [value]
    owned: dict[str, cst.BaseExpression] = {}
    for statement in reversed(list(before)):
        assigned = name_assignment(statement)
        if assigned is None or assigned[0] not in wanted or not is_layer_list(assigned[1]):
            break
        name, listed = assigned
        if name in identifiers(listed) or later_read(name):
            break
        owned[name] = listed
        reached.append(listed)
        wanted = wanted | _names_of(listed)
    uses = [node.value for expr in reached for node in name_nodes(expr)]
    everywhere = [node.value for node in name_nodes(scope)]
    kept: dict[str, cst.BaseExpression] = {}
    for name, listed in owned.items():
        if uses.count(name) != 1 or everywhere.count(name) != 2:
            # ``a + a`` calls the same layers twice: written out, they would be new ones; and a
            # name mentioned elsewhere than in its line and the model's may be read there.
            break
        kept[name] = listed
    names = list_names(value)
    if names is not None and not {name.value for name in names} <= set(kept):
        # ``features + head`` with ``features`` read after the model: one loop over both lists.
        return {}
    return kept


def _names_of(value: cst.BaseExpression) -> frozenset[str]:
    """The names a list expression is made of (``a + [Dense(1)]``, ``[*a, Dense(1)]``)."""
    if isinstance(value, cst.Name):
        return frozenset([value.value])
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        return _names_of(value.left) | _names_of(value.right)
    if isinstance(value, (cst.List, cst.Tuple)):
        starred = [element.value for element in value.elements if isinstance(element, cst.StarredElement)]
        return frozenset().union(*(_names_of(part) for part in starred))
    return frozenset()


def is_layer_list(value: cst.BaseExpression) -> bool:
    """A list literal, a plain comprehension or a concatenation of those: a new list each time it runs."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return True
    if isinstance(value, cst.ListComp):
        return value.for_in.inner_for_in is None and not value.for_in.ifs and value.for_in.asynchronous is None
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        # ``[Input(...)] + blocks``: a name there is read as the model's own list or refused.
        return all(isinstance(part, cst.Name) or is_layer_list(part) for part in (value.left, value.right))
    return False


def _literal(name: str, before) -> cst.BaseExpression | None:
    for statement in reversed(list(before)):
        if name not in identifiers(statement):
            continue
        assigned = name_assignment(statement)
        value = assigned[1] if assigned is not None and assigned[0] == name else None
        if value is not None and is_layer_list(value) and name not in identifiers(value):
            return value
        return None
    return None


def first_layer(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The first layer of a list of layers when the source shows it (its ``input_shape=`` is the model's)."""
    if isinstance(value, cst.BinaryOperation):
        return first_layer(value.left)
    if isinstance(value, (cst.List, cst.Tuple)) and value.elements:
        first = value.elements[0]
        return None if isinstance(first, cst.StarredElement) else first.value
    return None


def loop_variable(module: cst.Module) -> str:
    """A name for the loop over the lists that nothing in the file uses: the loop binds it."""
    taken = identifiers(module)
    name = "layer"
    while name in taken:
        name += "_"
    return name
