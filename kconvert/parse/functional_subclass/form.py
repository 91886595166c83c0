"""Recognising a class whose ``__init__`` builds a Functional graph.

The class derives from ``keras.Model`` (or from one of the file's classes that only
customise training, or from a class imported from elsewhere, such as keras-hub's
``Backbone``), has no ``call()`` and an ``__init__`` with a top-level
``super().__init__(inputs, outputs, ...)``: ``__init__`` then *is* the model's code.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..binds_anywhere import bound_anywhere
from ..model_call import model_arguments
from ..model_setup import stores_param
from ..names_in import self_attributes_in
from ..source import SourceFile
from ..subclass.shapes import model_base


@dataclass(frozen=True)
class GraphInit:
    """The constructor of such a class, split at its ``super().__init__(...)`` statement."""

    init: cst.FunctionDef
    before: tuple[cst.BaseStatement, ...]
    super_call: cst.Call
    after: tuple[cst.BaseStatement, ...]


def graph_init(src: SourceFile, cls: cst.ClassDef) -> GraphInit | None:
    """The class's graph-building constructor, or None when the class is not of this form."""
    if model_base(src, cls) is None and imported_base(src, cls) is None:
        return None
    methods = {item.name.value: item for item in cls.body.body if isinstance(item, cst.FunctionDef)}
    init = methods.get("__init__")
    if init is None or "call" in methods or not isinstance(init.body, cst.IndentedBlock):
        return None
    body = tuple(init.body.body)
    for index, statement in enumerate(body):
        call = _super_init(statement)
        arguments = model_arguments(call) if call is not None else None
        if arguments is not None:
            if model_base(src, cls) is None and _handed_on(init, body[:index], arguments[1]):
                return None
            kept = _kept_as_given(init, body[:index])
            return GraphInit(init, body[len(kept) : index], call, kept + body[index + 1 :])
    return None


def _handed_on(init: cst.FunctionDef, before: tuple[cst.BaseStatement, ...], outputs: cst.BaseExpression) -> bool:
    """Whether ``outputs`` is a parameter of ``__init__`` passed on as given: a class of an imported
    base that does so (``super().__init__(model, trained)`` of a wrapper of a model) builds no graph."""
    params = {param.name.value for param in [*init.params.params, *init.params.kwonly_params]}
    bound = {name for statement in before for name in bound_anywhere(statement)}
    return isinstance(outputs, cst.Name) and outputs.value in params - bound


def _kept_as_given(init: cst.FunctionDef, before: tuple[cst.BaseStatement, ...]) -> tuple[cst.BaseStatement, ...]:
    """The ``self.units = units`` lines that open ``__init__``: a parameter kept as given for
    ``get_config`` before the graph's code assigns to it (``units = units * 2``), as a store after
    ``super().__init__`` keeps one that code leaves alone; neither is part of the graph, unless
    that code reads the attribute (attributes.py)."""
    params = {param.name.value for param in [*init.params.params, *init.params.kwonly_params]}
    kept = []
    for statement in before:
        if not stores_param(statement, params):
            break
        kept.append(statement)
    read = {attr for statement in before[len(kept) :] for attr in self_attributes_in(statement)}
    # ``self.units`` read by the graph's code is a local name there (attributes.py), not a store.
    stored = {attr for statement in kept for attr in self_attributes_in(statement)}
    return () if read & stored else tuple(kept)


def imported_base(src: SourceFile, cls: cst.ClassDef) -> cst.BaseExpression | None:
    """A base the file imports from a module other than Keras (keras-hub's ``Backbone``).

    kconvert cannot read it, but a class whose ``__init__`` hands ``inputs`` and ``outputs``
    to it is a Functional model of that class (``graph_init`` asks for that call).
    """
    for base in cls.bases:
        names = src.qualified(base.value)
        if src.keras(base.value) is None and names and all("." in name and not name.startswith("builtins.") for name in names):
            return base.value
    return None


def _super_init(statement: cst.BaseStatement) -> cst.Call | None:
    """The call of ``super().__init__(...)`` (or ``super(Cls, self).__init__``) the statement is."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    small = statement.body[0]
    if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
        return None
    func = small.value.func
    if (
        isinstance(func, cst.Attribute)
        and func.attr.value == "__init__"
        and isinstance(func.value, cst.Call)
        and isinstance(func.value.func, cst.Name)
        and func.value.func.value == "super"
    ):
        return small.value
    return None
