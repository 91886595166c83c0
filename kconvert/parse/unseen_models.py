"""Models made where kconvert does not look for them.

kconvert converts a model bound to a name (``model = keras.Sequential(...)``) or returned by a
builder. A file whose only models are made inside another expression
(``models.append(keras.Sequential([...]))``, an ensemble built in a loop) or dropped as a statement
of their own (a course's snippet showing where a layer goes) is refused at the first of them,
with what to write instead, rather than as a file with no model at all; so is
a model made with Keras 1's ``Model(input=..., output=...)``, and a
``models.Model(...)`` whose ``models`` the file is handed at run time other than as
keras_applications' four modules (``handed_modules.py`` reads those), which kconvert cannot tell
is Keras, a model bound to
an attribute of another object (a tutorial's ``tf.model = tf.keras.Sequential()``), and a class
derived from ``keras.Sequential``, which kconvert does not read yet (``unseen_callers.py``: a
``Model`` the file never imports, a model made by a function of another module).
"""

from __future__ import annotations

import libcst as cst

from ..ir.source_text import Loc
from ..types import Diagnostic
from .keras_names import MODEL, SEQUENTIAL
from .source import SourceFile
from .unseen_callers import model_from_imported_function, unimported_model
from .walk import walk


def unseen_models(src: SourceFile) -> Diagnostic | None:
    """Why a file where kconvert found no model has models all the same, or None: the first
    finder below that sees one, in this order."""
    finders = (
        _unbound,
        _attribute_bound_model,
        _keras1_model,
        _sequential_subclass,
        _handed_module_model,
        unimported_model,
        model_from_imported_function,
    )
    for finder in finders:
        found = finder(src)
        if found is not None:
            return found
    return None


def unread_beside(src: SourceFile) -> Diagnostic | None:
    """Why a file where kconvert found models cannot be converted whole: a model made with Keras
    1's ``Model(input=..., output=...)``, which kconvert does not read, would stay Functional beside
    the others (a class's inference model next to the training model a method builds)."""
    return _keras1_model(src)


def _unbound(src: SourceFile) -> Diagnostic | None:
    """The first model neither bound to a name nor returned (``models.append(keras.Sequential(...))``)."""
    finder = _Unbound(src)
    walk(src.module, finder)
    if finder.found is None:
        return None
    loc, callee, dropped = finder.found
    where = "a statement of its own, which drops the model" if dropped else "made inside another expression"
    return _at(
        loc,
        f"this `{callee}(...)` is {where}: kconvert converts a model bound to a name or returned by a function",
        f"bind it to a name first (`model = {callee}(...)`), then use the name",
    )


def _at(loc: Loc, message: str, hint: str) -> Diagnostic:
    return Diagnostic(loc.line, loc.col, message, hint)


def _sequential_subclass(src: SourceFile) -> Diagnostic | None:
    """The first class derived from ``keras.Sequential`` (``class MLP(keras.Sequential)`` adding
    its layers in ``__init__``)."""
    for statement in src.module.body:
        if not isinstance(statement, cst.ClassDef):
            continue
        for base in statement.bases:
            keras = src.keras(base.value)
            if keras is not None and keras.path in SEQUENTIAL:
                name, written = statement.name.value, src.code(base.value)
                return _at(
                    src.loc(statement),
                    f"`{name}` is a subclass of `{written}` whose `__init__` gives it its layers: kconvert"
                    " does not read such a class yet",
                    f"write it as a function that returns `{written}([...])`, its parameters the function's,"
                    " and convert that",
                )
    return None


