"""Lines that read a model, its definition, or what its definition reads, before the name is bound.

Code runs from the top: ``model = MyModel()`` above ``class MyModel``,
``class Net(tf.keras.Model)`` above ``import tensorflow as tf``, or ``model.fit(...)``
among the lines of the Functional model it names, stops with a ``NameError`` there.  A
conversion keeps the order, or moves such a line into a class where it cannot be read
back, and code it adds beside it (the build line after an instance) would fail as well;
so the model is refused at the line, as the user's to fix.  For a definition only
module-level reads count: a function's body runs later, when the whole module is bound.
"""

from __future__ import annotations

import libcst as cst

from ..ir.graph import Graph, walk
from ..ir.nodes import Op
from ..ir.reads import names_read, statement_names
from ..ir.source_text import PLACEHOLDER_PREFIX
from ..types import Diagnostic
from .bound_late import bound_after_made, model_read_before_made, module_reads, read_before_its_binding
from .builder import refuse
from .definition_reads import first_binding, first_line, module_stops, stops_at
from .memo import once
from .method_helpers import plain_methods
from .module_index import classes, functions, module_bindings
from .names_in import bound_names, identifiers, name_nodes, reads
from .sites import ModelSite
from .source import SourceFile


def early_read(src: SourceFile, site: ModelSite) -> Diagnostic | None:
    """Why the module fails before it makes ``site``'s model, or None."""
    return (
        _unbound_read(src, site)
        or _definition_read_early(src, site)
        or read_before_its_binding(src, site)
        or model_read_before_made(src, site)
    )


def _definition_read_early(src: SourceFile, site: ModelSite) -> Diagnostic | None:
    """Why the class or builder that makes ``site``'s model, or a read of it, fails: a name its
    ``class``/``def`` line, or its code when the model is made, reads before it is bound."""
    definition = _definition(src, site)
    if definition is None:
        # Any definition of the module may stop it at import (a block class the model calls).
        return once("module_stops", src.module, lambda module: module_stops(src))
    stops = stops_at(src, definition) or once("module_stops", src.module, lambda module: module_stops(src))
    if stops is not None:
        return stops
    late = bound_after_made(src, site, definition)
    if late is not None:
        return late
    # A class's model is made where the function that makes it is called too (``model =
    # build_classifier()`` above ``def build_classifier``), which a conversion may make its builder.
    for made_by in (definition, *_makers(src, definition)):
        line = src.loc(made_by).line
        kind = "class" if isinstance(made_by, cst.ClassDef) else "def"
        first = first_binding(src, made_by.name)
        for node in module_reads(src, made_by.name):
            loc = src.loc(node)
            if first is not None and loc.line < src.loc(first).line:
                return Diagnostic(
                    loc.line,
                    loc.col,
                    f"`{node.value}` is read here, before line {line} defines it, so Python stops here with a NameError",
                    f"move this line below the `{kind} {made_by.name.value}` definition",
                )
    return None


def _makers(src: SourceFile, definition: cst.CSTNode) -> list[cst.FunctionDef]:
    """The module's functions that read the class ``definition`` names (``return Classifier(...)``)."""
    if not isinstance(definition, cst.ClassDef):
        return []
    name = definition.name.value
    return [
        statement
        for statement in src.module.body
        if isinstance(statement, cst.FunctionDef) and name in identifiers(statement.body)
    ]


