"""A subclass's own state that the methods it keeps read: ``self.time = []`` in ``__init__``.

A method only a class can keep (jlfilho's super-resolution models' ``get_run_time`` sums
``self.time``) is written into a class target as it was; graph code has no place for it,
so Functional and Sequential refuse, naming it.  A class that builds a graph keeps the
method, and so must keep what the method reads: without the assignment its first call
fails with AttributeError, a conversion that looks fine and is not.  So such a
``self.<attr> = <value>`` is carried as a ``Setup``, which a class target writes after
``super().__init__(...)``, when its value reads only the constructor's parameters and the
module's names; one that reads a local of ``__init__`` or the model is refused at its line.
A layer (or list of layers) is the graph's and a stored parameter is configuration, which each
class target writes anyway; neither is carried.
"""

from __future__ import annotations

import libcst as cst

from ...ir.model_parts import Setup
from ..builder import refuse
from ..model_setup import kept_as_written, setup_start
from ..names_in import assigned_anywhere, identifiers, self_attributes_in
from ..source import SourceFile


def kept_state(
    src: SourceFile,
    init: cst.FunctionDef | None,
    kept: list[cst.FunctionDef],
    params: set[str],
    held: set[str],
    statements: tuple[cst.BaseStatement, ...] | None = None,
    read_later: frozenset[str] = frozenset(),
) -> tuple[Setup, ...]:
    """The ``self.<attr> = <value>`` statements of ``init`` that a method in ``kept`` reads, or the
    rest of the file (``read_later``), as Setups; ``held`` are the attributes the graph holds (its
    layers and lists of layers).  ``statements``: the part of ``init`` to look in, when not the
    lines above its setup (a graph class's lines above ``super().__init__``)."""
    read = set().union(*(self_attributes_in(method) for method in kept)) if kept else set()
    read |= read_later
    if init is None or not read:
        return ()
    body = tuple(init.body.body)
    body = body[: setup_start(body)] if statements is None else statements
    found = []
    for index, statement in enumerate(body):
        attr, value = _assigned(statement)
        if attr is None or attr not in read or attr in held or _stores_param(attr, value, params):
            continue
        local = sorted(identifiers(value) & (assigned_anywhere(body[:index]) - params))
        if local or "self" in identifiers(value):
            name = local[0] if local else "self"
            raise refuse(
                src.loc(statement),
                f"`self.{attr}`, which a method the class keeps reads, is set from `{name}`, which a"
                " class that builds a graph does not have where it sets its state",
                f"set `self.{attr}` from the constructor's parameters, or keep the model a subclass",
            )
        code = src.code(statement.with_changes(leading_lines=())).strip()
        found.append(Setup(src.loc(statement), code, frozenset({attr})))
    return tuple(found)


def _assigned(statement: cst.BaseStatement) -> tuple[str | None, cst.BaseExpression | None]:
    """``("time", [])`` for ``self.time = []`` (or ``self.time: list = []``); ``(None, None)`` for any other statement."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if isinstance(small, cst.AnnAssign) and small.value is not None:
        # ``self.decoder: Model = ...`` is read as its unannotated twin (constructor.py).
        target = small.target
    elif isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
    else:
        return None, None
    if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
        return target.attr.value, small.value
    return None, None


def _stores_param(attr: str, value: cst.BaseExpression, params: set[str]) -> bool:
    return isinstance(value, cst.Name) and value.value in params and kept_as_written(attr, value.value)

