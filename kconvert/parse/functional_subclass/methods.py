"""A method of the class that ``__init__`` calls to build the graph: ``inputs, outputs = self._build()``.

The method is read as if its body stood in ``__init__`` where it is called: its
``self.<attr>`` reads are the attributes ``__init__`` set before (cut to local
names with ``__init__``'s own, attributes.py), its parameters are bound to the
call's arguments by assignments, and its ``return`` binds the call's targets.
Only a method whose names ``__init__`` does not also use can be read so: the
method's locals would otherwise change ``__init__``'s.
"""

from __future__ import annotations

import libcst as cst

from ..builder import refuse
from ..helper_blocks import split_return
from ..helpers import bind_arguments
from ..names_in import bound_names, identifiers
from ..subclass.constructor import self_attribute


def builder_calls(statements, methods) -> dict[int, str]:
    """``{id(statement): method}`` for each statement of ``statements`` that binds names to what
    one of ``methods`` returns (``inputs, outputs = self._build()``): the calls read in place."""
    found = {}
    for statement in statements:
        small = (
            statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        )
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.value, cst.Call):
            name = self_attribute(small.value.func)
            # A decorated method (``@staticmethod``) is not simply its body run on ``self``.
            if name in methods and not methods[name].decorators:
                found[id(statement)] = name
    return found


def lift_builder_call(
    lifter, statement: cst.SimpleStatementLine, method: cst.FunctionDef, init: cst.FunctionDef, kept
) -> None:
    """Lifts the method ``statement`` of ``init`` calls where it stands; ``kept`` are the attributes
    it reads as ``__init__``'s names."""
    src = lifter.src
    small = statement.body[0]
    name = method.name.value
    arguments = bind_arguments(src, small.value, method, method=True)
    statements, returned = split_return(src, method, "`__init__`")
    target = small.targets[0].target
    targets = (
        [target] if isinstance(target, cst.Name) else [element.value for element in getattr(target, "elements", ())]
    )
    values = (
        [returned]
        if isinstance(target, cst.Name)
        else [element.value for element in getattr(returned, "elements", ())]
    )
    if not targets or len(values) != len(targets) or not all(isinstance(each, cst.Name) for each in targets):
        raise refuse(
            src.loc(small),
            f"what `{name}` returns is not unpacked into names, one for each value it returns",
            f"return a tuple from `{name}` and unpack it into names",
        )
    # ``self._build(hidden)`` of ``def _build(self, hidden)``: one name for one value in both places.
    same = {param for param, value in arguments.items() if isinstance(value, cst.Name) and value.value == param}
    own = (set(arguments) - same) | {each for statement in statements for each in bound_names(statement)}
    mentioned = own | {each for node in (*statements, returned) for each in identifiers(node)} - same
    others = [other for other in init.body.body if other is not statement]
    used = {each for other in others for each in identifiers(other)}
    params = init.params
    bound = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)}
    bound |= {each for other in others for each in bound_names(other)}
    rebound = {each.value for each in targets if each.value in own}
    # Names both only read are the module's, the same in both places; a parameter bound before
    # an argument that reads its name would change that argument.
    given = {each for arg in small.value.args for each in identifiers(arg.value)}
    clash = sorted(((own & used) | (mentioned & bound)) - set(kept) - rebound | (own & given))
    if clash:
        raise refuse(
            src.loc(method),
            f"`{name}` and `__init__` both use the name `{clash[0]}`; read in `__init__`, where it is called,"
            " the method would change it",
            f"rename `{clash[0]}` in one of them, or keep this model in its current style",
        )
    for param, value in arguments.items():
        if not (isinstance(value, cst.Name) and value.value == param):
            lifter.assign(param, value)
    lifter.statements(statements)
    if len(targets) > 1 and all(isinstance(value, cst.Name) and value.value in lifter.env for value in values):
        # ``return b, a`` into ``a, b``: names swapped at once, as Python does.
        lifter.unpack([each.value for each in targets], returned)
        return
    for each, value in zip(targets, values):
        lifter.assign(each.value, value)
