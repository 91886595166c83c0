"""A parsed file with the libcst metadata every parser needs.

``SourceFile`` owns the libcst module and answers the three questions the
parsers keep asking: what does this node resolve to (qualified names), where is
it (line and column), and what does it say (its code as written).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Mapping

import libcst as cst
from libcst.metadata import MetadataWrapper, QualifiedNameSource

from ..ir.source_text import Loc
from ..types import Diagnostic
from .handed_modules import handed
from .keras_names import KerasName, is_legacy, pick
from .metadata import positions, scopes
from .module_aliases import aliased
from .names_in import suite_lines
from .star_imports import starred
from .syntax import python_syntax_problem
from .walk import MANY, NODE, field_kind

# The most text given to libcst (a file read whole, or the statements of a large one that can
# matter: slicing.py); beyond it a parse takes minutes and gigabytes.
WHOLE_LIMIT = 10 * 1024 * 1024


@dataclass
class SourceFile:
    """A module together with its resolved metadata."""

    text: str
    module: cst.Module
    wrapper: MetadataWrapper
    _scopes: dict
    _positions: Mapping = None  # set by ``parse``: it asks ``parent``
    _parents: dict | None = None
    _names: dict = field(default_factory=dict)  # node -> its qualified names, once asked
    # parse/model_classes.py fills this on first use.
    training_bases: dict | None = None
    # parse/star_imports.py: the Keras modules ``from ... import *`` reads, on first use.
    star_modules: tuple[str, ...] | None = None
    # parse/handed_modules.py: the names ``get_submodules_from_kwargs(kwargs)`` binds, on first use.
    handed_names: dict | None = None
    # parse/comments.py fills this on first use: the file's comments and where they stand.
    comments: list | None = None
    _lines: dict = field(default_factory=dict)  # one-line suite -> the statement line ``lines`` made of it
    _text_lines: list[str] | None = None

    @property
    def text_lines(self) -> list[str]:
        """The file's lines as Python counts them: ``splitlines`` also breaks at a form feed."""
        if self._text_lines is None:
            self._text_lines = self.text.split("\n")
        return self._text_lines

    @classmethod
    def parse(cls, text: str) -> "SourceFile | Diagnostic":
        if len(text) > WHOLE_LIMIT:
            return Diagnostic(
                1,
                1,
                f"cannot parse the file whole: it is larger than {WHOLE_LIMIT // (1024 * 1024)} MB",
                "a conversion parses only the code its models may read; move the models and the code"
                " they use to a file of their own",
            )
        problem = python_syntax_problem(text)
        if problem is not None:
            return problem
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as error:
            return Diagnostic(
                error.editor_line,
                error.editor_column,
                f"cannot parse the file: {error.message}",
                "fix the syntax error first; kconvert reads only valid Python",
            )
        # unsafe_skip_copy: node identity must match the module we rewrite later.
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        # Qualified names are read from the scopes on demand, as libcst's
        # QualifiedNameProvider would: its extra pass over every node cost a
        # quarter of the metadata, for the few nodes the parsers ask about.
        src = cls(text, module, wrapper, scopes(wrapper))
        src._positions = positions(wrapper, src.parent)
        return src

    def qualified(self, node: cst.CSTNode) -> set[str]:
        found = self._names.get(node)
        if found is None:
            scope = self._scopes.get(node)
            found = self._names[node] = scope.get_qualified_names_for(node) if scope else ()
        if not found:
            # ``from keras.layers import *``: libcst cannot see what a star import binds.
            return starred(self, node)
        if all(name.source is QualifiedNameSource.LOCAL for name in found):
            # ``layers.Conv2D`` where the caller hands the file its ``layers``; ``Dense`` where the
            # module assigns it ``tf.keras.layers.Dense`` once.
            return handed(self, node) or aliased(self, node) or {name.name for name in found}
        return {name.name for name in found}

    def keras(self, node: cst.CSTNode) -> KerasName | None:
        return pick(self.qualified(node))

    def legacy_keras(self, node: cst.CSTNode) -> str | None:
        for name in sorted(self.qualified(node)):
            if is_legacy(name):
                return name
        return None

    def loc(self, node: cst.CSTNode) -> Loc:
        position = self._positions[node]
        return Loc(position.start.line, position.start.column + 1)

    def stand_in(self, node: cst.CSTNode, original: cst.CSTNode) -> cst.CSTNode:
        """``node``, made from ``original`` by a parser, located where ``original`` is."""
        self._positions.stand_in(node, original)
        return node

    def lines(self, suite: cst.BaseSuite) -> list[cst.BaseStatement]:
        """A block's statements; a one-line body (``if bn: x = BatchNormalization()(x)``) is one
        statement line, the same node each time, located where the body is."""
        if isinstance(suite, cst.IndentedBlock):
            return list(suite.body)
        if suite not in self._lines:
            self._lines[suite] = [self.stand_in(line, suite) for line in suite_lines(suite)]
        return self._lines[suite]

    def end_line(self, node: cst.CSTNode) -> int:
        return self._positions[node].end.line

    def code(self, node: cst.CSTNode) -> str:
        return node_text(node)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        # Resolved on first use: only subclass sites ask, and a whole pass over
        # the module is a noticeable part of converting a file that has none.
        if self._parents is None:
            self._parents = _parents(self.module)
        return self._parents.get(node)

    def scopes(self):
        """Every node's scope (with repeats): the scope analysis of the whole module."""
        return self._scopes.values()

    def scope(self, node: cst.CSTNode):
        return self._scopes.get(node)


def node_text(node: cst.CSTNode) -> str:
    """``node``'s code as written; an expression that breaks a line only because the brackets
    around it allow it (``name="bn%d" %\n    block_id`` in a call) comes in parentheses, so that
    its text is an expression wherever it is written or parsed again."""
    text = cst.Module([]).code_for_node(node)
    if "\n" in text and isinstance(node, cst.BaseExpression) and not getattr(node, "lpar", ()):
        try:
            cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return f"({text})"
    return text


def _parents(module: cst.Module) -> dict[cst.CSTNode, cst.CSTNode]:
    """Each node's parent, as libcst's ParentNodeProvider gives it.

    A node's children are the nodes in its fields; reading the fields is several
    times cheaper than the provider's visit, which rebuilds every node it passes.
    The kind of each field value is learnt once per class, as ``walk`` does.
    """
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    stack: list[cst.CSTNode] = [module]
    names: dict[type, tuple[str, ...]] = {}
    while stack:
        node = stack.pop()
        kind = type(node)
        fields_of = names.get(kind)
        if fields_of is None:
            fields_of = names[kind] = tuple(each.name for each in fields(node))
        for name in fields_of:
            value = getattr(node, name)
            found = field_kind(value)
            if found == NODE:
                parents[value] = node
                stack.append(value)
            elif found == MANY:
                for child in value:
                    if field_kind(child) == NODE:
                        parents[child] = node
                        stack.append(child)
    return parents
