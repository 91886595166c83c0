"""Reading an ``if`` of a subclass's ``__init__``: layers made under a constructor flag.

``call()`` decides with the same flags which layers it uses, so each branch's assignments are read
as ``__init__``'s own; an attribute two branches (or a branch and an earlier line) set to a value
is read as the local the ``if`` binds, and the branches' plain statements stay under their tests.
Each branch's statements are read by the constructor's own reader (constructor.py), given in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import libcst as cst

from ..builder import refuse
from ..init_lists import self_attribute
from ..names_in import identifiers, name_nodes
from ..source import SourceFile

if TYPE_CHECKING:
    from .constructor import Init

Reader = Callable[[SourceFile, cst.ClassDef, cst.BaseStatement, "Init"], None]


def read_branches(src: SourceFile, cls: cst.ClassDef, statement: cst.If, found: Init, read: Reader) -> None:
    """Layers made under a constructor flag (``if include_top: ... else: ...``): ``call`` decides
    with the same flags which are used, so only the assignments matter here, unless both
    branches assign one attribute: then it names two layers, and ``call`` could not tell which."""
    bodies: list[list[cst.BaseStatement]] = [src.lines(statement.body)]
    orelse = statement.orelse
    if isinstance(orelse, cst.If):
        bodies.append([orelse])
    elif orelse is not None:
        bodies.append(src.lines(orelse.body))
    values = _branch_values(src, cls, statement, bodies, found)
    for attr in sorted(values):
        earlier = found.attrs.get(attr)
        if earlier is not None and not (isinstance(earlier, cst.Name) and earlier.value == attr):
            # ``self.width = width`` above ``if width is None: self.width = dim // heads``.
            local = cst.SimpleStatementLine(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(attr))], value=earlier)])
            found.locals.append(src.stand_in(local, statement))
    bodies = [[local for inner in body if (local := _as_local(src, inner, values)) is not None] for body in bodies]
    seen: set[str] = set()
    # Each branch's plain statements, kept under the branch's test.
    kept: list[list[cst.BaseStatement]] = []
    for body in bodies:
        before = {**found.attrs, **found.lists}
        start = len(found.locals)
        for inner in body:
            read(src, cls, inner, found)
        kept.append(found.locals[start:])
        del found.locals[start:]
        after = {**found.attrs, **found.lists}
        made = {attr for attr, value in after.items() if before.get(attr) is not value}
        twice = sorted(made & seen)
        if twice:
            raise refuse(
                src.loc(statement),
                f"`self.{twice[0]}` is made in more than one branch of this `if`, so it names"
                " a different layer in each",
                "give each branch's layer an attribute of its own",
            )
        seen |= made
    if any(kept):
        found.locals.append(src.stand_in(_guarded(statement, kept), statement))
    for attr in values:
        # Read where the ``if`` left it: the local it binds in each branch.
        found.attrs[attr] = src.stand_in(cst.Name(attr), statement)


def _set_in(body: list[cst.BaseStatement]) -> dict[str, list[cst.BaseExpression]]:
    """``{"width": [dim // heads]}`` for a branch's ``self.width = dim // heads`` lines."""
    found: dict[str, list[cst.BaseExpression]] = {}
    for line in body:
        small = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and self_attribute(small.targets[0].target):
            found.setdefault(self_attribute(small.targets[0].target), []).append(small.value)
    return found


def _branch_values(
    src: SourceFile, cls: cst.ClassDef, statement: cst.If, bodies: list[list[cst.BaseStatement]], found: Init
) -> set[str]:
    """Attributes an ``if`` sets to a value, not a layer, that another branch or an earlier line
    also sets (``if h is None: self.h = dim // heads`` / ``else: self.h = h``): each branch's value
    is read as the local of that name the ``if`` binds, as Python runs it.  One expression for
    the attribute would keep whichever branch came last, in every pass.  Not for a layer (called
    as ``self.attr(...)``, or made by a Keras call), nor where the class reads the bare name after
    the ``if``, which the local would change."""
    sets = [_set_in(body) for body in bodies]
    counted: dict[str, int] = {}
    for branch in sets:
        for attr in branch:
            counted[attr] = counted.get(attr, 0) + 1
    candidates = {attr for attr, times in counted.items() if times > 1 or attr in found.attrs}
    if not candidates:
        return set()
    called = {self_attribute(call.func) for call in calls_in_node(cls)} - {None}
    # Set again deeper in a branch (``if b: self.width = 5`` under ``if a:``): the nested ``if``
    # would read it as its own, and this one's local would not see it.
    deeper = {attr for attr in candidates if _assignments(statement, attr) > counted.get(attr, 0)}
    candidates -= deeper
    end = src.end_line(statement)
    late = _names_after(src, cls, end)
    values = set()
    for attr in candidates:
        assigned = [value for branch in sets for value in branch.get(attr, [])]
        if attr in found.attrs:
            assigned.append(found.attrs[attr])
        if attr in called or attr in late or attr in found.lists:
            continue
        if any(isinstance(value, cst.Call) and src.keras(value.func) is not None for value in assigned):
            continue
        values.add(attr)
    return values


def _assignments(node: cst.CSTNode, attr: str) -> int:
    """How many statements in ``node`` bind ``self.<attr>`` (``=``, ``+=``, annotated, or in a tuple)."""
    count = 0

    class _Count(cst.CSTVisitor):
        def visit_AssignTarget(self, target: cst.AssignTarget) -> None:
            nonlocal count
            count += attr in _self_targets(target.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            nonlocal count
            count += self_attribute(node.target) == attr

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            nonlocal count
            count += self_attribute(node.target) == attr

    node.visit(_Count())
    return count


def _self_targets(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(set(), *(_self_targets(element.value) for element in target.elements))
    attr = self_attribute(target)
    return {attr} if attr else set()


def calls_in_node(node: cst.CSTNode) -> list[cst.Call]:
    calls: list[cst.Call] = []

    class _Collect(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            calls.append(call)

    node.visit(_Collect())
    return calls


def _names_after(src: SourceFile, cls: cst.ClassDef, end: int) -> set[str]:
    """The bare names the class mentions after line ``end``, or in a method other than ``__init__``."""
    names: set[str] = set()
    for item in cls.body.body:
        if isinstance(item, cst.FunctionDef) and item.name.value == "__init__":
            names |= {name.value for name in name_nodes(item.body) if src.loc(name).line > end}
        else:
            names |= identifiers(item)
    return names


def _as_local(src: SourceFile, line: cst.BaseStatement, values: set[str]) -> cst.BaseStatement | None:
    """``width = dim // heads`` for a branch's ``self.width = dim // heads`` when ``width`` is in
    ``values``; None for ``self.width = width``, which the local already is."""
    small = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
        return line
    attr = self_attribute(small.targets[0].target)
    if attr not in values:
        return line
    if isinstance(small.value, cst.Name) and small.value.value == attr:
        return None
    local = small.with_changes(targets=[cst.AssignTarget(cst.Name(attr))])
    return src.stand_in(line.with_changes(body=[local]), line)


def _guarded(statement: cst.If, kept: list[list[cst.BaseStatement]]) -> cst.If:
    """The ``if`` with only the plain statements of its branches (``units = 64`` under ``if big:``,
    ``units = 8`` under ``else:``): run unconditionally, the last branch's value would win."""
    body = cst.IndentedBlock(body=kept[0] or [cst.SimpleStatementLine(body=[cst.Pass()])])
    orelse = statement.orelse
    if len(kept) < 2 or not kept[1]:
        orelse = None
    elif isinstance(orelse, cst.If):
        # ``elif``: its own branches were kept the same way, as one ``if``.
        (orelse,) = kept[1]
    else:
        orelse = cst.Else(body=cst.IndentedBlock(body=kept[1]))
    return statement.with_changes(body=body, orelse=orelse)
