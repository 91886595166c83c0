"""Names whose scope a graph would change, refused where the class binds them.

The reader writes ``self.scale`` as what ``__init__`` assigned to it (``scale``); where
``call()`` has bound a ``scale`` of its own by then (``for scale, dense in zip(...)``, an
earlier ``scale = 3.0``), the written name would read call()'s value instead, a different
model with exit 0.  Likewise a comprehension's variable is its own, while the ``for`` graph
code writes for it leaves its last value to the code after it; and ``__init__``'s names are
its own, while graph code runs call()'s lines in the same function."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import FunctionScope

from ...ir.bindings import read_after_loop
from ...ir.control import Loop
from ...ir.graph import Graph
from ...ir.source_text import Loc
from ..builder import refuse
from ..names_in import bound_names, identifiers, name_nodes
from ..source import SourceFile
from .constructor import Init, self_attribute
from .self_values import read_by_value


def bound_before(src: SourceFile, at: cst.CSTNode) -> frozenset[str]:
    """The names the method around ``at`` binds that may hold a value of its own when ``at``
    runs: its parameters, what its earlier lines bind, and what a loop around ``at`` binds.
    Nothing in ``__init__``, whose names are the values' own."""
    scope = src.scope(at)
    while scope is not None and not isinstance(scope, FunctionScope):
        scope = scope.parent if scope.parent is not scope else None
    if scope is None:
        return frozenset()  # a node a parser made (a default's value), of no method's lines
    line = src.loc(at).line
    loops = []
    node = src.parent(at)
    while node is not None and not isinstance(node, cst.FunctionDef):
        if isinstance(node, (cst.For, cst.While)):
            loops.append((src.loc(node).line, src.end_line(node)))
        node = src.parent(node)
    if node is None or node.name.value == "__init__":
        return frozenset()
    found = set()
    for assignment in scope.assignments:
        bound = getattr(assignment, "node", None)
        if bound is None:
            continue
        where = src.loc(bound).line
        if where < line or any(start <= where <= end for start, end in loops):
            found.add(assignment.name)
    return frozenset(found)


def check_comprehension_names(graph: Graph, scoped: list[tuple[Loc, Loc]]) -> None:
    """Refuses a loop read from a comprehension's list (``[Dense(units) for units in sizes]``)
    whose variable the model's code reads after it (``Dense(units)`` of ``__init__``'s
    ``units``): graph code writes the comprehension as a ``for``, after which the name is the
    last pass's value, not the one the class read."""
    made_at = dict(scoped)
    for node in graph.walk():
        if isinstance(node, Loop) and node.loc in made_at and (names := read_after_loop(graph, node)):
            name = sorted(names)[0]
            raise refuse(
                made_at[node.loc],
                f"`{name}`, this comprehension's variable, is a name the model's code reads after it too:"
                f" graph code makes the layers in a `for` loop, after which `{name}` would be the last pass's",
                f"give the comprehension's variable a name of its own (`for {name}_ in ...`)",
            )


def check_shared_names(src: SourceFile, init: Init, init_def: cst.FunctionDef | None, call: cst.FunctionDef) -> None:
    """Refuses a name ``__init__`` reads (a parameter, or a local of its code: ``k = 3`` then
    ``Conv1D(8, k)``) that call() binds too (``k = 2``): graph code runs both methods' lines in one
    function, where a layer is made where call() calls it, after call()'s ``k``.  ``units =
    self.units`` in call() binds the very value, which is no other."""
    if init_def is None:
        return
    init_scope, call_scope = _function_scope(src, init_def), _function_scope(src, call)
    if init_scope is None or call_scope is None:
        return
    names = {param.name for param in init.params} | {name for statement in init.locals for name in bound_names(statement)}
    params = {param.name.value for param in (*call.params.params, *call.params.kwonly_params)}
    own = {assignment.name for assignment in call_scope.assignments}
    _check_rebound(src, init, init_def, call)
    # call() reading the module's `units` where __init__ binds a `units` of its own: in one function,
    # the graph would read __init__'s.
    for name in sorted(names - own - params):
        read = next((node for node in name_nodes(call.body) if node.value == name), None)
        if read is not None:
            raise refuse(
                src.loc(read),
                f"call() reads the module's `{name}`, a name `__init__` binds too: graph code runs both"
                f" methods' lines in one function, where this `{name}` would read `__init__`'s",
                f"rename `__init__`'s `{name}`",
            )
    for assignment in sorted(call_scope.assignments, key=lambda found: src.loc(found.node).line):
        name = assignment.name
        # Read by __init__'s code (a comprehension or lambda of it included), not only stored
        # (``self.scale = scale``: a value self.scale's readers read, parse/subclass/self_values.py).
        read = any(
            not _stored(src, access.node) and not _in_own_loop(src, access.node, name)
            for bound in init_scope.assignments[name]
            for access in bound.references
        )
        if name not in names or name in params or not read:
            continue
        if _same_value(src, assignment.node, name, init):
            continue
        raise refuse(
            src.loc(assignment.node),
            f"call() binds `{name}`, a name `__init__` reads too: graph code runs both methods' lines in"
            f" one function, where `__init__`'s layers would read call()'s `{name}`",
            f"rename call()'s `{name}`",
        )


