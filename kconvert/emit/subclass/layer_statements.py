"""Statements on a layer a subclass makes (``base.trainable = False``): on its attribute or its name.

A layer that only such statements read by name is made on its attribute, ``self.base = ...`` then
``self.base.trainable = False``, as an expert writes it and as the subclass's reader takes it back
(parse/subclass/constructor.py); any other read keeps the name the source gave it.  A mixin of
``InitWriter``: it reads the writer's ``graph``, ``ctx`` and ``init_values``, and ``on_layers``,
the names ``made_in`` has written on attributes so far.
"""

from __future__ import annotations

import libcst as cst

from ...ir.nodes import Op, Stmt
from ...ir.reads import graph_codes, identifiers_of, layer_statement_on, statement_names
from ..self_params import SelfParams
from .helpers import walk_written_out


class LayerStatements:
    def set_by_statements(self, name: str) -> bool:
        """Whether only statements of ``__init__`` read the layer's name, none binding it again
        (``base.trainable = False``): they can read the layer as its attribute, the name goes."""
        body = self.graph.body
        codes = [code.text for code in graph_codes(self.graph)]
        codes += [node.expr.text for node in walk_written_out(body) if isinstance(node, Op)]
        if name in self.init_values | self.ctx.kept or any(name in identifiers_of(code) for code in codes if code):
            return False
        return all(
            _sets_attribute_of(node.code, name) and not node.refs
            for node in walk_written_out(body)
            if isinstance(node, Stmt) and name in statement_names(node.code)
        )

    def on_layer_attributes(self, code: str) -> str:
        """The statement with each layer name it reads as that layer's attribute (``self.base``)."""
        renamed = {name: attr for name, attr in self.on_layers.items() if name in statement_names(code)}
        if not renamed:
            return code
        return cst.parse_module(code + "\n").visit(SelfParams(set(), renamed)).code.rstrip("\n")


def _sets_attribute_of(code: str, name: str) -> bool:
    """``base.trainable = False``: the one statement on a layer's attribute a subclass's reader
    takes back (``self.base.trainable``)."""
    try:
        statement = cst.parse_statement(code)
    except cst.ParserSyntaxError:
        return False
    single = isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
    return single and layer_statement_on(statement.body[0]) == name
