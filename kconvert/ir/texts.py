"""Every source text of a graph, rewritten by one function.

A parser that changes how the model's code reads a value (``self.latent_dim`` read as the
parameter ``latent_dim``) maps it over every expression and statement the graph keeps, helper
bodies, loops, conditions and blocks included, without knowing each node's fields.  Comments,
docstrings and the source class's own methods are not the model's code and are left alone.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Callable

import libcst as cst

from .graph import Graph
from .nodes import Input, Stmt
from .source_text import Code
from .model_parts import Method, Remark, Setup

Rewrite = Callable[[str], str]

# Fields that hold a statement's text rather than a ``Code``; ``made_by`` is an expression.
_STATEMENTS = {(Stmt, "code"), (Input, "choice"), (Setup, "code")}
_EXPRESSIONS = {(Input, "made_by")}


def map_texts(graph: Graph, expression: Rewrite, statement: Rewrite) -> Graph:
    """``graph`` with every expression text passed through ``expression`` and every statement
    text through ``statement``; placeholders stay as they are for the rewrites to leave alone."""
    return _mapped(graph, expression, statement)


def visit_texts(graph: Graph, visitor: cst.CSTVisitor) -> None:
    """Walks ``visitor`` over every expression and statement text of ``graph``."""
    map_texts(graph, lambda text: _visited(cst.parse_expression(text), visitor, text),
              lambda text: _visited(cst.parse_module(text + "\n"), visitor, text))


def transform_texts(graph: Graph, transformer: cst.CSTTransformer) -> Graph:
    """``graph`` with ``transformer`` run over every expression and statement text."""
    return map_texts(
        graph,
        lambda text: cst.Module([]).code_for_node(cst.parse_expression(text).visit(transformer)),
        lambda text: cst.parse_module(text + "\n").visit(transformer).code[:-1],
    )


def _visited(tree: cst.CSTNode, visitor: cst.CSTVisitor, text: str) -> str:
    tree.visit(visitor)
    return text


def _mapped(item, expression: Rewrite, statement: Rewrite):
    if isinstance(item, Code):
        return replace(item, text=expression(item.text)) if item.text else item
    if isinstance(item, tuple):
        return tuple(_mapped(part, expression, statement) for part in item)
    if not is_dataclass(item) or isinstance(item, (Method, Remark)):
        return item
    changes = {}
    for field in fields(item):
        value = getattr(item, field.name)
        kind = type(item), field.name
        if isinstance(value, str) and kind in _STATEMENTS:
            changes[field.name] = statement(value)
        elif isinstance(value, str) and kind in _EXPRESSIONS:
            changes[field.name] = expression(value)
        elif isinstance(value, (Code, tuple)) or is_dataclass(value):
            changes[field.name] = _mapped(value, expression, statement)
    return replace(item, **changes)
