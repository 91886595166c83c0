"""The statements the line that builds a subclass's instance needs written again.

A converted subclass is built by a call on ``keras.Input(...)`` where its builder
makes the instance (emit/subclass/build.py).  The shape it is given may read a name
the builder computes among the model's statements (``previous_steps = 3``, changed
under ``if "options" in param:``) that the class computes in ``__init__``, because
its layers read it too or because several statements bind it.  The line that builds
the instance cannot see ``__init__``'s locals, so those statements are written again
before it, computing the same values from the same parameters.

Only statements that compute plainly are written twice: no call but a builtin's, a
string's or dict's own method, or a read of a Keras setting (``K.image_data_format()``).  Any other call might act (a ``print``) or give another
value the second time (a random draw); a shape that needs one is refused, by name.
"""

from __future__ import annotations

import libcst as cst

from .control import Loop
from .graph import Graph
from .nodes import Call, Input, Op, Stmt
from .reads import identifiers_of, statement_binds, statement_binds_anywhere, statement_names

# Builtins that compute a value and do nothing else.
PLAIN_FUNCTIONS = frozenset(
    {"int", "float", "str", "bool", "len", "min", "max", "abs", "round", "tuple", "list", "dict", "range", "sum", "sorted"}
)
# Methods of strings and dicts that only read their object.
PLAIN_METHODS = frozenset(
    {"strip", "lstrip", "rstrip", "split", "lower", "upper", "replace", "format", "join", "get", "keys", "values", "items"}
)
# Keras backend settings read by a call of no arguments (``K.image_data_format()`` choosing the
# channels' axis): the same value each time, as long as the model is built.
SETTINGS = frozenset({"image_data_format", "floatx", "epsilon"})


def input_reads(graph: Graph) -> set[str]:
    """The names the model's ``keras.Input(...)`` arguments read."""
    return {
        name
        for node in graph.walk()
        if isinstance(node, Input)
        for arg in node.args
        if arg.value.text
        for name in identifiers_of(arg.value.text)
    }


def rebuilt_statements(graph: Graph, read: set[str]) -> tuple[frozenset[int], str | None]:
    """The ids of the model's own statements that compute ``read`` (and what those read in turn),
    to write again before the build line; and the first name of ``read`` that cannot be computed
    so (bound by a statement that calls something else, or inside a loop or ``if`` of the model's
    layers, or a layer's or tensor's name, or changed in place by another statement), else None."""
    needed = set(read)
    chosen: set[int] = set()
    # What the chosen statements read: another statement must not change it in place.
    read_again: set[str] = set()
    for node in reversed([node for node in graph.body if isinstance(node, Stmt)]):
        binds = statement_binds_anywhere(node.code, in_place=False)
        if not binds & needed:
            continue
        if not _plain(node.code):
            return frozenset(), sorted(binds & needed)[0]
        chosen.add(id(node))
        reads = _reads(node.code, needed)
        read_again |= reads
        needed = (needed - statement_binds(node.code)) | reads
    missing = sorted(needed & _bound_elsewhere(graph))
    for node in graph.walk():
        if isinstance(node, Stmt) and id(node) not in chosen:
            # ``param["steps"] = 5`` in __init__ changes what the statements written again read.
            changed = statement_binds_anywhere(node.code) - statement_binds_anywhere(node.code, in_place=False)
            missing += sorted(changed & read_again)
    return frozenset(chosen), (missing[0] if missing else None)


def _bound_elsewhere(graph: Graph) -> set[str]:
    """Names the model binds other than by a statement of its own level: tensors, named layers,
    loop variables, and statements inside its loops and ``if`` blocks."""
    bound = {layer.name for layer in graph.layers if layer.binding == "named" and layer.name}
    top = {id(node) for node in graph.body}
    for node in graph.walk():
        if isinstance(node, (Call, Op)) and node.name:
            bound.add(node.name)
        elif isinstance(node, Loop) and node.target:
            bound |= identifiers_of(f"({node.target})")
        elif isinstance(node, Stmt) and id(node) not in top:
            bound |= statement_binds_anywhere(node.code, in_place=False)
    return bound


def _reads(code: str, needed: set[str]) -> set[str]:
    """What a statement needs computed before it: what an assignment's value (or an augmented
    target) reads; of an ``if`` or ``for``, every name but those it only binds and nothing after
    it needs (its other bound names may keep an earlier line's value: that line is needed too)."""
    module = cst.parse_module(code + "\n")
    if not all(isinstance(line, cst.SimpleStatementLine) for line in module.body):
        return statement_names(code) - (statement_binds_anywhere(code, in_place=False) - needed)
    found: set[str] = set()
    for line in module.body:
        for small in line.body:
            if isinstance(small, cst.Assign) and all(isinstance(t.target, cst.Name) for t in small.targets):
                found |= identifiers_of(cst.Module([]).code_for_node(small.value))
            elif isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
                found |= identifiers_of(cst.Module([]).code_for_node(small.value)) | {small.target.value}
            else:
                found |= statement_names(cst.Module([]).code_for_node(small))
    return found


def _plain(code: str) -> bool:
    """Whether a statement's calls are all of ``PLAIN_FUNCTIONS`` or ``PLAIN_METHODS``."""
    visitor = _Calls()
    cst.parse_module(code + "\n").visit(visitor)
    return visitor.plain


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.plain = True

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name) and func.value in PLAIN_FUNCTIONS:
            return
        if isinstance(func, cst.Attribute) and func.attr.value in PLAIN_METHODS:
            return
        if isinstance(func, cst.Attribute) and func.attr.value in SETTINGS and not node.args:
            return
        self.plain = False
