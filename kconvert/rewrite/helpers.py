"""Removing the helper functions a conversion made unused (those whose code the new form holds).

A helper block written as a ``Layer`` class no longer needs its function once
nothing in the file calls it; a function another model, another helper or any
later code still reads stays.  A helper only an unused helper called goes too.
Reads are found by scope, so a local variable of the same name (the loop
variable ``residual_block`` over ``self.residual_blocks``) is no read of it.
A comment of a removed function that its Layer class did not take stays where
the function was, as the splicer keeps those of the code it replaces.
"""

from __future__ import annotations

from collections import Counter

import libcst as cst
from libcst.metadata import MetadataWrapper

from ..ir.graph import Graph
from ..ir.graph import walk as walk_ir
from ..ir.nodes import Node, Op
from ..parse.comment_scan import file_comments
from ..parse.metadata import scopes as module_scopes
from ..parse.nested_helpers import function_defs
from ..parse.source import SourceFile
from ..parse.walk import of_kind
from ..types import Style
from .helper_methods import unread_methods
from .splice import comment_key, comments_in


def without_unused_helpers(
    module: cst.Module, helpers: set[str], source: Counter[str], before: cst.Module, functions: bool = True
) -> cst.Module:
    """``module`` without the module-level functions of ``helpers`` that nothing reads any more
    but the file ``before`` the conversion read (with ``functions``: a class that builds a graph
    calls them), nor those a function defines for itself (parse/nested_helpers.py), nor such
    methods (rewrite/helper_methods.py); ``source`` counts the comments of the file converted,
    none of which may go missing."""
    # One nothing called is not made unused by the conversion (a builder's own of that name was called).
    idle = _unread(before, {s.name.value for s in before.body if isinstance(s, cst.FunctionDef)} & helpers)
    while functions:
        defined = {
            statement.name.value
            for statement in module.body
            if isinstance(statement, cst.FunctionDef) and statement.name.value in helpers - idle
        }
        unused = _unread(module, defined) if defined else set()
        if not unused:
            break
        gone = {id(statement) for statement in module.body if isinstance(statement, cst.FunctionDef) and statement.name.value in unused}
        body, orphans = _removed(module, module.body, gone, source)
        module = module.with_changes(body=body, footer=(*module.footer, *orphans))
    gone = _unread_nested(module, helpers) | unread_methods(module, helpers, before)
    return module.visit(_Nested(module, gone, source)) if gone else module


def _removed(module: cst.Module, statements, gone: set[int], source: Counter[str]):
    """``statements`` without those whose id is in ``gone``, and the comments of theirs found
    nowhere else in ``module``: each goes above the statement after it, the last ones are returned."""
    removed = [statement for statement in statements if id(statement) in gone]
    source = Counter(comment_key(text) for text in source.elements())
    kept = Counter(map(comment_key, comments_in(module.body))) - Counter(map(comment_key, comments_in(removed)))
    missing = Counter(map(comment_key, comments_in(removed))) & (source - kept)
    body: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] = []
    orphans: list[cst.EmptyLine] = []
    for statement in statements:
        if id(statement) in gone:
            above = [line for line in statement.leading_lines if line.comment is None or _taken(missing, line.comment.value)]
            if any(line.comment is not None for line in above):
                # What stood above the function (a file's header) stays, set off from the code below as it was.
                carried += above
            for text in comments_in([statement.with_changes(leading_lines=())]):
                if _taken(missing, text):
                    orphans.append(cst.EmptyLine(comment=cst.Comment(text)))
            continue
        leading = statement.leading_lines
        if not body and len(statements) > 1 and id(statements[0]) in gone:
            # The block now starts here: no blank line opens it.
            leading = tuple(line for line in leading if line.comment is not None)
        if carried:
            leading = _from_first_comment(leading)
        statement = statement.with_changes(leading_lines=(*carried, *leading, *orphans))
        carried, orphans = [], []
        body.append(statement)
    return body, [line for line in (*carried, *orphans) if line.comment is not None]


def _taken(missing: Counter[str], text: str) -> bool:
    """Whether the comment ``text`` is one of those ``missing``, counted off if so."""
    if missing[comment_key(text)] <= 0:
        return False
    missing[comment_key(text)] -= 1
    return True


def _from_first_comment(lines) -> tuple[cst.EmptyLine, ...]:
    """``lines`` from their first comment on: the blank lines above go, those carried set it off."""
    lines = tuple(lines)
    first = next((index for index, line in enumerate(lines) if line.comment is not None), len(lines))
    return lines[first:]


