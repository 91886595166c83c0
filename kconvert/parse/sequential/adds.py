"""The ``.add()`` statements after a Sequential model's constructor, read into items.

In loops and ``if`` / ``else`` blocks too, with plain statements between them; a statement that
only looks at the model (``model.summary()``) is set apart, one that reads ``model.output_shape``
kept in place (parse/sequential/items.py has the items).
"""

from __future__ import annotations

import libcst as cst

from ..keras_names import MODEL, SEQUENTIAL
from ..names_in import identifiers
from ..shape_tests import only_checks
from .items import Element, Item, Plain, Repeat, ShapeRead, When
from ..source import SourceFile
from ..walk import walk


def added_items(
    src: SourceFile, statements, target: str, verb: str = "add"
) -> tuple[list[Item], int, list[cst.BaseStatement]]:
    """Layers added by the ``target.add(...)`` statements (and loops of them) that follow.

    Statements that do not touch ``target`` may stand between them (Géron's
    ResNet-34 computes ``strides`` and ``prev_filters`` there); they are kept,
    in place, up to the last add.  A statement that only looks at the model
    (``model.summary()``) is returned apart: the other styles have no model until
    every layer is in, so it runs after.  One that reads ``model.output_shape``
    stays in place (``ShapeRead``): it asks for the shape of the last layer's output.
    Returns the items, how many statements they took and the deferred ones;
    stops at the first statement that touches ``target`` otherwise.  ``verb``: ``append`` for
    the list a builder fills before ``Sequential(layers_list)`` (parse/sequential/appended.py).
    """
    items: list[Item] = []
    taken = 0
    pending: list[Item] = []
    deferred: list[cst.BaseStatement] = []
    looks: list[cst.BaseStatement] = []
    for statement in statements:
        found = _adds_in(src, statement, target, verb)
        if found is None and not mentions_target(statement, target):
            if _makes_model(src, statement):
                # Another model begins: a later add to this one is away from its line, not among
                # lines of its own (the two models' lines would overlap).
                break
            pending.append(Plain(statement))
            continue
        if found is None and reads_output_shape(statement, target):
            # ``print(model.output_shape)`` too: after the last add it would print another shape.
            pending.append(ShapeRead(statement, target))
            continue
        if found is None and _looks_at(statement, target):
            looks.append(statement)
            continue
        if found is None:
            break
        items += pending + found
        taken += len(pending) + len(looks) + 1
        deferred += looks
        pending, looks = [], []
    return items, taken, deferred


def _makes_model(src: SourceFile, statement: cst.BaseStatement) -> bool:
    """``name = keras.Sequential(...)`` or ``name = keras.Model(...)``."""
    lines = statement.body if isinstance(statement, cst.SimpleStatementLine) else ()
    return any(
        isinstance(small, cst.Assign)
        and isinstance(small.value, cst.Call)
        and (keras := src.keras(small.value.func)) is not None
        and keras.path in SEQUENTIAL | MODEL
        for small in lines
    )


