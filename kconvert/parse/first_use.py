"""Where a model that gives no input shape meets its first data, named in the refusal's hint.

Keras builds such a model on the first data it is given, so that use is where the user finds the
shape to pass (``--input-shape``): ``model.fit(train_ds, ...)`` on a data set loaded from files,
``model(np.load("x.npy"))``.  kconvert names the first read of the model's name after it is made,
in the block that makes it (``model.compile`` builds nothing); when nothing after it reads the name
before it is bound again, the file never builds it, and the hint says that instead.
"""

from __future__ import annotations

import libcst as cst

from ..types import Style
from .binds_anywhere import bound_anywhere
from .names_in import name_nodes
from .sequential.fitted import method_line
from .sites import ModelSite
from .source import SourceFile

SHORT = 60


def first_use(src: SourceFile, site: ModelSite) -> str | None:
    """``the first line after it that uses it: `model.fit(x_train, ...)` at line 12``, or ``nothing
    after it in this file uses it`` when its name is bound again first or never read; None for a
    model kconvert does not follow here (a builder's ``return``, a class, a use in a ``def`` or in
    a block that may bind the name)."""
    target = site.binding.target
    if target is None or site.style is not Style.SEQUENTIAL:
        return None
    for statement in list(site.block.body)[site.end :]:
        mentions = [name for name in name_nodes(statement) if name.value == target]
        if not mentions or method_line(statement, target, "compile") is not None:
            continue
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            return None
        simple = isinstance(statement, cst.SimpleStatementLine)
        if not simple and target in bound_anywhere(statement):
            return None
        reads = [name for name in mentions if not isinstance(src.parent(name), cst.AssignTarget)]
        if not reads:
            break  # bound again: this model is never used
        use = _use(src, reads[0])
        return f"the first line after it that uses it: `{_short(src, use)}` at line {src.loc(use).line}"
    return "nothing after it in this file uses it"


def _use(src: SourceFile, name: cst.Name) -> cst.CSTNode:
    """The call that reads ``name``: ``model(x)``, ``model.fit(x, y)``; else the name itself."""
    parent = src.parent(name)
    if isinstance(parent, cst.Attribute) and parent.value is name:
        call = src.parent(parent)
        return call if isinstance(call, cst.Call) and call.func is parent else parent
    return parent if isinstance(parent, cst.Call) and parent.func is name else name


def _short(src: SourceFile, use: cst.CSTNode) -> str:
    """The call on one line, the arguments after the first left out when it is long."""
    if not isinstance(use, cst.Call):
        return _one_line(src, use)
    args = [(f"{arg.keyword.value}=" if arg.keyword else arg.star) + _one_line(src, arg.value) for arg in use.args]
    func = _one_line(src, use.func)
    text = f"{func}({', '.join(args)})"
    if len(text) > SHORT and len(args) > 1:
        text = f"{func}({args[0]}, ...)"
    return text if len(text) <= SHORT else text[: SHORT - 3] + "..."


def _one_line(src: SourceFile, node: cst.CSTNode) -> str:
    return " ".join(src.code(node).split())
