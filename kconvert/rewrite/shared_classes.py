"""A Layer class an earlier model of the file already made is not made again.

Two builders of one file that call the same helper (``resnet_layer`` in Keras'
cifar10_resnet, called by ``resnet_v1`` and ``resnet_v2``) each write it as a
``Layer`` class.  The later model's emitter may take the earlier class's name for
its block (``EmitContext.shared_classes``); when the class it writes under that
name is the earlier one, line for line, it is left out and the model makes the
earlier class.  The comments above the class do not count: the last model to call
a helper carries the helper's own comments above its class, the earlier ones do not.
A class that differs in anything else under that name is a clash: the model is
written again with that name its own to avoid (``convert.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import libcst as cst

from .splice import comments_in


@dataclass
class LayerClasses:
    """The Layer classes the file's converted models made so far (code → class name, and the
    comments of each), and the comments of the copies left out that a kept class has too: those
    are not comments gone missing."""

    made: dict[str, str] = field(default_factory=dict)
    comments: dict[str, Counter] = field(default_factory=dict)
    merged: Counter = field(default_factory=Counter)


def clashes(new: tuple[cst.BaseStatement, ...], layer_base: str, classes: LayerClasses) -> frozenset[str]:
    """The Layer classes of ``new`` named as one ``classes`` made but written otherwise."""
    made = classes.made
    names = set(made.values())
    return frozenset(
        statement.name.value
        for statement in new
        if _is_layer_class(statement, layer_base) and statement.name.value in names and _key(statement) not in made
    )


def without_copies(
    new: tuple[cst.BaseStatement, ...], layer_base: str, classes: LayerClasses
) -> tuple[cst.BaseStatement, ...]:
    """``new`` without its Layer classes (based on ``layer_base``) that ``classes`` made already;
    ``classes`` then holds the ones it adds."""
    made = classes.made
    copies = [statement for statement in new if _is_layer_class(statement, layer_base) and _key(statement) in made]
    for copy in copies:
        classes.merged.update(Counter(comments_in([copy])) & classes.comments[_key(copy)])
    kept = tuple(statement for statement in new if not any(statement is copy for copy in copies))
    for statement in kept:
        if _is_layer_class(statement, layer_base):
            made[_key(statement)] = statement.name.value
            classes.comments[_key(statement)] = Counter(comments_in([statement]))
    return kept


def _is_layer_class(statement: cst.BaseStatement, layer_base: str) -> bool:
    return isinstance(statement, cst.ClassDef) and any(_code(base.value) == layer_base for base in statement.bases)


def _key(statement: cst.BaseStatement) -> str:
    """The class as code, without the lines above it."""
    return _code(statement.with_changes(leading_lines=()))


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