def _looks_at(statement: cst.BaseStatement, target: str) -> bool:
    """``model.summary()`` or ``print(...)``: a statement that only reads the model being built."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
            return False
        func = small.value.func
        if not (
            (isinstance(func, cst.Name) and func.value == "print")
            or (
                isinstance(func, cst.Attribute)
                and spelled(func.value) == target
                and func.attr.value in ("summary", "count_params")
            )
        ):
            return False
    return True


def reads_output_shape(statement: cst.BaseStatement, target: str) -> bool:
    """Whether ``statement`` reads ``target`` only as ``target.output_shape``, and binds no name;
    an ``if`` that only checks and raises (``if model.output_shape[-1] != 8: raise ...``) too."""
    if isinstance(statement, cst.If):
        if not only_checks(statement):
            return False
    elif not isinstance(statement, cst.SimpleStatementLine):
        return False
    elif not all(isinstance(small, (cst.Assert, cst.Expr)) for small in statement.body):
        return False
    visitor = _OutputShapeReads(target)
    walk(statement, visitor)
    return visitor.shape_reads > 0 and visitor.other_reads == 0


class _OutputShapeReads(cst.CSTVisitor):
    def __init__(self, target: str) -> None:
        self.target = target
        self.shape_reads = 0
        self.other_reads = 0

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if spelled(node) == self.target:
            self.other_reads += 1
        elif spelled(node.value) == self.target:
            if node.attr.value == "output_shape":
                self.shape_reads += 1
            else:
                self.other_reads += 1
        else:
            walk(node.value, self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.other_reads += node.value == self.target


def _adds_in(src: SourceFile, statement: cst.BaseStatement, target: str, verb: str) -> list[Item] | None:
    if isinstance(statement, cst.SimpleStatementLine):
        exprs = [_added_expr(small, target, verb) for small in statement.body]
        if exprs and all(expr is not None for expr in exprs):
            return [Element(expr) for expr in exprs]
        return None
    if isinstance(statement, cst.For) and statement.orelse is None and statement.asynchronous is None:
        elements = _block_items(src, statement.body, target, verb)
        if elements is None:
            return None
        # The first pass's first layer is the model's first: its ``input_shape=`` (a Keras 2 habit
        # of giving it to every layer the loop adds) is the model's input, as Keras 3 reads it.
        first = elements[0].expr if elements and isinstance(elements[0], Element) else None
        return [
            Repeat(src.code(statement.target), src.code(statement.iter), tuple(elements), src.loc(statement), first)
        ]
    if isinstance(statement, cst.If):
        elements = _block_items(src, statement.body, target, verb)
        orelse = _else_items(src, statement.orelse, target, verb)
        if not elements or orelse is None:
            return None
        return [When(src.code(statement.test), tuple(elements), src.loc(statement), tuple(orelse))]
    return None


def _else_items(src: SourceFile, orelse: cst.If | cst.Else | None, target: str, verb: str) -> list[Item] | None:
    """The items of an ``if``'s ``else`` (``[]`` when there is none; an ``elif`` is one ``When``),
    or None unless it adds layers and only adds them (K.image_data_format()'s two orders)."""
    if orelse is None:
        return []
    if isinstance(orelse, cst.If):
        return _adds_in(src, orelse, target, verb)
    if only_raises(src.lines(orelse.body)):
        # ``else: raise ValueError(...)`` after the orders it knows: the model is never finished
        # there, in any style, so the branch is kept as it is.
        return [Plain(child) for child in src.lines(orelse.body)]
    return _block_items(src, orelse.body, target, verb)


def only_raises(lines: list[cst.BaseStatement]) -> bool:
    """Whether ``lines`` are ``raise`` statements and nothing else: a branch that never goes on."""
    return bool(lines) and all(
        isinstance(line, cst.SimpleStatementLine) and all(isinstance(small, cst.Raise) for small in line.body)
        for line in lines
    )


def _block_items(src: SourceFile, block: cst.BaseSuite, target: str, verb: str) -> list[Item] | None:
    """The items of a loop's (or an ``if``'s) body, or None unless it adds layers and only adds them."""
    elements: list[Item] = []
    for child in src.lines(block):
        found = _adds_in(src, child, target, verb)
        if found is None and reads_output_shape(child, target):
            found = [ShapeRead(child, target)]
        if found is None and mentions_target(child, target):
            return None
        elements += found if found is not None else [Plain(child)]
    return elements if any(not isinstance(item, Plain) for item in elements) else None


def _added_expr(small: cst.BaseSmallStatement, target: str, verb: str) -> cst.BaseExpression | None:
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    call = small.value
    func = call.func
    # ``rebuild=False`` only says when Keras 3 builds the model again: the same layer is added.
    args = [arg for arg in call.args if not (verb == "add" and arg.keyword is not None and arg.keyword.value == "rebuild")]
    if (
        isinstance(func, cst.Attribute)
        and spelled(func.value) == target
        and func.attr.value == verb
        and len(args) == 1
        and args[0].keyword is None
        and not args[0].star
    ):
        return args[0].value
    return None


def added_elsewhere(src: SourceFile, target: str) -> cst.Call | None:
    """The first ``<target>.add(...)`` anywhere in the file: for a Sequential made with no layers
    (``self.model = Sequential()`` in ``__init__``), where its layers are added instead."""
    found: list[cst.Call] = []

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "add" and src.code(func.value) == target:
                found.append(node)

    walk(src.module, Visitor())
    return found[0] if found else None


def spelled(node: cst.CSTNode) -> str | None:
    """``model`` or ``self.model`` as written, for a name or a chain of attributes; else None.
    A Sequential made on an attribute (``self.discriminator = Sequential()`` in a method) is
    added to as that attribute."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        owner = spelled(node.value)
        return f"{owner}.{node.attr.value}" if owner is not None else None
    return None


def mentions_target(node: cst.CSTNode, target: str) -> bool:
    """Whether ``node`` mentions ``target``, a name or an attribute chain (``self.model``)."""
    if "." not in target:
        return target in identifiers(node)
    if target.split(".")[0] not in identifiers(node):
        return False
    found = []

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            found.append(spelled(attribute) == target)
            return not found[-1]

    walk(node, Visitor())
    return any(found)