def refuse_early_reads(src: SourceFile, target: str | None, region) -> None:
    """Refuses a line among a Functional model's own (``region``) that reads a name a later line of
    the model binds (its inputs, the model itself: ``target``), unless an earlier line of its scope
    binds that name too (a parameter, an earlier model)."""
    first_binding: dict[str, int] = {}
    bound_later: list[frozenset[str]] = []
    names = frozenset({target} - {None})
    for statement in reversed(region):
        bound_later.append(names)
        first_binding.update((name, src.loc(statement).line) for name in bound_names(statement))
        names |= bound_names(statement)
    for statement, after in zip(region, reversed(bound_later)):
        if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Return):
            # ``return model`` above the model: the early return is the reason, said by the lifter.
            continue
        # A loop or ``if`` may read a name it binds itself (its target, a tensor carried round);
        # a line may not (``deep = Dense(16)(deep)`` with nothing bound to ``deep`` before it).
        simple = isinstance(statement, cst.SimpleStatementLine)
        own = bound_names(statement)
        if isinstance(statement, cst.If):
            read = _read_first(statement) & after
        elif isinstance(statement, (cst.For, cst.While)):
            # ``for ...: residual = x; x = Conv2D(...)(x)`` with nothing bound to ``x`` before the
            # loop: its first pass stops with a NameError.
            first_pass = _read_before_bound(statement.body.body) & own
            if isinstance(statement, cst.For):
                first_pass -= _target_names(statement)
            read = ((reads(statement) - own) & after) | first_pass
        else:
            read = (reads(statement) & (after | own)) if simple else ((reads(statement) - own) & after)
        for name in sorted(read):
            if _bound_before(src, statement, name):
                continue
            line = first_binding.get(name)
            if line == src.loc(statement).line:
                where, fix = "anything binds it", f"give `{name}` a value above this line"
            else:
                where = f"line {line} binds it" if line is not None else "the line that makes it"
                fix = f"move it below the line that binds `{name}`"
            raise refuse(src.loc(statement), f"`{first_line(src, statement)}` reads `{name}` before {where}", fix)


def _read_before_bound(lines) -> frozenset[str]:
    """Names a block's plain lines read, every time it runs, before one of its lines binds them
    (a read under an ``if`` may be one the first pass skips: ``if i: x = Add()([x, h])``)."""
    found: set[str] = set()
    bound: set[str] = set()
    for line in lines:
        if isinstance(line, cst.SimpleStatementLine):
            found |= reads(line) - bound
        bound |= bound_names(line)
    return frozenset(found)


def _target_names(loop: cst.For) -> frozenset[str]:
    return frozenset(node.value for node in name_nodes(loop.target))


def _read_first(statement: cst.If) -> frozenset[str]:
    """Names a branch of an ``if`` reads before a line of that branch binds them: in
    ``else: x = Flatten()(inp); x = Dense(64)(x)`` the second line reads the first's ``x``."""
    found: set[str] = set(reads(statement.test))
    branch: cst.If | cst.Else | None = statement
    while branch is not None:
        bound: set[str] = set()
        for line in branch.body.body:
            if isinstance(line, cst.If):
                found |= _read_first(line) - bound
            elif isinstance(line, cst.SimpleStatementLine):
                found |= reads(line) - bound
            else:  # a loop may read what it binds itself (a tensor carried round)
                found |= reads(line) - bound_names(line) - bound
            bound |= bound_names(line)
        branch = branch.orelse if isinstance(branch, cst.If) else None
        if isinstance(branch, cst.If):
            found |= reads(branch.test)
    return frozenset(found)


