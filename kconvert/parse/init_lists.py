"""Layer lists a subclass's ``__init__`` makes: a comprehension, or a loop that appends.

``self.blocks = [Dense(4) for _ in range(n)]`` and ``for i in range(n):
self.blocks.append(Dense(4))`` make the same list; the loop's statements
(``strides = 1 if i == 0 else 2``) compute each pass's arguments.  Nested
loops of layers make lists of lists, one per pass of the outer loop: a
comprehension in a comprehension, or an inner loop filling a local list
(``blocks = []``) that the outer loop appends.  call() reads them back with
the same nested loops (parse/subclass/call.py).  An inner loop that appends to
the outer loop's own list makes one flat list, which call() runs through in
one loop.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

import libcst as cst

from ..ir.reads import LAYER_MUTATORS, added_to
from .builder import refuse
from .names_in import calls_in, identifiers, name_nodes
from .source import SourceFile


@dataclass(frozen=True)
class LayerList:
    """``self.attr = [<element> for <target> in <iterable>]`` (or appended in a loop); the element
    of a list of lists is the inner list, made in each pass."""

    target: str
    iterable: cst.BaseExpression
    element: "cst.Call | LayerList"
    # Statements of the loop that appends, run before and after each pass's element is made.
    statements: tuple[cst.BaseStatement, ...] = ()
    after: tuple[cst.BaseStatement, ...] = ()
    # The element is the list of a loop inside whose passes append to this very list: one flat
    # list of every inner pass's layer, which call() runs through in one loop.
    flat: bool = False
    # Made by a comprehension, whose variable is its own: ``__init__``'s code after it does not see it.
    comprehension: bool = False


def self_attribute(node: cst.BaseExpression | None) -> str | None:
    """``attr`` for ``self.attr``, else None."""
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        return node.attr.value
    return None


def grown_attribute(small: cst.BaseSmallStatement) -> str | None:
    """``cnn`` of ``self.cnn.add(Dense(8))``: a layer added to the Sequential on an attribute, a
    change of that layer (to-subclass writes a builder's ``cnn.add(...)`` so), not of the model."""
    return self_attribute(added_to(small))


def changed_attribute(small: cst.BaseSmallStatement) -> str | None:
    """``norm`` of ``self.norm.adapt(data)``: a method that changes the layer on an attribute
    (ir/reads.py), given nothing else of ``self``; to-subclass writes a builder's
    ``norm.adapt(data)`` so."""
    call = small.value if isinstance(small, cst.Expr) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
        return None
    if call.func.attr.value not in LAYER_MUTATORS or any("self" in identifiers(arg.value) for arg in call.args):
        return None
    return self_attribute(call.func.value)


def made_where_called(element: cst.BaseExpression) -> cst.BaseExpression:
    """The layer of ``Conv2D(...) if stack > 0 else None``: made only in the passes whose call()
    calls it, under the same test there (the graph is call()'s; a pass that calls a None fails
    loudly, one that never calls its layer changes nothing)."""
    if isinstance(element, cst.IfExp) and isinstance(element.body, cst.Call):
        if isinstance(element.orelse, cst.Name) and element.orelse.value == "None":
            return element.body
    return element


def comprehension(src: SourceFile, attr: str, value: cst.ListComp) -> LayerList:
    """The list ``value`` makes: of layers, or of such lists (``[[Dense(u) for _ in range(2)] for u in units]``)."""
    comp = value.for_in
    element = made_where_called(value.elt)
    if isinstance(element, cst.ListComp) and comp.inner_for_in is None and not comp.ifs:
        return LayerList(src.code(comp.target), comp.iter, comprehension(src, attr, element), comprehension=True)
    if comp.inner_for_in is not None or comp.ifs or not isinstance(element, cst.Call):
        raise refuse(src.loc(value), f"`self.{attr}` is not a plain list comprehension of layers")
    return LayerList(src.code(comp.target), comp.iter, element, comprehension=True)


def appended(src: SourceFile, loop: cst.For, empty: dict[str, cst.BaseExpression]) -> dict[str, LayerList]:
    """``{attr: list}`` for ``for i in range(n): self.blocks.append(Dense(...))``: the comprehension
    written out, onto attributes ``empty`` holds as ``[]``.

    Statements before the appends (``strides = 1 if i == 0 else 2``) compute the layers'
    arguments in each pass, statements after them (``prev_filters = filters``) the next
    pass's; they belong to the loop as the model builds it, before and after its layers.
    """

    def owner(node: cst.BaseExpression) -> str | None:
        attr = self_attribute(node)
        made = empty.get(attr) if attr is not None else None
        return attr if isinstance(made, cst.List) and not made.elements else None

    return _filled(src, loop, owner)


def _filled(src: SourceFile, loop: cst.For, owner: Callable[[cst.BaseExpression], str | None]) -> dict[str, LayerList]:
    body = list(loop.body.body)
    # A local list a loop inside fills (``blocks = []``): None until that loop has filled it.
    inner: dict[str, LayerList | None] = {}
    named = _named_layers(body, owner)
    marks = [_making(src, statement, owner, inner, named) for statement in body]
    placed = [index for index, mark in enumerate(marks) if mark is not None]
    appends = [pair for mark in marks if mark for pair in mark]
    keys = [key for key, _, _ in appends]
    before, after = (body[: placed[0]], body[placed[-1] + 1 :]) if placed else (body, [])
    if (
        not appends
        or placed != list(range(placed[0], placed[-1] + 1))
        or loop.orelse is not None
        or None in inner.values()
        or any("self" in identifiers(statement) for statement in before + after)
        or len(set(keys)) != len(keys)
    ):
        grown = _grown_in(loop)
        if grown is not None:
            # ``self.blocks = Sequential()`` then ``self.blocks.add(block)`` in the passes: a layer
            # whose contents the loop decides, not a list call() runs through.
            raise refuse(
                src.loc(loop),
                f"a loop in __init__ grows the Sequential `self.{grown}` with `.add()`, which kconvert"
                " does not write as a graph (it reads a loop that appends layers to a list,"
                " `self.blocks.append(Dense(4))`)",
                "keep this model a subclass",
            )
        raise refuse(
            src.loc(loop),
            "a loop in __init__ can only append layers to a list (`self.blocks.append(Dense(4))`)",
            "build the list with a comprehension",
        )
    target = src.code(loop.target)
    return {
        key: LayerList(target, loop.iter, element, tuple(before), tuple(after), flat)
        for key, element, flat in appends
    }


def _named_layers(body: list[cst.BaseStatement], owner) -> dict[str, cst.BaseExpression]:
    """``{name: layer}`` for ``conv = Conv1D(...)`` then ``self.convs.append(conv)`` in one pass,
    the name read nowhere else: the layer is appended as if written in the ``append``."""
    made = {
        _assigned(statement): statement.body[0].value
        for statement in body
        if _assigned(statement) is not None and isinstance(made_where_called(statement.body[0].value), cst.Call)
    }
    appended = [
        call.args[0].value.value
        for call in calls_in(cst.IndentedBlock(body=body))
        if isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "append"
        and owner(call.func.value) is not None
        and len(call.args) == 1
        and isinstance(call.args[0].value, cst.Name)
    ]
    reads = Counter(name.value for statement in body for name in name_nodes(statement))
    return {name: value for name, value in made.items() if appended.count(name) == 1 and reads[name] == 2}


def _assigned(statement: cst.BaseStatement) -> str | None:
    """``name`` for a line that is ``name = value`` alone."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value
    return None


def _making(src: SourceFile, statement: cst.BaseStatement, owner, inner: dict, named: dict) -> list | None:
    """What ``statement`` does to the lists a pass makes: the ``(list, element, flat)`` triples it
    appends (none for ``blocks = []``, the loop that fills it or a layer ``named`` before it is
    appended); None for any other statement."""
    if isinstance(statement, cst.For) and set(inner) & identifiers(statement):
        local = {name: name for name in inner}
        inner.update(_filled(src, statement, lambda node: local.get(node.value) if isinstance(node, cst.Name) else None))
        return []
    if _assigned(statement) in named:
        return []
    if isinstance(statement, cst.For) and _appends_to(statement, owner):
        # ``for block in ...: self.blocks.append(...)`` inside the pass: the inner passes fill this list.
        return [(key, made, True) for key, made in _filled(src, statement, owner).items()]
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    small = statement.body[0]
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and isinstance(small.value, cst.List)
        and not small.value.elements
    ):
        inner[small.targets[0].target.value] = None
        return []
    call = small.value if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) else None
    if call is None or not isinstance(call.func, cst.Attribute) or call.func.attr.value != "append":
        return None
    key = owner(call.func.value)
    if key is None or len(call.args) != 1:
        return None
    value = call.args[0].value
    element = made_where_called(named.get(value.value, value) if isinstance(value, cst.Name) else value)
    if isinstance(element, cst.Call):
        return [(key, element, False)]
    if isinstance(element, cst.Name) and inner.get(element.value) is not None:
        return [(key, inner[element.value], False)]
    return None


def _grown_in(loop: cst.For) -> str | None:
    """``blocks`` when the loop, or one inside it, adds to ``self.blocks`` (``self.blocks.add(block)``)."""
    for call in calls_in(loop.body):
        grown = grown_attribute(cst.Expr(call))
        if grown is not None:
            return grown
    return None


def _appends_to(loop: cst.For, owner) -> bool:
    """Whether the loop appends to one of the lists ``owner`` knows (``self.blocks.append(...)``)."""
    return any(
        isinstance(call.func, cst.Attribute) and call.func.attr.value == "append" and owner(call.func.value) is not None
        for call in calls_in(loop.body)
    )
