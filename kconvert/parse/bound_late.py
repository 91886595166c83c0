"""Names the model's code reads before the line that binds them has run.

A stray ``x = Activation("relu")(x)`` among a Sequential's ``add()`` calls, with ``x`` bound
further down, stops the original at that line; so does a class's ``__init__`` (or a builder)
reading a global that only a line after ``model = MyModel()`` binds.  A class's ``call()``
reading such a global is fine in the original, which calls it later, but not in the graph a
conversion writes, which runs call()'s code where the model is made.  Each is refused at the
read, instead of reaching the safety check as an internal error.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import GlobalScope

from ..ir.reads import names_read
from ..types import Diagnostic
from .names_in import name_nodes
from .sites import ModelSite
from .source import SourceFile


def read_before_its_binding(src: SourceFile, site: ModelSite) -> Diagnostic | None:
    """A line among the model's that reads a name of its own scope which only a later statement
    binds (a stray ``x = Activation("relu")(x)`` between ``add()`` calls, ``x`` bound further
    down): Python stops at that line with a NameError, before any model is made."""
    if not isinstance(site.block, (cst.Module, cst.IndentedBlock)):
        return None
    return early_read_in(src, site.block.body[site.start : site.end])


def early_read_in(src: SourceFile, statements) -> Diagnostic | None:
    """The first read among ``statements`` of a name of their scope that only a later one of
    them binds (a helper's ``outputs = [low, high]`` above ``high = ...``), or None."""
    reads_of: dict[tuple[int, str], set[int]] = {}  # (scope, name): the ids of the nodes reading it
    for statement in statements:
        # ``x = Activation("relu")(x)`` reads ``x`` before its own line binds it; a loop's later
        # line may bind what an earlier one reads on the next pass.
        compound = isinstance(statement, cst.BaseCompoundStatement)
        end = src.end_line(statement) if compound else src.loc(statement).line - 1
        scope = src.scope(statement)
        for node in name_nodes(statement) if scope is not None else ():
            key = (id(scope), node.value)
            if key not in reads_of:
                reads_of[key] = {id(access.node) for access in scope.accesses[node.value]}
            if src.scope(node) is not scope or id(node) not in reads_of[key]:
                continue
            bindings = [getattr(assignment, "node", None) for assignment in scope.assignments[node.value]]
            if bindings and None not in bindings and all(src.loc(bound).line > end for bound in bindings):
                bound = min(bindings, key=lambda bound: src.loc(bound).line)
                first = src.loc(bound).line
                where = "before this line binds it" if first == src.loc(statement).line else f"and only line {first} binds it"
                loc = src.loc(node)
                importing = next((parent for parent in _parents(src, bound) if isinstance(parent, (cst.Import, cst.ImportFrom))), None)
                fix = (
                    f"move `{src.code(importing)}` above this line"
                    if importing is not None
                    else f"give `{node.value}` a value above this line, or remove the line"
                )
                return Diagnostic(loc.line, loc.col, f"`{node.value}` is read here, {where}, so Python stops here with a NameError", fix)
    return None


def _parents(src: SourceFile, node: cst.CSTNode):
    while node is not None:
        yield node
        node = src.parent(node)


def model_read_before_made(src: SourceFile, site: ModelSite) -> Diagnostic | None:
    """A module-level line above a module-level model that reads the model's name before anything
    binds it (``print(model.summary())`` above ``model = keras.Model(...)``, ``model.compile(...)``
    above a class and its ``model = MyModel()``): Python stops there.  A model under ``if __name__
    == "__main__":`` is module-level too: its class goes to the top of the module, and the read
    above ``model = MyModel()`` would stop it the same way."""
    if not isinstance(site.block, (cst.Module, cst.IndentedBlock)) or site.start >= len(site.block.body):
        return None
    first = site.block.body[site.start]
    scope = src.scope(first)
    if isinstance(scope, GlobalScope):
        # A class is made where a module-level line binds an instance of it, not where it is defined.
        made = [(site.binding.target, site.loc.line, src.loc(first).line)] if site.binding.target else _instances(src, first)
    else:
        # A builder's model is made where a module-level line binds its result (``model = MLP()``,
        # with ``model.summary()`` above it).
        builder = src.parent(site.block) if site.scope is not None else None
        scope = src.scope(builder) if isinstance(builder, cst.FunctionDef) else None
        if not isinstance(scope, GlobalScope):
            return None
        made = _instances(src, builder)
    for name, made_at, start in made:
        bound = [src.loc(assignment.node).line for assignment in scope.assignments[name] if getattr(assignment, "node", None) is not None]
        # In the file's order: libcst keeps accesses in a set, and the diagnostic names the first.
        for access in sorted(scope.accesses[name], key=lambda access: _position(src, access.node)):
            line = src.loc(access.node).line
            if src.scope(access.node) is scope and line < start and not any(earlier <= line for earlier in bound):
                loc = src.loc(access.node)
                return Diagnostic(
                    loc.line,
                    loc.col,
                    f"`{name}` is read here, before line {made_at} makes it, so Python stops here with a NameError",
                    "move this line below the model",
                )
    return None


def _instances(src: SourceFile, statement: cst.CSTNode) -> list[tuple[str, int, int]]:
    """For a class (or a builder function), each module-level ``name = Class(...)``: the name and
    its line (twice: the model is made there, and a read above it runs before)."""
    if not isinstance(statement, (cst.ClassDef, cst.FunctionDef)):
        return []
    found = []
    for node in module_reads(src, statement.name):
        call, assign = src.parent(node), src.parent(src.parent(node))
        if isinstance(call, cst.Call) and call.func is node and isinstance(assign, cst.Assign) and assign.value is call:
            if len(assign.targets) == 1 and isinstance(target := assign.targets[0].target, cst.Name):
                line = src.loc(node).line
                found.append((target.value, line, line))
    return found


def bound_after_made(src: SourceFile, site: ModelSite, definition: cst.ClassDef | cst.FunctionDef) -> Diagnostic | None:
    """A module-level name the model's code reads that the module binds only after the first line
    that makes the model (``model = MyModel()`` above ``for epoch in ...``).  A builder, or a
    class's __init__, stops there with a NameError; a class's call() runs later, but the graph a
    conversion writes runs its code where the model is made, so it would stop there instead."""
    if site.graph is None:
        return None
    made = [
        src.loc(node).line
        for node in module_reads(src, definition.name)
        if isinstance(parent := src.parent(node), cst.Call) and parent.func is node and src.loc(node).line > src.end_line(definition)
    ]
    module_scope = src.scope(definition.name)
    if not made or not isinstance(module_scope, GlobalScope):
        return None
    read = names_read(site.graph)
    for node, when_made in _reads_when_made(definition):
        scope = src.scope(node) if node.value in read else None
        access = next((access for access in scope.accesses[node.value] if access.node is node), None) if scope else None
        referents = list(access.referents) if access is not None else []
        bindings = [getattr(referent, "node", None) for referent in referents]
        if not bindings or None in bindings or any(referent.scope is not module_scope for referent in referents):
            continue
        if all(src.loc(bound).line > made[0] for bound in bindings):
            first = src.loc(min(bindings, key=lambda bound: src.loc(bound).line)).line
            loc = src.loc(node)
            if when_made:
                message = (
                    f"`{node.value}` is read here, but only line {first} binds it, after line {made[0]} makes the"
                    " model, so Python stops there with a NameError"
                )
            else:
                message = (
                    f"`{node.value}` is read here, and only line {first} binds it, after line {made[0]} makes the"
                    " model; a graph model runs this code where it is made, before that line"
                )
            return Diagnostic(loc.line, loc.col, message, f"give `{node.value}` its value above line {made[0]}")
    return None


def _reads_when_made(definition: cst.ClassDef | cst.FunctionDef) -> list[tuple[cst.Name, bool]]:
    """The names a builder's body, or a class's methods, read: with True for the ones that run
    when the model is made (the builder's, __init__'s), False for a class's other methods."""
    if isinstance(definition, cst.FunctionDef):
        return [(node, True) for node in name_nodes(definition.body)]
    methods = [statement for statement in definition.body.body if isinstance(statement, cst.FunctionDef)]
    methods.sort(key=lambda method: method.name.value != "__init__")
    return [(node, method.name.value == "__init__") for method in methods for node in name_nodes(method.body)]


def module_reads(src: SourceFile, name: cst.Name) -> list[cst.Name]:
    """The reads of a module-level name that run at module level, not inside a function."""
    scope = src.scope(name)
    if not isinstance(scope, GlobalScope):
        return []
    reads = [
        access.node
        for access in scope.accesses[name.value]
        if isinstance(access.node, cst.Name) and src.scope(access.node) is scope
    ]
    return sorted(reads, key=lambda node: _position(src, node))


def _position(src: SourceFile, node: cst.CSTNode) -> tuple[int, int]:
    loc = src.loc(node)
    return loc.line, loc.col
