"""Which identifiers a piece of code reads and binds.

Generated names must not clobber a variable that later code still reads, and a
model's tensors must not vanish while later code reads them; both questions are
answered here by walking libcst nodes (attribute names and keyword names are not
variables, so they are skipped); of the code after a model, in later_reads.py.

The finder asks the same questions of the same statements for every model of a
file; inside ``remembered()`` (memo.py) each answer is computed once per node (libcst
nodes are immutable), so the cost of a file is linear in its models.
"""

from __future__ import annotations

import libcst as cst

from ..ir.reads import SelfAttributes, lambda_parameters, line_binds, target_names
from .free_names import NameCollector, free_name_nodes
from .memo import once
from .walk import walk


def name_nodes(node: cst.CSTNode) -> list[cst.Name]:
    """Every variable-like ``Name`` in ``node``, in source order."""
    collector = NameCollector()
    walk(node, collector)
    return [name for name in collector.names if isinstance(name, cst.Name)]


def identifiers(node: cst.CSTNode) -> frozenset[str]:
    """The variable names ``node`` mentions (every name it reads or binds is among them)."""
    return once("identifiers", node, lambda node: frozenset(name.value for name in name_nodes(node)))


def outer_identifiers(node: cst.CSTNode) -> frozenset[str]:
    """``identifiers(node)`` less the names a lambda inside binds as its parameters and reads
    there: in ``Lambda(lambda x: x * 2)(x)`` the lambda's ``x`` is not the tensor ``x``."""
    return once("outer_identifiers", node, lambda node: frozenset(name.value for name in _outer_names(node)))


class _OuterNameCollector(NameCollector):
    def visit_Lambda(self, node: cst.Lambda) -> bool:
        walk(node.params, self)
        bound = lambda_parameters(node)
        self.names += [name for name in _outer_names(node.body) if name.value not in bound]
        return False


def _outer_names(node: cst.CSTNode) -> list[cst.Name]:
    collector = _OuterNameCollector()
    walk(node, collector)
    return [name for name in collector.names if isinstance(name, cst.Name)]


def self_attributes_in(node: cst.CSTNode) -> set[str]:
    """``attr`` of every ``self.attr`` in ``node``: ``ir.reads.self_attributes`` of a node of the
    file, without printing it and parsing the text again."""
    visitor = SelfAttributes()
    walk(node, visitor)
    return visitor.found


def mentions(statement: cst.CSTNode, names) -> bool:
    """Whether ``statement`` may read or bind one of ``names``: when not, scans can pass it by."""
    return not identifiers(statement).isdisjoint(names)


def if_branches(statement: cst.If) -> list[cst.BaseSuite]:
    """The suite of each branch of an ``if`` / ``elif`` / ``else``, in order."""
    suites = [statement.body]
    orelse = statement.orelse
    while orelse is not None:
        suites.append(orelse.body)
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    return suites


def suite_lines(suite: cst.BaseSuite) -> list[cst.BaseStatement]:
    """A block's statements; a one-line body (``for _ in range(n): x = f(x)``) as one statement line."""
    if isinstance(suite, cst.IndentedBlock):
        return list(suite.body)
    return [cst.SimpleStatementLine(body=suite.body)]


def leaves_block(statement: cst.CSTNode) -> bool:
    """Whether a statement leaves its function or loop (``return``, ``raise``, ``break``,
    ``continue``): what follows it in its block never runs."""
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[-1], (cst.Return, cst.Raise, cst.Break, cst.Continue)
    )


def bound_names(statement: cst.CSTNode) -> frozenset[str]:
    """Names a statement binds at its own level (assignment targets, loop targets, defs)."""
    return once("bound", statement, _bound_names)


def _bound_names(statement: cst.CSTNode) -> frozenset[str]:
    bound: set[str] = set()
    if isinstance(statement, cst.SimpleStatementLine):
        bound |= line_binds(statement)
    elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        bound.add(statement.name.value)
    elif isinstance(statement, cst.For):
        bound |= target_names(statement.target)
        for child in suite_lines(statement.body):
            bound |= bound_names(child)
    return frozenset(bound)


def reads(statement: cst.CSTNode) -> frozenset[str]:
    """Names ``statement`` reads, not those a function inside it binds for itself."""
    return _reads(statement)


def _reads(statement: cst.CSTNode) -> frozenset[str]:
    return once(
        "reads",
        statement,
        lambda statement: frozenset(
            name.value for name in free_name_nodes(statement) if not is_target(statement, name)
        ),
    )


def is_target(statement: cst.CSTNode, name: cst.Name) -> bool:
    """Whether ``name`` is a name ``statement`` binds by assigning to it: a target, or an element
    of a target tuple, however nested (``(x_train, y_train), (x_test, y_test) = load()``, ``a,
    *rest = ...``); a name read to find the target (``x[i] = ...``) is a read."""
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            targets = [target.target for target in small.targets] if isinstance(small, cst.Assign) else []
            if isinstance(small, cst.AnnAssign) and small.value is not None:
                targets.append(small.target)
            if any(_binds(target, name) for target in targets):
                return True
    return False


def _binds(target: cst.BaseExpression, name: cst.Name) -> bool:
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(element.value, name) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, name)
    return target is name


def calls_in(node: cst.CSTNode) -> tuple[cst.Call, ...]:
    """Every call in ``node``, outermost first."""
    return once("calls", node, _collect_calls)


def _collect_calls(node: cst.CSTNode) -> tuple[cst.Call, ...]:
    collector = _Calls()
    walk(node, collector)
    return tuple(collector.calls)


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)


def configured_name(target: cst.BaseExpression) -> str | None:
    """``base`` for the target ``base.trainable`` or ``base.layers[0].trainable``; None for a plain name."""
    node = target
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return node.value if isinstance(node, cst.Name) and node is not target else None


def assigned_anywhere(statements) -> set[str]:
    """The local names the statements assign, at any depth of their blocks (loop targets,
    ``def`` and ``class`` names included, not what those bind inside; no imports)."""
    found: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            found.update(target_names(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            found.update(target_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            found.update(target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            found.update(target_names(node.target))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            found.update(target_names(node.target))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            found.add(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            found.add(node.name.value)
            return False

    for statement in statements:
        statement.visit(Visitor())
    return found
