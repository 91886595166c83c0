"""A builder's layer list filled by appends, then given to ``Sequential(...)``.

PyTorch-style ports make a stage of layers so: a VGG's ``make_features(cfg)`` appends a
Conv2D or a pooling layer per entry of ``cfg``, a ResNet's ``_make_layer`` appends one block
and then one per ``range(1, n)``::

    layers_list = []
    for v in cfg:
        layers_list.append(...)
    return Sequential(layers_list, name="features")

When nothing after the model reads the list, the list is the model's own, as a list literal
just before it is (``layer_lists.inlined_literal``): its appends are read as ``.add()`` calls
are (parse/sequential/adds.py, loops and ``if`` blocks too), and its lines, from the empty
list on, become part of the model's code.
"""

from __future__ import annotations

import libcst as cst

from ..after_site import code_after, model_owned
from ..module_index import name_assignment
from ..names_in import identifiers
from ..sites import ModelSite
from ..source import SourceFile
from .adds import added_items
from .items import Item, layers_arg


def appended_list(src: SourceFile, site: ModelSite, statements, call: cst.Call) -> tuple[list[Item], int] | None:
    """The layers the appends add and the index of the ``name = []`` line, or None unless every
    line from there to the model appends to the list or leaves it alone, and nothing after the
    model reads it."""
    value = layers_arg(call)
    if not (isinstance(value, cst.Name) and not value.lpar):
        return None
    name = value.value
    start = _empty_list_line(name, statements[: site.start])
    if start is None:
        return None
    lines = statements[start + 1 : site.start]
    items, taken, deferred = added_items(src, lines, name, "append")
    if not items or taken != len(lines) or deferred:
        return None
    if not model_owned(src, {name}, code_after(src, site, statements)):
        return None
    return items, start


def _empty_list_line(name: str, before) -> int | None:
    """The index of the last ``name = []`` before the model (the lines after it are checked by
    the caller: each must append to the list or not mention it)."""
    for index in range(len(before) - 1, -1, -1):
        assigned = name_assignment(before[index])
        if assigned is not None and assigned[0] == name:
            value = assigned[1]
            return index if isinstance(value, cst.List) and not value.elements else None
        if name in identifiers(before[index]) and not _appends_only(before[index], name):
            return None
    return None


def _appends_only(statement: cst.BaseStatement, name: str) -> bool:
    """A line that may be one of the list's appends (``added_items`` reads it exactly)."""
    return not isinstance(statement, cst.SimpleStatementLine) or all(
        isinstance(small, cst.Expr) for small in statement.body
    )
