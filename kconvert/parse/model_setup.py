"""What a model class's ``__init__`` does to the model once its layers are made.

In a graph-building class that is everything after ``super().__init__(...)``; in a
subclass, the tail of ``__init__`` from its ``self.compile(...)`` on (with the locals
just above that only the tail reads).  Storing a parameter (``self.width = width``)
is configuration, which every class target writes again.  Anything else sets the
model up: the npfl114 course's models call ``self.compile(...)`` there and keep a
``self.tb_callback``.  Such a statement is carried as written (a ``Setup``) when it
reads only ``self``, the parameters and module names; one that reads a tensor or a
layer made before is refused, since no other style has those names there.
"""

from __future__ import annotations

import libcst as cst

from ..ir.model_parts import Setup
from .builder import refuse
from .init_lists import changed_attribute, grown_attribute
from .names_in import assigned_anywhere, identifiers, self_attributes_in
from .source import SourceFile

# The attributes Keras' Layer and Model have setters for: assigning one changes the model.
KERAS_SETTINGS = frozenset({"trainable", "dtype_policy", "input_spec", "supports_masking", "jit_compile", "run_eagerly"})


def setup_statements(
    src: SourceFile, before: tuple[cst.BaseStatement, ...], after: tuple[cst.BaseStatement, ...], params: set[str]
) -> tuple[Setup, ...]:
    """The statements after ``super().__init__`` that are not a stored parameter, as ``Setup``s."""
    made = assigned_anywhere(before) - params
    made_attributes = set().union(*(self_attributes_in(statement) for statement in before))
    setup = []
    for index, statement in enumerate(after):
        if stores_param(statement, params) or _leaves(src, statement, last=index == len(after) - 1):
            continue
        code = _code(src, statement)
        read = sorted(identifiers(statement) & made)
        attributes = sorted(self_attributes_in(statement) & made_attributes)
        if read or attributes:
            name = read[0] if read else f"self.{attributes[0]}"
            raise refuse(
                src.loc(statement),
                f"`{_first_line(code)}` after `super().__init__(...)` reads `{name}`, which the graph"
                " code made; no other style has it there",
                "read it from the model (`self.get_layer(...)`, `self.output`), or keep this model in its current style",
            )
        setup.append(Setup(src.loc(statement), code, frozenset(_attributes_set(statement))))
    return tuple(setup)


def _leaves(src: SourceFile, statement: cst.BaseStatement, last: bool) -> bool:
    """A bare ``return`` as ``__init__``'s last line, which does nothing; any other ``return`` is refused."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if not isinstance(small, cst.Return):
        return False
    if small.value is None and last:
        return True
    if small.value is not None:
        raise refuse(
            src.loc(small),
            f"`{src.code(small).strip()}` returns a value from `__init__`, which Python refuses when the class"
            " is called (`__init__` must return None)",
            "remove the `return`",
        )
    raise refuse(
        src.loc(small),
        "`return` leaves `__init__` here, so the lines below it never run",
        "remove the `return`, or the lines it skips",
    )


def setup_start(body: tuple[cst.BaseStatement, ...]) -> int:
    """Where a subclass's ``__init__`` starts setting the model up: its first ``self.compile(...)``
    or other expression statement on ``self`` once ``super().__init__`` has run (a graph-building
    class's tail lands there in a subclass), or the plain local assignments right above it that
    only the tail reads (``schedule = ...``)."""
    made = next((index for index, statement in enumerate(body) if _calls_super_init(statement)), len(body))
    start = next(
        (
            index
            for index, statement in enumerate(body)
            if _compiles(statement) or (index > made and _on_model(statement) and not _calls_local(statement, body[:index]))
        ),
        len(body),
    )
    if start == len(body):
        return start
    while start > 0 and _prepares(body[start - 1], body[start:]):
        start -= 1
    return start


def _expression(statement: cst.BaseStatement) -> cst.BaseExpression | None:
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    return small.value if isinstance(small, cst.Expr) else None


def _calls_super_init(statement: cst.BaseStatement) -> bool:
    call = _expression(statement)
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "__init__"
        and isinstance(call.func.value, cst.Call)
        and isinstance(call.func.value.func, cst.Name)
        and call.func.value.func.value == "super"
    )


def _on_model(statement: cst.BaseStatement) -> bool:
    """An expression statement on the model (``self.build(...)``), or a setting of Keras' own
    (``self.trainable = False``), which no layer attribute is; one that does not read ``self``
    (``print(...)``) is plain code, kept where it stands, and ``self.cnn.add(...)`` or
    ``self.norm.adapt(data)`` changes a layer."""
    value = _expression(statement)
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if value is not None:
        return "self" in identifiers(value) and grown_attribute(small) is None and changed_attribute(small) is None
    return isinstance(small, cst.Assign) and any(
        isinstance(target.target, cst.Attribute)
        and isinstance(target.target.value, cst.Name)
        and target.target.value.value == "self"
        and target.target.attr.value in KERAS_SETTINGS
        for target in small.targets
    )


def _calls_local(statement: cst.BaseStatement, before: tuple[cst.BaseStatement, ...]) -> bool:
    """A call of a name ``__init__`` bound above (``word_model(keras.Input(shape=(self.maxlen,)))``,
    the line that builds a nested model): on that object, not on the model, however much of
    ``self`` its arguments read."""
    call = _expression(statement)
    return isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value in assigned_anywhere(before)


def _compiles(statement: cst.BaseStatement) -> bool:
    call = _expression(statement)
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and isinstance(call.func.value, cst.Name)
        and call.func.value.value == "self"
        and call.func.attr.value == "compile"
    )


def _prepares(statement: cst.BaseStatement, tail: tuple[cst.BaseStatement, ...]) -> bool:
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if not (isinstance(small, cst.Assign) and all(isinstance(target.target, cst.Name) for target in small.targets)):
        return False
    bound = {target.target.value for target in small.targets}
    return "self" not in identifiers(small.value) and bool(bound & set().union(*(identifiers(s) for s in tail)))


def stores_param(statement: cst.BaseStatement, params: set[str]) -> bool:
    """``self.<param> = <param>`` (or ``self._<param>`` where a class target keeps it there: a
    Functional model's own ``input_shape`` cannot be assigned); not a setting of Keras' own
    (``self.trainable = trainable`` freezes the model, which every style must do)."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
        return False
    target = small.targets[0].target
    return (
        isinstance(target, cst.Attribute)
        and isinstance(target.value, cst.Name)
        and target.value.value == "self"
        and isinstance(small.value, cst.Name)
        and small.value.value in params
        and kept_as_written(target.attr.value, small.value.value)
        and target.attr.value not in KERAS_SETTINGS
    )


def kept_as_written(attr: str, param: str) -> bool:
    """Whether ``self.<attr> = <param>`` is the store every class target writes again: ``attr`` is
    the parameter's own name, or the ``_`` name a target keeps a graph property's parameter under
    (``self._input_shape``, emit/serializable.stored_as).  Any other (``self._scale = scale``, which
    a method or the rest of the file reads) is the class's own state, carried as written (verify40:
    a target that wrote ``self.scale`` instead left ``self._scale`` unset)."""
    from ..emit.model_attributes import GRAPH_PROPERTIES  # the emitters' package imports this one's

    return attr == param or (attr == f"_{param}" and param in GRAPH_PROPERTIES)


def _code(src: SourceFile, statement: cst.BaseStatement) -> str:
    """The statement as written, at column 0, with the comment lines above it, and one blank line
    first if it was set off by any."""
    lines = statement.leading_lines
    comments = tuple(line.with_changes(indent=False) for line in lines if line.comment is not None)
    blank = (cst.EmptyLine(indent=False),) if any(line.comment is None for line in lines) else ()
    return src.code(statement.with_changes(leading_lines=blank + comments)).rstrip("\n")


def _first_line(code: str) -> str:
    return next(line for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")).strip()


def _attributes_set(statement: cst.BaseStatement) -> set[str]:
    """``attr`` of each ``self.attr = ...`` in the statement."""
    found: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            target = node.target
            if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
                found.add(target.attr.value)

    statement.visit(Visitor())
    return found
