"""A variable the model reads each time it runs in one style and once in the other, that the file
binds again.

A graph model evaluates ``x * SCALE`` once, when it is built: the op keeps the value ``SCALE``
had then.  A subclass's ``call()`` reads ``SCALE`` each time the model runs.  When the file binds
the name again (a notebook's ``SCALE = 2.0`` for its next experiment, a loop, a function that
declares it ``global``), converting between the two would make the model compute with another
value from then on, and no comparison at the moment the model is made shows it.  Such a
conversion is refused at the read.  The arguments of a layer's constructor are read once in
every style; a ``Lambda``'s function runs on each call in every style: neither counts.
"""

from __future__ import annotations

import libcst as cst

from ..ir.control import Cond
from ..ir.graph import Graph, walk
from ..ir.nodes import Call, Node, Op, Stmt
from ..ir.reads import identifiers_of, line_binds, params_of, statement_binds, target_names
from ..ir.source_text import PLACEHOLDER_PREFIX, Code, Loc
from ..types import Diagnostic, Style
from .names_in import assigned_anywhere, bound_names
from .reaching import declared_elsewhere
from .sites import ModelSite
from .source import SourceFile
from .walk import walk as walk_tree


def call_time_problem(src: SourceFile, site: ModelSite, target: Style) -> Diagnostic | None:
    """Why ``site``'s model would read a variable at another time after the conversion, or None."""
    if site.graph is None or (site.style is Style.SUBCLASS) == (target is Style.SUBCLASS):
        return None
    own = {param.name for param in site.graph.params}
    own |= set().union(*(statement_binds(node.code) for node in site.graph.walk() if isinstance(node, Stmt)))
    if site.style is not Style.SUBCLASS and site.scope is None:
        # A graph's own lines become locals of __init__, kept on the instance where call() reads them.
        own |= set().union(*(bound_names(statement) for statement in site.block.body[site.start : site.end]))
    own |= _locals(src, site)
    bindings = _module_bindings(src)
    made = _made_by(src, site)
    for name, loc in _read_on_each_call(site.graph):
        if name in own:
            continue
        lines = bindings.get(name, [])
        # Only a binding after the model is made can change the value between its build and a call
        # (a notebook making `mask` three times before its model reads the last one, as both do).
        later = [line for line in lines if line > made]
        if len(lines) > 1 and later:
            again = f"the file binds it more than once (line {later[0]})"
        elif lines and declared_elsewhere(src, name):
            again = "a function declares it `global` and may bind it again"
        else:
            continue
        if site.style is Style.SUBCLASS:
            message = (
                f"call() reads `{name}` each time the model runs, and {again};"
                f" a {target} model would keep the value it had when the model was built"
            )
            keep = "a subclass"
        else:
            message = (
                f"the model reads `{name}` once, when it is built, and {again};"
                " a subclass's call() would read it again each time the model runs"
            )
            keep = site.style.value
        return Diagnostic(loc.line, loc.col, message, f"give each value of `{name}` its own name, or keep this model {keep}")
    return None


def _made_by(src: SourceFile, site: ModelSite) -> int:
    """The last line of the module-level code that makes the model: its own lines, or the ``def``
    or ``class`` that holds them (the model is made when that is called, later)."""
    node: cst.CSTNode = site.block.body[site.end - 1] if site.end > site.start else site.block
    while not isinstance(src.parent(node), cst.Module):
        node = src.parent(node)
    return src.end_line(node)


def _locals(src: SourceFile, site: ModelSite) -> set[str]:
    """The names the function the model's code runs in binds for itself: a builder's parameters and
    locals (its loop variables too), or those of a subclass's ``call()``; none of them is the module's."""
    function = site.block
    while function is not None and not isinstance(function, (cst.FunctionDef, cst.Module)):
        function = src.parent(function)
    statement = site.block.body[site.start] if site.start < len(site.block.body) else None
    if isinstance(statement, cst.ClassDef):
        function = next(
            (item for item in statement.body.body if isinstance(item, cst.FunctionDef) and item.name.value == "call"),
            None,
        )
    if not isinstance(function, cst.FunctionDef):
        return set()
    return {param.name.value for param in params_of(function)} | assigned_anywhere(function.body.body)


def _read_on_each_call(graph: Graph) -> list[tuple[str, Loc]]:
    """The names a subclass's call() would read, with where: the expressions between layers, the
    tests of ``if``, the non-tensor arguments of layer calls; helper blocks' bodies too."""
    found: list[tuple[str, Loc]] = []

    def visit(body: tuple[Node, ...]) -> None:
        for node in walk(body):
            codes: list[Code] = []
            if isinstance(node, Op) and node.helper is not None and node.helper.body:
                # A helper written out: its arguments are in its body where call() reads them
                # (``if max_pooling:``), or in the layers __init__ makes (``Conv2D(n_filters)``).
                visit(node.helper.body)
            elif isinstance(node, Op):
                codes.append(node.expr)
            elif isinstance(node, Call):
                codes += [arg.value for arg in node.args]
            elif isinstance(node, Cond):
                codes.append(node.test)
            for code in codes:
                found.extend((name, node.loc) for name in _names(code.text))

    visit(graph.body)
    return found


def _names(text: str) -> list[str]:
    return sorted(name for name in identifiers_of(text) if not name.startswith(PLACEHOLDER_PREFIX)) if text else []


def _module_bindings(src: SourceFile) -> dict[str, list[int]]:
    """The lines of the module's own code that assign each name (not imports, ``def``s or
    classes, which a notebook repeats for the same thing), a loop's counted twice."""
    found: dict[str, list[int]] = {}

    class Visitor(cst.CSTVisitor):
        def __init__(self) -> None:
            self.loops = 0

        def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
            line = src.loc(node).line
            for small in node.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    continue
                names = line_binds(cst.SimpleStatementLine(body=[small]))
                for name in names:
                    found.setdefault(name, []).extend([line] * (2 if self.loops else 1))
            return False

        def visit_For(self, node: cst.For) -> None:
            for name in target_names(node.target):
                found.setdefault(name, []).extend([src.loc(node).line] * 2)
            self.loops += 1

        def leave_For(self, node: cst.For) -> None:
            self.loops -= 1

        def visit_While(self, node: cst.While) -> None:
            self.loops += 1

        def leave_While(self, node: cst.While) -> None:
            self.loops -= 1

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

    walk_tree(src.module, Visitor())
    return found
