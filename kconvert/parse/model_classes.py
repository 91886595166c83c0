"""The file's own ``keras.Model`` subclasses that only change how a model trains.

The keras.io guide "Customizing what happens in fit()" writes
``class CustomModel(keras.Model)`` with a ``train_step`` and nothing else, then
makes Functional models from it: ``model = CustomModel(inputs, outputs)``.
Such a class has no forward pass of its own, so it is no model to convert: it is
the *class* of a model, which every style that can keep it keeps
(``Graph.base``), and a subclass inherits from it.
"""

from __future__ import annotations

import libcst as cst

from ..ir.model_parts import Method
from .builder import refuse
from .keras_names import MODEL
from .source import SourceFile

# Methods that give a class a forward pass or a constructor of its own.
_MODEL_DEFINING = frozenset({"__init__", "call", "build"})


def training_bases(src: SourceFile) -> dict[str, str]:
    """``{class name: Keras root}`` of each module-level class that only customises training."""
    if src.training_bases is None:
        found = {}
        for statement in src.module.body:
            if not isinstance(statement, cst.ClassDef):
                continue
            root = _keras_model_root(src, statement)
            methods = {
                item.name.value for item in statement.body.body if isinstance(item, cst.FunctionDef)
            }
            if root is not None and methods and not methods & _MODEL_DEFINING:
                found[statement.name.value] = root
        src.training_bases = found
    return src.training_bases


def _keras_model_root(src: SourceFile, cls: cst.ClassDef) -> str | None:
    for base in cls.bases:
        keras = src.keras(base.value)
        if keras is not None and keras.path in MODEL:
            return keras.root
    return None


def local_base(src: SourceFile, expr: cst.BaseExpression) -> str | None:
    """The Keras root when ``expr`` names one of the file's training-only model classes."""
    if isinstance(expr, cst.Name):
        return training_bases(src).get(expr.value)
    return None


def class_members(src: SourceFile, cls: cst.ClassDef, methods: dict[str, cst.FunctionDef], dropped) -> tuple[Method, ...]:
    """The class's decorators and its methods besides ``dropped``: what only a class can keep.

    A target that writes a class writes them into it as they were written; the others refuse,
    naming the first.
    """
    decorators = tuple(
        Method("@" + (text := src.code(item.decorator).strip()), src.loc(item), "@" + text)
        for item in cls.decorators
    )
    kept = tuple(
        Method(name, src.loc(method), src.code(method.with_changes(leading_lines=())).rstrip("\n"))
        for name, method in methods.items()
        if name not in dropped and not (name == "build" and traces_call(method))
    )
    return decorators + kept


def traces_call(method: cst.FunctionDef) -> bool:
    """A ``build`` that only calls ``call()`` on a symbolic input, as kconvert writes it for a
    Normalization (emit/subclass/build.py): the layers' own, which every style writes anew."""
    statements = method.body.body if isinstance(method.body, cst.IndentedBlock) else ()
    if statements and is_docstring(statements[0]):
        statements = statements[1:]
    return len(statements) == 1 and _is_trace(statements[0])


def shape_build(method: cst.FunctionDef | None) -> cst.FunctionDef | None:
    """``build(self, input_shape)`` that makes layers by the input's shape, then calls ``call()``
    on a symbolic input, as kconvert writes a model's (emit/subclass/model.py): without its last
    line, a block's build() (parse/build_reads.py); None for any other method."""
    statements = method.body.body if method is not None and isinstance(method.body, cst.IndentedBlock) else ()
    if len(statements) < 2 or len(method.params.params) != 2 or not _is_trace(statements[-1]):
        return None
    return method.with_changes(body=method.body.with_changes(body=statements[:-1]))


def _is_trace(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    (small,) = statement.body if len(statement.body) == 1 else (None,)
    call = small.value if isinstance(small, cst.Expr) else None
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and isinstance(call.func.value, cst.Name)
        and (call.func.value.value, call.func.attr.value) == ("self", "call")
        and len(call.args) == 1
        and call.args[0].keyword is None
        and _symbolic(call.args[0].value)
    )


def _symbolic(value: cst.BaseExpression) -> bool:
    """``keras.Input(...)``, or a list of them: a model of several inputs is called with one."""
    if isinstance(value, cst.List):
        return bool(value.elements) and all(isinstance(element.value, cst.Call) for element in value.elements)
    return isinstance(value, cst.Call)


def class_methods(src: SourceFile, cls: cst.ClassDef, lost: str, hint: str) -> dict[str, cst.FunctionDef]:
    """The methods of a model class by name; any other class statement but a docstring is
    refused, as ``lost`` says (``in a Functional model``), with ``hint``."""
    methods = {}
    for statement in cls.body.body:
        if isinstance(statement, cst.FunctionDef):
            methods[statement.name.value] = statement
        elif isinstance(statement, cst.ClassDef):
            name = statement.name.value
            raise refuse(
                src.loc(statement),
                f"the class `{name}` is defined inside the model class and would be lost{lost}",
                f"move `{name}` to the top level of the module first, or {hint}",
            )
        elif not is_docstring(statement):
            raise refuse(src.loc(statement), f"the class attribute `{_first_line(src, statement)}` would be lost{lost}", hint)
    return methods


def _first_line(src: SourceFile, statement: cst.BaseStatement) -> str:
    """The statement's code for a one-line diagnostic: its first line, shortened when long."""
    code = src.code(statement).strip()
    first = code.splitlines()[0]
    return first if first == code and len(first) <= 80 else first[:60].rstrip() + " ..."


def is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )
