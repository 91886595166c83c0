"""The ``name = value`` that a read of ``name`` sees, in straight-line code.

A notebook makes ``norm_layer = Normalization(input_shape=X_train.shape[1:])`` again for each
model, so the name's scope binds it several times and libcst's scope analysis, which does not
follow the order of statements, cannot say which call made the object a model lists.  The
statements of one block run in order: the last one before the read that binds the name made it,
when that statement is a plain assignment and nothing between could bind the name again (a
compound statement or a walrus that mentions it, a ``del``, a star import, a function that
declares it ``global``).  Anything else is no answer.
"""

from __future__ import annotations

import libcst as cst

from ..ir.reads import line_binds, target_names
from .binds_anywhere import bound_anywhere
from .names_in import identifiers
from .source import SourceFile
from .walk import walk


def reaching(
    src: SourceFile, expr: cst.BaseExpression
) -> tuple[cst.BaseExpression, list[cst.BaseStatement]] | None:
    """The value of the assignment to ``expr`` (a name) that the read of ``expr`` sees, if certain
    (nothing between binds a name the value reads), and the statements between, in order."""
    found = _reaching(src, expr, unpack=False, for_shape=False)
    return None if found is None else (found[0], found[2])


def reaching_call(src: SourceFile, expr: cst.BaseExpression) -> cst.Call | None:
    """The call whose result a read of the name ``expr`` sees, when ``reaching`` is certain of it
    (a notebook's ``norm_layer = Normalization(...)`` made again before each model)."""
    found = reaching(src, expr) if isinstance(expr, cst.Name) else None
    return found[0] if found is not None and isinstance(found[0], cst.Call) else None


def reaching_unpacked(
    src: SourceFile, expr: cst.BaseExpression
) -> tuple[cst.BaseExpression, tuple[int, ...], list[cst.BaseStatement]] | None:
    """As ``reaching``, for an assignment that may unpack: the value, where the name sits in the
    value it unpacks (``(1, 0)`` for ``x_test`` in ``(x, y), (x_test, y_test) = load_data()``;
    ``()`` when the assigned value is the name's own, as in ``x, x_test = x / 255, x_test / 255``),
    and the statements between.  Only for reading the value's shape: the value of ``a, b = b, a``
    is read before the line binds, so its text means something else after it.

    For a shape, two more reads are certain: ``x /= 255`` gives ``x / 255`` (an array changed in
    place keeps its shape, as it would have if ``x / 255`` had one), the ``x`` in it read as the
    line reads it; and a read in the body of a ``for`` that does not bind the name sees what was
    bound before the loop, with the whole body between (an earlier pass ran all of it)."""
    return _reaching(src, expr, unpack=True, for_shape=True)


def _reaching(src: SourceFile, expr: cst.BaseExpression, unpack: bool, for_shape: bool):
    if not isinstance(expr, cst.Name) or declared_elsewhere(src, expr.value):
        return None
    statement, block = statement_of(src, expr)
    if not isinstance(statement, cst.SimpleStatementLine) and expr.value in bound_anywhere(statement):
        # A read in a one-line block (``for x in batches: model.fit(x)``) may see the block's own binding.
        return None
    between: list[cst.BaseStatement] = []
    looped: set[str] = set()
    while block is not None:
        body = list(block.body)
        for earlier in reversed(body[: body.index(statement)]):
            assigned = _assigned_value(earlier, expr.value, unpack) or (_augmented(earlier, expr.value) if for_shape else None)
            if assigned is None:
                # A statement that only reads the name (``norm_layer.adapt(X)``) leaves it as it was.
                if expr.value in identifiers(earlier) and _may_bind(earlier, expr.value):
                    return None
                between.insert(0, earlier)
                continue
            value, path = assigned
            read = identifiers(value)
            if read & looped or any(_may_bind_any(other, read) for other in between):
                return None
            return value, path, between
        if not for_shape:
            return None
        statement, block = _loop_around(src, block, expr.value, between, looped)
    return None


def _loop_around(src: SourceFile, block: cst.CSTNode, name: str, between: list[cst.BaseStatement], looped: set[str]):
    """The ``for`` (or ``with``) statement whose body is ``block`` and the block holding it, when the loop
    (header and body) does not bind ``name``: then the read in the body sees what was bound
    before the loop.  The body's statements after the read run between too, from the previous
    pass, so they join ``between``, and the names the loop header binds join ``looped``; anything
    else (no loop, an ``else:``) is (None, None)."""
    loop = src.parent(block)
    if isinstance(loop, cst.With) and loop.body is block:
        # ``with tf.device(...):`` runs its body once, straight after the lines above it.
        bound = {name for item in loop.items if item.asname for name in target_names(item.asname.name)}
        if name in bound or _has_walrus(loop) and name in bound_anywhere(loop):
            return None, None
        return statement_of(src, loop)
    if not isinstance(loop, cst.For) or loop.body is not block or loop.orelse is not None:
        return None, None
    if name in target_names(loop.target) or _has_walrus(loop.iter):
        return None, None
    passed = {id(statement) for statement in between}
    later = [statement for statement in block.body if id(statement) not in passed]
    for statement in later:
        if name in identifiers(statement) and _may_bind(statement, name):
            return None, None
    between[:0] = later
    looped |= target_names(loop.target)
    outer, outer_block = statement_of(src, loop)
    return outer, outer_block