def _unbound_read(src: SourceFile, site: ModelSite) -> Diagnostic | None:
    """A name the model's code reads where nothing binds it (a builtin is bound), and no star import
    could: the model's code stops there with a NameError."""
    if site.graph is None or once("imports_star", src.module, _imports_star):
        return None
    # A name the module binds somewhere is bound too late, not never: that refusal names the line.
    module_names = module_bindings(src.module)
    # What a graph class's ``__init__`` does after ``super().__init__`` runs when the model is made
    # too, and a class target writes it among the model's own code.
    setup = set().union(*(statement_names(step.code) for step in site.graph.setup))
    read = {name for name in names_read(site.graph) | setup if not name.startswith(("__", PLACEHOLDER_PREFIX))} - module_names
    statements = site.block.body[site.start : site.end] if isinstance(site.block, (cst.Module, cst.IndentedBlock)) else ()
    if not statements:
        return None
    first, last = src.loc(statements[0]).line, src.end_line(statements[-1])
    unresolved = once("unresolved_reads", src.module, lambda module: _unresolved_reads(src))
    unbound = sorted(
        ((src.loc(node).line, src.loc(node).col), node.value)
        for name in read
        for node in unresolved.get(name, ())
        if first <= src.loc(node).line <= last
    )
    # A helper the model calls runs when the model is built: a name its body reads that nothing
    # binds (the builder's local of that name is not the helper's) stops the model there too; so
    # does a method helper's (``self._conv_block(x)``), which the model's class makes a function or
    # a Layer class of, where the read is no less unbound.
    called = _helper_names(site.graph)
    helpers = [
        (src.loc(definition).line, src.end_line(definition))
        for definition in (*functions(src.module).values(), *plain_methods(src, site.block).values())
        if definition.name.value in called
    ]
    # So does a Layer class of the file the model makes a layer of: its ``__init__`` runs when the
    # layer is made, its ``build`` and ``call`` when the model is built.
    helpers += [
        (src.loc(method).line, src.end_line(method))
        for name in _layer_factories(site.graph)
        for definition in classes(src.module).get(name, ())
        for method in definition.body.body
        if isinstance(method, cst.FunctionDef) and method.name.value in _RUN_WHEN_BUILT
    ]
    unbound += sorted(
        ((src.loc(node).line, src.loc(node).col), name)
        for name, nodes in unresolved.items()
        if not name.startswith(("__", PLACEHOLDER_PREFIX))
        for node in nodes
        if any(start <= src.loc(node).line <= end for start, end in helpers)
    )
    if not unbound:
        return None
    (line, col), name = unbound[0]
    return Diagnostic(line, col, f"`{name}` is read here, where nothing binds it", f"define or import `{name}`")


_RUN_WHEN_BUILT = frozenset({"__init__", "build", "call"})


def _layer_factories(graph: Graph) -> frozenset[str]:
    """The names the model's layers, and its blocks' layers, are made by (``DecoderBlock``)."""
    found = {layer.factory.text for layer in graph.layers if layer.factory is not None}
    for block in graph.blocks:
        found |= _layer_factories(block.graph)
    return frozenset(found)


def _helper_names(graph: Graph) -> frozenset[str]:
    """The helpers ``graph``'s code calls, as blocks or written out, and those their code calls."""
    found = {block.name for block in graph.blocks}
    nodes = list(walk(graph.body))
    while nodes:
        node = nodes.pop()
        if isinstance(node, Op) and node.helper is not None:
            found.add(node.helper.name)
            nodes.extend(walk(node.helper.body))
    for block in graph.blocks:
        found |= _helper_names(block.graph)
    return frozenset(found)


def _unresolved_reads(src: SourceFile) -> dict[str, list[cst.Name]]:
    """``{name: the Name nodes that read it where nothing binds it}``, over the whole module:
    learnt once, not once per model."""
    found: dict[str, list[cst.Name]] = {}
    for scope in {id(scope): scope for scope in src.scopes() if scope is not None}.values():
        for access in scope.accesses:
            if isinstance(access.node, cst.Name) and not access.referents:
                found.setdefault(access.node.value, []).append(access.node)
    return found


def _imports_star(module: cst.Module) -> bool:
    return any(
        isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar)
        for statement in module.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
    )


def _bound_before(src: SourceFile, statement: cst.BaseStatement, name: str) -> bool:
    read = next(node for node in name_nodes(statement) if node.value == name)
    scope = src.scope(read)
    line = src.loc(statement).line
    return scope is not None and any(
        getattr(assignment, "node", None) is not None and src.loc(assignment.node).line < line
        for assignment in scope[name]
    )


def _definition(src: SourceFile, site: ModelSite) -> cst.ClassDef | cst.FunctionDef | None:
    """The module-level class, or builder function, that makes the model."""
    if isinstance(site.block, cst.Module):
        statement = site.block.body[site.start]
        return statement if isinstance(statement, cst.ClassDef) else None
    function = src.parent(site.block)
    if isinstance(function, cst.FunctionDef) and isinstance(src.parent(function), cst.Module):
        return function
    return None
