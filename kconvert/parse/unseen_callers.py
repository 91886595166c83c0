"""Models a file makes through a name kconvert cannot tell is Keras'.

A notebook's solution cell saved as a file uses ``Model`` and ``Input`` that an earlier cell
imported (``model = Model(model_input, outputs)`` or ``class Net(Model)`` with no import of
``Model``), and a package's builder hands its tensors to a function of its own that makes the
``keras.Model`` (``model = get_segmentation_model(img_input, o)``, imported from
``.model_utils``).  Either file has a model that kconvert cannot see; it is refused at the line
that makes it, with what would let kconvert read it, rather than as a file with no model.
"""

from __future__ import annotations

import libcst as cst

from ..types import Diagnostic
from .keras_names import MODEL, SEQUENTIAL
from .source import SourceFile
from .spelling import dotted_name
from .star_imports import star_modules
from .walk import walk

_MODEL_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in MODEL | SEQUENTIAL)
# The names Keras is reached by, and the import that binds each.
_MODULES = {"keras": "import keras` or `from tensorflow import keras", "tf": "import tensorflow as tf"}


def unimported_model(src: SourceFile) -> Diagnostic | None:
    """The first ``Model(...)``, ``Sequential(...)`` or class based on either whose name nothing
    in the file binds (and no star import could)."""
    if star_modules(src):
        return None
    found: list[cst.Name] = []

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            found.extend(_unbound(src, node.func))

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            for base in node.bases:
                found.extend(_unbound(src, base.value))

    walk(src.module, Visitor())
    if not found:
        return None
    first = min(found, key=lambda node: (src.loc(node).line, src.loc(node).col))
    loc, name = src.loc(first), first.value
    if name in _MODULES:
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{name}` is read here, but the file never imports it, so kconvert cannot tell it is Keras",
            f"import it: `{_MODULES[name]}`",
        )
    return Diagnostic(
        loc.line,
        loc.col,
        f"`{name}` is read here, but the file never imports it, so kconvert cannot tell it is Keras' `{name}`",
        f"import it: `from keras import {name}`, or `from tensorflow.keras.models import {name}`",
    )


def model_from_imported_function(src: SourceFile) -> Diagnostic | None:
    """The first ``model = f(...)`` or ``return f(...)`` in a function that makes Keras layers, where
    ``f`` is imported from a module that is not Keras and is handed one of those layers' tensors,
    and the value is a model by its name or its use (``model``, ``get_model``, ``x.compile(...)``):
    a helper that only returns a tensor (``x = conv_block(x)``) is no model."""
    imported = _imported_functions(src.module)
    if not imported:
        return None
    found: list[tuple[cst.Call, str]] = []

    class Visitor(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            tensors = _tensor_names(src, node)
            used_as_models = _used_as_models(node.body)
            for call, bound in _walk_calls(node.body):
                callee = call.func.value if isinstance(call.func, cst.Name) else None
                handed = any(isinstance(arg.value, cst.Name) and arg.value.value in tensors for arg in call.args)
                model = "model" in f"{callee} {bound}".lower() or bound in used_as_models
                if callee in imported and handed and model:
                    found.append((call, imported[callee]))

    walk(src.module, Visitor())
    if not found:
        return None
    call, module = found[0]
    loc, callee = src.loc(call), src.code(call.func)
    return Diagnostic(
        loc.line,
        loc.col,
        f"`{callee}(...)` is handed this function's tensors, and `{callee}` comes from `{module}`, which kconvert"
        " does not read: if it makes the model, kconvert cannot see it",
        f"make the model here with `keras.Model(inputs, outputs)`, or convert the file that defines `{callee}`",
    )


def _unbound(src: SourceFile, func: cst.BaseExpression) -> list[cst.Name]:
    """``[Model]`` for an unbound ``Model``; ``[keras]`` for ``keras.models.Sequential`` (or
    ``tf.keras.Model``) when nothing binds ``keras`` (a snippet saved without its imports)."""
    if isinstance(func, cst.Attribute) and func.attr.value in _MODEL_NAMES:
        head = func
        while isinstance(head, cst.Attribute):
            head = head.value
        if isinstance(head, cst.Name) and head.value in _MODULES:
            func = head
    elif not isinstance(func, cst.Name) or func.value not in _MODEL_NAMES or src.keras(func) is not None:
        return []
    if not isinstance(func, cst.Name) or func.value not in _MODEL_NAMES | _MODULES.keys():
        return []
    scope = src.scope(func)
    if scope is None:
        return []
    accesses = [access for access in scope.accesses[func.value] if access.node is func]
    return [func] if accesses and not any(access.referents for access in accesses) else []


def _imported_functions(module: cst.Module) -> dict[str, str]:
    """``{name: module}`` for the lower-case names a module-level ``from X import name`` binds,
    X not Keras nor TensorFlow."""
    found: dict[str, str] = {}
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            source = "." * len(small.relative) + (dotted_name(small.module) if small.module else "")
            if any(word in source for word in ("keras", "tensorflow")):
                continue
            for alias in small.names:
                name = (alias.asname.name if alias.asname else alias.name).value
                if name[:1].islower():
                    found[name] = source
    return found


def _tensor_names(src: SourceFile, function: cst.FunctionDef) -> set[str]:
    """The names a function binds to what a Keras layer, or ``Input``, returns."""
    names: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            call = node.value
            if not isinstance(call, cst.Call):
                return
            inner = call.func.func if isinstance(call.func, cst.Call) else call.func
            keras = src.keras(inner)
            if keras is not None and (keras.is_layer_class or keras.last == "Input"):
                names.update(target.target.value for target in node.targets if isinstance(target.target, cst.Name))

    walk(function.body, Visitor())
    return names


_MODEL_METHODS = frozenset({"compile", "fit", "summary", "predict", "evaluate", "save", "load_weights"})


def _used_as_models(body: cst.CSTNode) -> set[str]:
    """The names whose model methods the code calls (``net.compile(...)``)."""
    names: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in _MODEL_METHODS:
                names.add(func.value.value)

    walk(body, Visitor())
    return names


def _walk_calls(body: cst.CSTNode) -> list[tuple[cst.Call, str]]:
    """The calls that are the whole value of an assignment to a name or of a return, with that
    name ("" for a return)."""
    calls: list[tuple[cst.Call, str]] = []

    class Visitor(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            target = node.targets[0].target
            if isinstance(node.value, cst.Call) and len(node.targets) == 1 and isinstance(target, cst.Name):
                calls.append((node.value, target.value))

        def visit_Return(self, node: cst.Return) -> None:
            if isinstance(node.value, cst.Call):
                calls.append((node.value, ""))

    walk(body, Visitor())
    return calls
