"""The inputs a subclass's call() takes: the names they go by (the parameter, or the
names it is unpacked or indexed into), their dict keys, and the structure the
graph's ``inputs`` are written as."""

from __future__ import annotations

import libcst as cst

from ...ir.source_text import Arg, Code
from ..builder import refuse
from ..source import SourceFile


def input_names(src: SourceFile, call: cst.FunctionDef, statements: list[cst.BaseStatement]):
    """The names the inputs go by in call(), and their dict keys when the inputs are a dict.

    The call() parameter itself, or the names ``a, b = inputs`` unpacks it
    into, or the names of leading ``image = inputs["image"]`` lines (sorted by
    key, as the shapes of a dict are); the unpacking lines are consumed.
    """
    params = call.params.params
    if len(params) < 2:
        raise refuse(src.loc(call), "call() takes no inputs")
    name = params[1].name.value
    if statements and isinstance(statements[0], cst.SimpleStatementLine):
        small = statements[0].body[0]
        if (
            isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Name)
            and small.value.value == name
            and isinstance(small.targets[0].target, (cst.Tuple, cst.List))
        ):
            elements = small.targets[0].target.elements
            if all(isinstance(element.value, cst.Name) for element in elements):
                statements.pop(0)
                return [element.value.value for element in elements], None
    keyed: dict[str, str] = {}
    while statements and (found := _keyed_input(statements[0], name)) is not None:
        key, bound = found
        keyed[key] = bound
        statements.pop(0)
    if keyed:
        keys = sorted(keyed)
        return [keyed[key] for key in keys], keys
    return [name], None


def _keyed_input(statement: cst.BaseStatement, inputs: str) -> tuple[str, str] | None:
    """``("image", "img")`` for ``img = inputs["image"]``."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    small = statement.body[0]
    if not (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
    ):
        return None
    value = small.value
    if not (isinstance(value, cst.Subscript) and is_name(value.value, inputs) and len(value.slice) == 1):
        return None
    index = value.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
        return index.value.evaluated_value, small.targets[0].target.value
    return None


def named_input(args: tuple[Arg, ...], key: str) -> tuple[Arg, ...]:
    if any(arg.keyword == "name" for arg in args):
        return args
    return (*args, Arg(Code(_quoted(key)), "name"))


def _quoted(key: str) -> str:
    return cst.Module([]).code_for_node(
        cst.SimpleString('"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"')
    )


def input_structure(placeholders: list[str], keys: list[str] | None) -> str:
    if keys is not None:
        items = ", ".join(f"{_quoted(key)}: {value}" for key, value in zip(keys, placeholders))
        return "{" + items + "}"
    return placeholders[0] if len(placeholders) == 1 else f"[{', '.join(placeholders)}]"


def is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name