def _augmented(statement: cst.BaseStatement, name: str) -> tuple[cst.BaseExpression, tuple[int, ...]] | None:
    """``x op value`` for the line ``x op= value``: its ``x`` is the line's own target node."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if not (isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name) and small.target.value == name):
        return None
    operator = getattr(cst, type(small.operator).__name__.removesuffix("Assign"))()
    return cst.BinaryOperation(left=small.target, operator=operator, right=small.value), ()


def _assigned_value(
    statement: cst.BaseStatement, name: str, unpack: bool
) -> tuple[cst.BaseExpression, tuple[int, ...]] | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if not unpack:
        return (small.value, ()) if isinstance(target, cst.Name) and target.value == name else None
    return _unpacked(target, small.value, name)


def _unpacked(
    target: cst.BaseExpression, value: cst.BaseExpression, name: str
) -> tuple[cst.BaseExpression, tuple[int, ...]] | None:
    """Where ``name`` sits in ``target = value``, taking apart a tuple the line writes; None unless
    the target binds it once, with no starred part on the way."""
    if isinstance(target, cst.Name):
        return (value, ()) if target.value == name else None
    if not isinstance(target, (cst.Tuple, cst.List)) or any(isinstance(e, cst.StarredElement) for e in target.elements):
        return None
    if sum(name in target_names(element.value) for element in target.elements) != 1:
        return None
    index = next(i for i, element in enumerate(target.elements) if name in target_names(element.value))
    if isinstance(value, (cst.Tuple, cst.List)):
        if len(value.elements) != len(target.elements) or any(isinstance(e, cst.StarredElement) for e in value.elements):
            return None
        return _unpacked(target.elements[index].value, value.elements[index].value, name)
    found = _unpacked(target.elements[index].value, value, name)
    return None if found is None else (found[0], (index, *found[1]))


def _may_bind(statement: cst.BaseStatement, name: str) -> bool:
    """Whether ``statement``, which mentions ``name``, may bind it: a block where a line or a loop
    in it binds it, a ``def`` or a ``class`` only its own name where it stands (its parameters and body are
    its own scope, a ``global`` in it is ``declared_elsewhere``), unless a walrus stands in its header."""
    if isinstance(statement, cst.FunctionDef):
        header = (*statement.decorators, statement.params, *([statement.returns] if statement.returns else []))
        return statement.name.value == name or any(_has_walrus(part) for part in header)
    if isinstance(statement, cst.ClassDef):
        # Its body binds in the class's namespace (a method's ``input_shape`` parameter is no
        # module name); only its header runs in the enclosing scope.
        header = (*statement.decorators, *statement.bases, *statement.keywords)
        return statement.name.value == name or any(_has_walrus(part) for part in header)
    if isinstance(statement, (cst.For, cst.If, cst.While, cst.With, cst.Try)):
        # ``for i in range(k): fold = x[i * n:]``: a block binds a name only where a line in it does.
        return name in bound_anywhere(statement)
    if not isinstance(statement, cst.SimpleStatementLine):
        return True
    if name in line_binds(statement):
        return True
    return any(isinstance(small, (cst.Del, cst.Global, cst.Nonlocal)) for small in statement.body) or _has_walrus(
        statement
    )


def _may_bind_any(statement: cst.BaseStatement, names: frozenset[str]) -> bool:
    mentioned = identifiers(statement) & names
    return any(_may_bind(statement, name) for name in mentioned) or _star_import(statement)


def _star_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar) for small in statement.body
    )


def _has_walrus(node: cst.CSTNode) -> bool:
    found = []

    class Visitor(cst.CSTVisitor):
        def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
            found.append(node)
            return False

    walk(node, Visitor())
    return bool(found)


def declared_elsewhere(src: SourceFile, name: str) -> bool:
    """Whether a function declares ``name`` global or nonlocal: calling it may rebind the name."""
    found = []

    class Visitor(cst.CSTVisitor):
        def visit_Global(self, node: cst.Global) -> None:
            found.extend(item.name.value for item in node.names)

        def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
            found.extend(item.name.value for item in node.names)

    walk(src.module, Visitor())
    return name in found


def statement_of(src: SourceFile, node: cst.CSTNode):
    """The statement holding ``node`` and the block (module or indented block) holding that."""
    child, parent = node, src.parent(node)
    while parent is not None and not isinstance(parent, (cst.Module, cst.IndentedBlock)):
        child, parent = parent, src.parent(parent)
    return child, parent