def _handed_module_model(src: SourceFile) -> Diagnostic | None:
    """The first ``<name>.Model(...)`` or ``<name>.Sequential(...)`` made on a name no import
    binds, in a file that imports something of Keras."""
    imported: set[str] = set()
    keras_file = False
    for node in _imports(src.module):
        names = node.names if isinstance(node.names, (list, tuple)) else ()
        imported.update(src.code(alias.asname.name if alias.asname else alias.name).split(".")[0] for alias in names)
        module = src.code(node.module) if isinstance(node, cst.ImportFrom) and node.module else ""
        keras_file |= "keras" in module or any("keras" in src.code(alias.name) for alias in names)
    # Without a Keras import, a name the file unpacks from a call (``layers, models = load(kwargs)``)
    # is still handed in.
    handed = None if keras_file else _assigned_from_calls(src.module)
    if handed is not None and not handed:
        return None
    found: list[tuple[Loc, str, str]] = []

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value in ("Model", "Sequential")
                and isinstance(func.value, cst.Name)
                and func.value.value not in imported
                and (handed is None or func.value.value in handed)
                and src.keras(func) is None
            ):
                found.append((src.loc(node), src.code(func), func.value.value))

    walk(src.module, Visitor())
    if not found:
        return None
    loc, callee, module = found[0]
    return _at(
        loc,
        f"`{callee}(...)` makes a model from `{module}`, which this file is handed at run time"
        " rather than imports, so kconvert cannot tell it is Keras",
        f"import it from Keras: `from tensorflow.keras import {module}`, or `from keras import {module}`",
    )


def _assigned_from_calls(module: cst.Module) -> set[str]:
    """The names the file binds to what a call returns, unpacked or not."""
    found: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if isinstance(node.value, cst.Call):
                for target in node.targets:
                    walk(target.target, names)

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

    names = Names()
    walk(module, Visitor())
    return found


def _imports(module: cst.Module) -> list[cst.Import | cst.ImportFrom]:
    found: list[cst.Import | cst.ImportFrom] = []

    class Visitor(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            found.append(node)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            found.append(node)

    walk(module, Visitor())
    return found


def _attribute_bound_model(src: SourceFile) -> Diagnostic | None:
    """The first model bound to ``<object>.<name>`` other than ``self.<name>`` (a tutorial's
    ``tf.model = tf.keras.Sequential()``)."""
    found: list[tuple[Loc, str, str]] = []

    class Visitor(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            keras = src.keras(node.value.func) if isinstance(node.value, cst.Call) else None
            if keras is None or keras.path not in SEQUENTIAL | MODEL:
                return
            for target in node.targets:
                if isinstance(target.target, cst.Attribute) and _root(target.target) != "self":
                    found.append((src.loc(node.value), src.code(node.value.func), src.code(target.target)))

    walk(src.module, Visitor())
    if not found:
        return None
    loc, callee, target = found[0]
    return _at(
        loc,
        f"this `{callee}(...)` is bound to `{target}`, an attribute of another object: kconvert"
        " converts a model bound to a name (or to `self.<name>` in a method) or returned by a function",
        f"bind it to a name (`model = {callee}(...)`), then use the name",
    )


def _keras1_model(src: SourceFile) -> Diagnostic | None:
    """The first ``Model(input=..., output=...)`` (zhixuhao's U-Net)."""
    found: list[tuple[Loc, str]] = []

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            keras = src.keras(node.func)
            words = {arg.keyword.value for arg in node.args if arg.keyword is not None}
            if keras is not None and keras.path in MODEL and words & {"input", "output"}:
                found.append((src.loc(node), src.code(node.func)))

    walk(src.module, Visitor())
    if not found:
        return None
    loc, callee = found[0]
    return _at(
        loc,
        f"`{callee}(input=..., output=...)` is Keras 1's spelling, which Keras 3 does not accept",
        "write `inputs=` and `outputs=`",
    )


def _root(name: cst.BaseExpression) -> str:
    while isinstance(name, cst.Attribute):
        name = name.value
    return name.value if isinstance(name, cst.Name) else ""


class _Unbound(cst.CSTVisitor):
    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self.bound: set[int] = set()  # ids of calls that are the whole value of a binding or return
        self.dropped: set[int] = set()  # ids of calls that are a whole statement (a book's snippet)
        self.found: tuple[Loc, str, bool] | None = None

    def visit_Expr(self, node: cst.Expr) -> None:
        self.dropped.add(id(node.value))

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        # A layer's sublayers (``self.blocks = [keras.Sequential(...) for ...]``) are no model of the file.
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        self.bound.add(id(node.value))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.bound.add(id(node.value))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.bound.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        if self.found is not None or id(node) in self.bound:
            return
        keras = self.src.keras(node.func)
        if keras is None or keras.path not in SEQUENTIAL | MODEL:
            return
        if keras.path in MODEL and not (node.args or node.keywords):
            return  # ``keras.Model()`` alone makes no graph
        self.found = (self.src.loc(node), self.src.code(node.func), id(node) in self.dropped)