def _unread_nested(module: cst.Module, helpers: set[str]) -> set[int]:
    """The ids of the ``def``s of ``helpers`` inside a function's body that nothing outside their
    own body reads any more: the model code that called them is gone from the function."""
    scopes = module_scopes(MetadataWrapper(module, unsafe_skip_copy=True))
    gone = set()
    for function in function_defs(module):
        for statement in function.body.body if isinstance(function.body, cst.IndentedBlock) else ():
            if not (isinstance(statement, cst.FunctionDef) and statement.name.value in helpers):
                continue
            inside = _node_ids(statement.body)
            references = [access for assignment in scopes[statement].assignments[statement.name.value] for access in assignment.references]
            if all(id(access.node) in inside for access in references):
                gone.add(id(statement))
    return gone


class _Nested(cst.CSTTransformer):
    """Drops the nested ``def``s ``gone`` from the function bodies that hold them."""

    def __init__(self, module: cst.Module, gone: set[int], source: Counter[str]) -> None:
        self.module, self.gone, self.source = module, gone, source

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        if not any(id(statement) in self.gone for statement in original.body):
            return updated
        # The original statements carry the ids; any nested change below them is kept by position.
        pairs = list(zip(original.body, updated.body))
        body, orphans = _removed(self.module, [new for _, new in pairs], {id(new) for old, new in pairs if id(old) in self.gone}, self.source)
        return updated.with_changes(body=body, footer=(*updated.footer, *orphans))


def _unread(module: cst.Module, names: set[str]) -> set[str]:
    """The module-level functions of ``names`` that no code outside their own body reads."""
    scopes = module_scopes(MetadataWrapper(module, unsafe_skip_copy=True))
    unread = set()
    for statement in module.body:
        if not (isinstance(statement, cst.FunctionDef) and statement.name.value in names):
            continue
        scope = scopes[statement]
        inside = _node_ids(statement.body)
        accesses = [
            access
            for assignment in scope.assignments[statement.name.value]
            for access in assignment.references
        ]
        if all(id(access.node) in inside for access in accesses):
            unread.add(statement.name.value)
    return unread


def _node_ids(node: cst.CSTNode) -> set[int]:
    """The ids of ``node`` and of every node under it."""
    return {id(each) for each in of_kind(node, cst.CSTNode)}


def helpers_written(graph: Graph, target: Style) -> set[str]:
    """The helper functions whose code the model's new form holds instead of calling them."""
    if target is Style.SUBCLASS:
        # Its Layer classes, and the helpers it writes out in ``__init__`` and ``call()``.
        return {block.name for block in graph.blocks} | _helper_names(graph.body)
    # A class that builds a graph calls the functions written above it (a builder's own, moved there).
    written = {cst.parse_statement(function).name.value for function in graph.functions}
    return _helper_names(graph.body) | (written if target is Style.FUNCTIONAL_SUBCLASS else set())


def _helper_names(body: tuple[Node, ...]) -> set[str]:
    """The helpers ``body`` calls, and those their bodies call."""
    names = set()
    for node in walk_ir(body):
        if isinstance(node, Op) and node.helper is not None:
            names |= {node.helper.name} | _helper_names(node.helper.body)
    return names


def own_comments(src: SourceFile, graph: Graph, target: Style, new, lines: range) -> tuple[str, ...]:
    """The comments of the ``new`` code that can be those of the code it replaces, on ``lines``:
    not those it writes out of a helper's body elsewhere in the file (``#`` lines of a block's
    Layer class), which would stand for as many of the replaced code's own and drop them, as many
    as the code written out of helpers holds.  A graph style calls the helpers it keeps: what it
    writes is all the replaced code's."""
    if target not in (Style.SUBCLASS, Style.SEQUENTIAL):
        return comments_in(new)
    # A subclass writes a helper out as a Layer class above the model's own class, which says
    # only what the replaced code said; a Sequential's list says both.
    classes = [statement for statement in new if isinstance(statement, cst.ClassDef)]
    out = comments_in(classes[:-1] if target is Style.SUBCLASS else new)
    written = helpers_written(graph, target)
    spans = [
        range(src.loc(definition).line, src.end_line(definition) + 1)
        for definition in function_defs(src.module)
        if definition.name.value in written
    ]
    foreign = Counter(
        comment_key(comment.text)
        for comment in file_comments(src)
        if comment.line not in lines and any(comment.line in span for span in spans)
    )
    foreign &= Counter(map(comment_key, out))
    return tuple((Counter(map(comment_key, comments_in(new))) - foreign).elements())
