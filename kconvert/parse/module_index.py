"""Module-level facts looked up per layer or per model, gathered once per module.

A layer made outside the model (``norm = layers.Normalization()``), a helper
function a model calls, the names a file defines: each model of a file asked
these by scanning the module body again, which made a file's cost grow with
models x statements.  Each index here is built on first use and remembered for
the module node (``memo.once``).
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from .memo import once
from .names_in import bound_names, calls_in


def single_call_assignments(block) -> dict[str, cst.Call]:
    """``name -> call`` for each name ``block`` binds exactly once, to a call."""
    return once("single_calls", block, _single_calls)


def functions(module: cst.Module) -> dict[str, cst.FunctionDef]:
    """The first module-level ``def`` of each name."""
    return once("functions", module, _functions)


def bound_before(module: cst.Module, index: int) -> dict[str, cst.FunctionDef]:
    """The last module-level ``def`` of each name above the statement ``index``: what the name calls
    when that statement runs (a name defined once has that one ``def`` in ``functions``)."""
    found: dict[str, cst.FunctionDef] = {}
    for statement in module.body[:index]:
        if isinstance(statement, cst.FunctionDef) and _defined_again(module, statement.name.value):
            found[statement.name.value] = statement
    return found


def _defined_again(module: cst.Module, name: str) -> bool:
    return once("defined_twice", module, _defined_twice).get(name, False)


def _defined_twice(module: cst.Module) -> dict[str, bool]:
    counts = Counter(statement.name.value for statement in module.body if isinstance(statement, cst.FunctionDef))
    return {name: count > 1 for name, count in counts.items()}


def defined_names(module: cst.Module) -> frozenset[str]:
    """The names of the module-level ``def`` and ``class`` statements."""
    return once(
        "defined_names", module, lambda module: frozenset(
            statement.name.value
            for statement in module.body
            if isinstance(statement, (cst.ClassDef, cst.FunctionDef))
        )
    )


def module_bindings(module: cst.Module) -> frozenset[str]:
    """Every name the module binds at its top level: imports, assignments, ``def``, ``class``."""
    return once("module_bindings", module, lambda module: frozenset().union(*map(bound_names, module.body)))


def classes(module: cst.Module) -> dict[str, tuple[cst.ClassDef, ...]]:
    """The module-level ``class`` statements of each name, in order."""
    return once("classes", module, _classes)


def _plain_callable(cls: cst.ClassDef) -> bool:
    plain = all(isinstance(base.value, cst.Name) and base.value.value == "object" for base in cls.bases)
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return plain and any(isinstance(item, cst.FunctionDef) and item.name.value == "__call__" for item in body)


def called_names(module: cst.Module) -> frozenset[str]:
    """Every plain name the module calls (``conv_block(x)``)."""
    return once(
        "called_names", module, lambda module: frozenset(
            call.func.value for call in calls_in(module) if isinstance(call.func, cst.Name)
        )
    )


def call_assignment(statement: cst.BaseStatement) -> tuple[str, cst.Call] | None:
    """``(name, call)`` for a statement that is ``name = f(...)``, else None."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and isinstance(small.value, cst.Call)
    ):
        return small.targets[0].target.value, small.value
    return None


def name_assignment(statement: cst.CSTNode) -> tuple[str, cst.BaseExpression] | None:
    """``(name, value)`` for a line that is ``name = value`` and nothing else, else None."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if (
        isinstance(small, cst.Assign)
        and len(statement.body) == 1
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
    ):
        return small.targets[0].target.value, small.value
    return None


def _single_calls(block) -> dict[str, cst.Call]:
    return calls_bound_once(getattr(block, "body", ()))


def calls_bound_once(statements) -> dict[str, cst.Call]:
    """``name -> call`` for each name ``statements`` bind exactly once, to a call."""
    made: dict[str, cst.Call] = {}
    counts: Counter[str] = Counter()
    for statement in statements:
        for name in bound_names(statement):
            counts[name] += 1
        found = call_assignment(statement)
        if found is not None:
            made[found[0]] = found[1]
    return {name: call for name, call in made.items() if counts[name] == 1}


def calls_in_force(statements) -> dict[str, cst.Call]:
    """``name -> call`` for each name whose last binding in ``statements`` is ``name = f(...)``:
    what the name holds after them, when a file binds it again for each of its models."""
    made: dict[str, cst.Call] = {}
    for statement in statements:
        found = call_assignment(statement)
        for name in bound_names(statement):
            made.pop(name, None)
        if found is not None:
            made[found[0]] = found[1]
    return made


def _functions(module: cst.Module) -> dict[str, cst.FunctionDef]:
    found: dict[str, cst.FunctionDef] = {}
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            found.setdefault(statement.name.value, statement)
    return found


def _classes(module: cst.Module) -> dict[str, tuple[cst.ClassDef, ...]]:
    found: dict[str, tuple[cst.ClassDef, ...]] = {}
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            found[statement.name.value] = found.get(statement.name.value, ()) + (statement,)
    return found


def returns_inner_function(src, func: cst.BaseExpression) -> bool:
    """Whether ``func`` names a module-level function that returns a function it defines
    (``def f(input): ...`` then ``return f``), or a class of the file based on no class that
    defines ``__call__`` (``class ConvBnRelu(object)``): what calling it gives makes new layers
    each time it is called, where a layer object makes them once."""
    if isinstance(func, cst.Name) and any(_plain_callable(cls) for cls in classes(src.module).get(func.value, ())):
        return True
    definition = functions(src.module).get(func.value) if isinstance(func, cst.Name) else None
    if definition is None or not isinstance(definition.body, cst.IndentedBlock):
        return False
    inner = {statement.name.value for statement in definition.body.body if isinstance(statement, cst.FunctionDef)}
    returned = [
        small.value
        for statement in definition.body.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
        if isinstance(small, cst.Return)
    ]
    return any(isinstance(value, cst.Name) and value.value in inner for value in returned)


def called_arguments(src, call: cst.Call) -> tuple[str, ...]:
    """The names ``call`` hands a module-level function of the file that the function calls:
    ``block`` of ``make_stage(block, 64)`` when ``def make_stage(block, filters)`` makes its layers
    by ``block(filters)``, a layer class its caller chose.  Bare names only, each passed to a
    parameter the function never binds again; nothing for a call after a ``*args``."""
    definition = functions(src.module).get(call.func.value) if isinstance(call.func, cst.Name) else None
    if definition is None:
        return ()
    called = {inner.func.value for inner in calls_in(definition.body) if isinstance(inner.func, cst.Name)}
    rebound = {name for statement in definition.body.body for name in bound_names(statement)}
    positional = [param.name.value for param in (*definition.params.posonly_params, *definition.params.params)]
    found: list[str] = []
    for index, arg in enumerate(call.args):
        if arg.star:
            break
        if arg.keyword is not None:
            param = arg.keyword.value
        elif index < len(positional):
            param = positional[index]
        else:
            continue
        if isinstance(arg.value, cst.Name) and param in called and param not in rebound:
            found.append(arg.value.value)
    return tuple(found)