def _in_own_loop(src: SourceFile, node: cst.CSTNode, name: str) -> bool:
    """Whether ``node`` reads ``name`` in the body of a ``for`` that binds it
    (``for layer in stack: layer.trainable = False``): each pass binds it before the read."""
    child, parent = node, src.parent(node)
    while parent is not None and not isinstance(parent, cst.FunctionDef):
        if isinstance(parent, cst.For) and child is parent.body and name in identifiers(parent.target):
            return True
        child, parent = parent, src.parent(parent)
    return False


def _function_scope(src: SourceFile, function: cst.FunctionDef) -> FunctionScope | None:
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    scope = src.scope(body[0]) if body else None
    return scope if isinstance(scope, FunctionScope) else None


def _same_value(src: SourceFile, node: cst.CSTNode, name: str, init: Init) -> bool:
    """Whether ``node`` (an assignment's target) binds ``name = self.<attr>`` of an attribute
    ``__init__`` set from ``name``."""
    target = src.parent(node)
    assign = src.parent(target) if isinstance(target, cst.AssignTarget) else None
    value = assign.value if isinstance(assign, cst.Assign) and len(assign.targets) == 1 else None
    attr = self_attribute(value) if value is not None else None
    held = init.attrs.get(attr) if attr is not None else None
    return isinstance(held, cst.Name) and held.value == name


def _stored(src: SourceFile, node: cst.CSTNode) -> bool:
    """Whether ``node`` is the whole value of ``self.<attr> = node``."""
    parent = src.parent(node)
    return (
        isinstance(parent, cst.Assign)
        and parent.value is node
        and len(parent.targets) == 1
        and self_attribute(parent.targets[0].target) is not None
    )


def _check_rebound(src: SourceFile, init: Init, init_def: cst.FunctionDef, call: cst.FunctionDef) -> None:
    """Refuses call()'s ``self.units`` of ``self.units = units`` when a later line of ``__init__``
    binds ``units`` again (``units = units * 2`` for the next layer): call() reads it as ``units``,
    which graph code has rebound by then."""
    body = list(init_def.body.body) if isinstance(init_def.body, cst.IndentedBlock) else []
    set_at: dict[str, int] = {}
    for index, statement in enumerate(body):
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and (attr := self_attribute(small.targets[0].target)):
                set_at.setdefault(attr, index)
    local_at = {id(statement): index for index, statement in enumerate(body)}
    for node in _self_reads(call):
        attr = self_attribute(node)
        value = init.attrs.get(attr)
        if attr not in set_at or not read_by_value(value):
            continue
        later = {
            name
            for statement in init.locals
            if local_at.get(id(statement), -1) > set_at[attr]
            for name in bound_names(statement)
        }
        again = sorted(identifiers(value) & later)
        if again:
            raise refuse(
                src.loc(node),
                f"call() reads `self.{attr}`, `__init__`'s `{again[0]}` before a later line binds `{again[0]}` again:"
                f" graph code, which reads it by the name, would read the later value",
                f"give `__init__`'s second `{again[0]}` a name of its own",
            )


def _self_reads(function: cst.FunctionDef) -> list[cst.Attribute]:
    found: list[cst.Attribute] = []

    class Reads(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if self_attribute(node) is not None:
                found.append(node)

    function.body.visit(Reads())
    return found
