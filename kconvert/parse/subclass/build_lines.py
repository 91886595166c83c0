"""The line after a subclass's instance that builds it on ``keras.Input`` (or by ``build(shape)``).

A graph style builds the model when it makes it, so a conversion drops that line
(rewrite/builds.py); what the line said (``model(keras.Input(shape=(3,)))  # three features``)
is said of the model's input, which that line gave, and goes with the ``Input`` the new code
writes: ``build_line_remarks`` records it in the graph, on the first input's line.
"""

from __future__ import annotations

import libcst as cst

from ...ir.model_parts import Remark
from ..instances import instantiations
from ..keras_names import INPUT
from ..sites import ModelSite
from ..source import SourceFile
from ..walk import of_kind


def build_line_remarks(src: SourceFile, site: ModelSite) -> tuple[Remark, ...]:
    """What the lines building the subclass ``site``'s instances say, above them or beside them,
    as remarks of its first input."""
    inputs = site.graph.inputs_in_order()
    if not inputs or not all(node.args for node in inputs):
        # No shape to build on: a graph style cannot make the model, and the line stays.
        return ()
    line = inputs[0].loc.line
    found: list[Remark] = []
    for block, index, name in instantiations(src.module, site.name):
        after = block.body[index + 1] if name is not None and index + 1 < len(block.body) else None
        if after is None or not built_on_inputs(src, after, name, said=True):
            continue
        above = [Remark(line, empty.comment.value) for empty in after.leading_lines if empty.comment is not None]
        beside = [Remark(line, text, beside=True) for text in _comments(after.with_changes(leading_lines=()))]
        found += [remark for remark in above + beside if remark not in found]
    return tuple(found)


def built_on_inputs(src: SourceFile, statement: cst.BaseStatement, name: str, said: bool = False) -> bool:
    """``name(keras.Input(...))`` (or a list or dict of them), or ``name.build(shape)``, alone on its
    line, with no comment unless it is ``said`` (by the model's graph: ``build_line_remarks``)."""
    if not is_build(statement) or len(statement.body) != 1 or (has_comment(statement) and not said):
        return False
    call = statement.body[0].value
    method = call.func
    if isinstance(method, cst.Attribute) and isinstance(method.value, cst.Name) and method.value.value == name:
        return method.attr.value == "build" and len(call.args) == 1
    if not (isinstance(call.func, cst.Name) and call.func.value == name and len(call.args) == 1):
        return False
    value = call.args[0].value
    if isinstance(value, (cst.List, cst.Tuple)):
        items = [element.value for element in value.elements]
    elif isinstance(value, cst.Dict):
        items = [element.value for element in value.elements if isinstance(element, cst.DictElement)]
    else:
        items = [value]
    return bool(items) and all(_is_input(src, item) for item in items)


def _is_input(src: SourceFile, node: cst.BaseExpression) -> bool:
    keras = src.keras(node.func) if isinstance(node, cst.Call) else None
    return keras is not None and keras.path in INPUT


def has_comment(node: cst.CSTNode) -> bool:
    return bool(_comments(node))


def _comments(node: cst.CSTNode) -> list[str]:
    return [comment.value for comment in of_kind(node, cst.Comment)]


def is_build(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.Call)
    )
