"""The inputs a subclass's call() takes: the names they go by (the parameter, or the
names it is unpacked or indexed into), their dict keys, and the structure the
graph's ``inputs`` are written as."""

from __future__ import annotations

import libcst as cst

from ...ir.source_text import Arg, Code
from ..builder import refuse
from ..names_in import identifiers
from ..source import SourceFile


def input_names(src: SourceFile, call: cst.FunctionDef, statements: list[cst.BaseStatement]):
    """The names the inputs go by in call(), and their dict keys when the inputs are a dict.

    The call() parameter itself, or the names ``a, b = inputs`` unpacks it
    into, or the names of leading ``image = inputs["image"]`` lines (sorted by
    key, as the shapes of a dict are), or of leading ``user = inputs[0]``,
    ``item = inputs[1]`` lines (a list, in index order); the unpacking lines are consumed.
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
                names = [element.value.value for element in elements]
                _not_read_again(src, statements, name, names)
                return names, None
    keyed: dict[str, str] = {}
    while statements and (found := _keyed_input(statements[0], name)) is not None:
        key, bound = found
        keyed[key] = bound
        statements.pop(0)
    if keyed:
        _not_read_again(src, statements, name, keyed.values())
        keys = sorted(keyed)
        return [keyed[key] for key in keys], keys
    indexed = _indexed_inputs(statements, name)
    if indexed:
        del statements[: len(indexed)]
        _not_read_again(src, statements, name, indexed.values())
        return [indexed[index] for index in sorted(indexed)], None
    return [name], None


def _not_read_again(src: SourceFile, statements: list[cst.BaseStatement], name: str, inputs) -> None:
    """The graph has one name per input, the unpacked ones: a later read of the whole
    structure (``inputs["x"]`` again) would name nothing there, unless one input takes its
    name (``inputs, targets = inputs``: a later ``inputs`` is that input)."""
    if name in inputs:
        return
    for statement in statements:
        if name in identifiers(statement):
            raise refuse(
                src.loc(statement),
                f"call() reads `{name}` again after taking its inputs out of it",
                f"use the names the first lines of call() give the inputs instead of `{name}`",
            )


def _indexed_inputs(statements: list[cst.BaseStatement], inputs: str) -> dict[int, str]:
    """``{0: "user", 1: "item"}`` for leading ``user = inputs[0]``, ``item = inputs[1]`` lines
    that name every element of a list of two or more: fewer, or a gap, is not such a list
    (``x = inputs[0]`` alone may as well pick a tensor's first row)."""
    found: dict[int, str] = {}
    for statement in statements:
        pair = _keyed_input(statement, inputs, int)
        if pair is None or pair[0] in found or pair[1] in found.values():
            break
        found[pair[0]] = pair[1]
    return found if len(found) >= 2 and sorted(found) == list(range(len(found))) else {}


def _keyed_input(statement: cst.BaseStatement, inputs: str, kind: type = str) -> tuple | None:
    """``("image", "img")`` for ``img = inputs["image"]``; with ``kind=int``, ``(0, "user")``
    for ``user = inputs[0]``."""
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
    if not isinstance(index, cst.Index):
        return None
    if kind is str and isinstance(index.value, cst.SimpleString):
        return index.value.evaluated_value, small.targets[0].target.value
    if kind is int and isinstance(index.value, cst.Integer):
        return int(index.value.value), small.targets[0].target.value
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
