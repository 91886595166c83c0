"""A loop of call() over positions of layer lists, read as the loop over the lists.

``for i in range(len(self.kernel_sizes)): c = self.convs[i](embedding)`` (ShawnyXiao's
TextCNN) runs once per layer of ``self.convs`` when ``__init__`` filled that list in a
loop over ``self.kernel_sizes``, and each pass calls the pass's layer: it is the loop
``for conv in zip(self.convs, ...)`` that parse/subclass/loops.py reads, written with
positions.  When the position is read only to pick a layer of such lists, the loop is
read as that one, each list's layer drawn under a name of its own; a position read
otherwise (``if i > 0``) keeps the refusal of a layer picked by position.  A loop over
``range(self.num_filters)`` (a WaveNet's) counts the passes of a list filled over
``range(num_filters)`` when ``__init__`` stored that parameter as it was given.
"""

from __future__ import annotations

import libcst as cst

from ..init_lists import self_attribute
from ..names_in import assigned_anywhere, identifiers
from ..source import SourceFile
from ..walk import walk
from .constructor import Init


def as_list_loop(src: SourceFile, statement: cst.For, init: Init) -> cst.For | None:
    """``statement`` as ``for <layer>, ... in zip(self.<list>, ...):`` with each ``self.<list>[i]``
    of its body that name, located where ``statement`` is; None when it is not such a loop.
    ``init``: what __init__ made (parse/subclass/constructor.py), its layer lists by attribute."""
    lists = init.lists
    counted = _counted(statement) or _ranged(statement, init)
    if counted is None:
        return None
    position, measured = counted
    picks = _Picks(position)
    walk(statement.body, picks)
    keys = list(dict.fromkeys(picks.keys))
    if not keys or picks.other or any(key not in lists or lists[key].flat for key in keys):
        return None
    # The lists are as long as the loop that filled them is, or as one of them.
    if len({src.code(lists[key].iterable) for key in keys}) != 1:
        return None
    filled_over = src.code(lists[keys[0]].iterable)
    if measured not in {f"self.{key}" for key in keys} and measured != filled_over:
        # ``range(len(self.kernel_sizes))`` over lists filled ``for k in kernel_sizes``, the
        # parameter __init__ stored in ``self.kernel_sizes`` as given (WarFW's TextCNN).
        if _given(cst.parse_expression(measured), init) != filled_over:
            return None
    taken = set(identifiers(statement))
    names = {key: _fresh(key, taken) for key in keys}
    body = statement.body.visit(_Named(src, position, names))
    if len(keys) == 1:
        target, iterable = cst.Name(names[keys[0]]), _attribute(keys[0])
    else:
        target = cst.Tuple([cst.Element(cst.Name(names[key])) for key in keys])
        iterable = cst.Call(cst.Name("zip"), [cst.Arg(_attribute(key)) for key in keys])
    made = statement.with_changes(target=target, iter=iterable, body=body)
    return src.stand_in(made, statement)


def _counted(statement: cst.For) -> tuple[str, str] | None:
    """``for i in range(len(E))``: ``i`` and ``E``'s code."""
    target, iterable = statement.target, statement.iter
    if not isinstance(target, cst.Name) or not _call_of(iterable, "range"):
        return None
    measured = iterable.args[0].value
    if not _call_of(measured, "len"):
        return None
    return target.value, cst.Module([]).code_for_node(measured.args[0].value)


def _ranged(statement: cst.For, init: Init) -> tuple[str, str] | None:
    """``for i in range(self.n)``: ``i`` and ``range(n)``, the loop as __init__ wrote it over its
    parameter ``n`` stored in ``self.n``; None if __init__ binds ``n`` again (``n = n * 2``), where
    ``self.n`` and the ``range(n)`` that filled a list would count different passes."""
    target, iterable = statement.target, statement.iter
    if not isinstance(target, cst.Name) or not _call_of(iterable, "range"):
        return None
    given = _given(iterable.args[0].value, init)
    return None if given is None else (target.value, f"range({given})")


def _given(value: cst.BaseExpression, init: Init) -> str | None:
    """``self.n``: the parameter ``n`` __init__ stored in it as it was given, if __init__ binds
    ``n`` nowhere else (``n = n * 2``, or a list's loop variable), where the two would differ."""
    attr = self_attribute(value)
    stored = init.attrs.get(attr) if attr is not None else None
    if not isinstance(stored, cst.Name) or stored.value not in {param.name for param in init.params}:
        return None
    passes = [line for made in init.lists.values() for line in (*made.statements, *made.after)]
    # A list's own loop variable binds it too: ``for n in range(n):`` leaves ``n`` one short.
    targets = {name for made in init.lists.values() for name in identifiers(cst.parse_expression(made.target))}
    if stored.value in assigned_anywhere([*init.locals, *passes]) | targets:
        return None
    return stored.value


def _call_of(node: cst.BaseExpression, name: str) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == name
        and len(node.args) == 1
        and not node.args[0].keyword
        and not node.args[0].star
    )


def _picked(node: cst.Subscript, position: str) -> str | None:
    """``self.convs[i]``: ``convs``."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    index = node.slice[0].slice.value
    if not isinstance(index, cst.Name) or index.value != position:
        return None
    return self_attribute(node.value)


class _Picks(cst.CSTVisitor):
    """The lists the body picks a layer from by the position, and whether it reads it otherwise."""

    def __init__(self, position: str) -> None:
        self.position = position
        self.keys: list[str] = []
        self.other = False

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        key = _picked(node, self.position)
        if key is None:
            return True
        self.keys.append(key)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.other |= node.value == self.position


class _Named(cst.CSTTransformer):
    """Each ``self.<list>[i]`` as its list's layer name; every node changed stands where it was."""

    def __init__(self, src: SourceFile, position: str, names: dict[str, str]) -> None:
        self.src, self.position, self.names = src, position, names

    def leave_Subscript(self, original: cst.Subscript, updated: cst.BaseExpression) -> cst.BaseExpression:
        key = _picked(original, self.position)
        return updated if key is None else cst.Name(self.names[key])

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode):
        made = super().on_leave(original, updated)
        if isinstance(made, cst.CSTNode) and made is not original:
            self.src.stand_in(made, original)
        return made


def _fresh(key: str, taken: set[str]) -> str:
    """A name for a pass's layer of ``self.<key>``: ``conv`` for ``convs``, unused in the loop."""
    base = key[:-1] if key.endswith("s") and len(key) > 1 else f"{key}_layer"
    name = base
    while name in taken:
        name = f"{name}_"
    taken.add(name)
    return name


def _attribute(key: str) -> cst.Attribute:
    return cst.Attribute(cst.Name("self"), cst.Name(key))
