"""Model inputs chosen by an ``if``: the Keras Applications' ``input_tensor`` parameter.

``if input_tensor is None: img_input = Input(shape=input_shape) else: img_input = input_tensor``
makes the model's input a new ``Input`` or a tensor the caller gives, and ``if input_tensor is not
None: inputs = get_source_inputs(input_tensor) else: inputs = img_input`` picks what the model is
built from.  Both are kept as written: the first as the ``Input`` node's ``choice``, the second as a
statement that reads the input.  A Functional graph (and a class that builds one) writes them again;
a subclass or a Sequential model makes its own inputs, so it refuses them (emit/context.py).

The same holds for inputs a helper of the file makes (``inputs = create_model_inputs()``, a dict of
``keras.Input`` per feature in the structured-data examples): the line is the ``Input`` node's
``choice``, written again by graph code only.
"""

from __future__ import annotations

import libcst as cst

from .keras_names import INPUT
from .module_index import functions
from .names_in import bound_names, calls_in
from .source import SourceFile

Pairs = list[tuple[str, cst.BaseExpression]]


def input_choice(src: SourceFile, statement: cst.If) -> tuple[str, cst.Call, tuple[str, ...]] | None:
    """``(name, Input call, given)`` when every path of ``statement`` binds one name, at least one
    to ``Input(...)`` and the others to a plain value (``input_tensor``), and it does nothing else.
    ``given`` names the tensors the caller gives: those plain values, and ``Input(tensor=...)``."""
    pairs = _assignments(statement)
    if not pairs or len({name for name, _ in pairs}) != 1:
        return None
    made = [value for _, value in pairs if _is_input(src, value)]
    given = [value for _, value in pairs if not _is_input(src, value)]
    if not made or any(calls_in(value) for value in given):
        return None
    tensors = [arg.value for call in made for arg in call.args if arg.keyword and arg.keyword.value == "tensor"]
    given_names = [value.value for value in [*given, *tensors] if isinstance(value, cst.Name)]
    return pairs[0][0], made[0], tuple(dict.fromkeys(given_names))


def source_choice(statement: cst.If, inputs: set[str]) -> tuple[str, Pairs] | None:
    """``(name, assignments)`` when every path of ``statement`` binds one name and one of them
    hands on a chosen input (a name in ``inputs``): the model is built from that name."""
    pairs = _assignments(statement)
    if not pairs or len({name for name, _ in pairs}) != 1:
        return None
    if not any(isinstance(value, cst.Name) and value.value in inputs for _, value in pairs):
        return None
    return pairs[0][0], pairs


def _assignments(statement: cst.If) -> Pairs | None:
    """The ``name = value`` assignments of every branch, when that is all the branches do and
    every path through them (``elif`` and nested ``if`` included) makes one."""
    found: Pairs = []
    branch: cst.If | cst.Else | None = statement
    while isinstance(branch, cst.If):
        inner = _branch(branch.body.body)
        if inner is None:
            return None
        found += inner
        branch = branch.orelse
    if branch is None:
        return None
    inner = _branch(branch.body.body)
    return None if inner is None else found + inner


def _branch(statements) -> Pairs | None:
    if len(statements) != 1:
        return None
    (statement,) = statements
    if isinstance(statement, cst.If):
        return _assignments(statement)
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1 or not isinstance(small.targets[0].target, cst.Name):
        return None
    return [(small.targets[0].target.value, small.value)]


def _is_input(src: SourceFile, value: cst.BaseExpression) -> bool:
    if not isinstance(value, cst.Call):
        return False
    keras = src.keras(value.func)
    return keras is not None and keras.path in INPUT


def choice_start(src: SourceFile, statements, name: str) -> int | None:
    """The index of the ``if`` among ``statements`` that chooses the model input ``name``, directly
    or through a second ``if`` that picks what the model is built from (``inputs = img_input``)."""
    for index in reversed(range(len(statements))):
        statement = statements[index]
        pairs = _assignments(statement) if isinstance(statement, cst.If) else None
        if pairs is None:
            if name in bound_names(statement):
                return None
            continue
        if name not in {bound for bound, _ in pairs}:
            continue
        chosen = input_choice(src, statement)
        if chosen is not None:
            return index if chosen[0] == name else None
        for _, value in pairs:
            if isinstance(value, cst.Name):
                found = choice_start(src, statements[:index], value.value)
                if found is not None:
                    return found
        return None
    return None


def helper_inputs(src: SourceFile, statement: cst.BaseStatement | None, name: str) -> bool:
    """Whether ``statement`` is ``name = helper(...)`` for a function of this file that makes
    ``keras.Input`` tensors (and reads no tensor of the model, which is not made yet)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return False
    target, value = assign.targets[0].target, assign.value
    if not isinstance(target, cst.Name) or target.value != name or not isinstance(value, cst.Call):
        return False
    helper = functions(src.module).get(value.func.value) if isinstance(value.func, cst.Name) else None
    if helper is None:
        return False
    return any(_is_input(src, call) for call in calls_in(helper.body))
