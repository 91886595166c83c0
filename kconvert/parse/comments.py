"""The comments of a model's code, recorded in its graph.

A comment on a line of its own belongs to the code line after it; a comment at
the end of a line belongs to the construct that line belongs to (a layer in a
Sequential list, a statement); one above a line the graph keeps no node for
(``res = x``) belongs to the next line that has one.  Either is recorded as a ``Remark`` on the line
where a node or layer definition of the graph starts, so every emitter can put
it back beside what it writes for that node.  A comment that belongs to no such
line is not recorded: the rewriter then keeps it above the new code, as it keeps
every comment it finds in the replaced code and not in the new one.  A subclass's
comment right above its ``super().__init__()`` (``# Construct the model.``) opens
its constructor: it is recorded on the model's first Input, which a graph style
writes first, and a class beside ``super().__init__()`` again.
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from ..ir.graph import Graph
from ..ir.graph import helper_nodes
from ..ir.model_parts import Remark
from ..ir.nodes import Input, Stmt
from ..ir.source_text import Arg, Code, Loc
from ..notebook import CELL_MARKER
from ..types import Style
from .comment_scan import file_comments
from .nested_helpers import function_defs
from .sites import ModelSite
from .source import SourceFile
from .subclass.build_lines import build_line_remarks
from .subclass.super_init import is_super_init

# A script's cell boundary: ``#%%`` (Spyder, VS Code, Jupytext's percent format), ``# In[3]:``
# (a notebook exported as a script).
_SCRIPT_CELL = re.compile(r"#\s*%%|# In\[[\d ]*\]:")


def with_remarks(src: SourceFile, site: ModelSite) -> None:
    """Records the comments inside the site's statements in its graph."""
    if site.graph is None:
        return
    statements = site.block.body[site.start : site.end]
    first, last = src.loc(statements[0]).line, src.end_line(statements[-1])
    if site.prepared:
        # The comment right above a statement that prepares the model's arguments is that
        # statement's; one above the model's own first line stays above what replaces the model.
        first -= _comment_lines_above(statements[0])
    remarks = remarks_between(src, site.graph, first, last, onward=True)
    if any(remark.text and not remark.beside for remark in remarks) and not site.prepared and _opens_graph(site.graph, first):
        # Code that titles its own steps (``# 4D input.`` above ``x = Input(...)``, then ``#
        # Encoder`` above a later line): the comment right above the first step is that step's
        # too, and goes where its Input or layer goes.  Alone (``# narrower`` beside a layer is
        # no title), or above the model's own line, it titles the whole model and stays above
        # what replaces it.
        above = first - _comment_lines_above(statements[0])
        # The blank line above them set the model off from the code before it, not a stage.
        opening = remarks_between(src, site.graph, above, first - 1)
        remarks = tuple(replace(remark, blank=False) for remark in opening) + remarks
    opening, closing, returns = _opening_init(src, site)
    remarks = _signature_remarks(src, site.graph, first) + opening + remarks + closing
    remarks += tuple(remark for remark in _helper_remarks(src, site.graph, first, last) if remark not in remarks)
    if site.style is Style.SUBCLASS:
        remarks += build_line_remarks(src, site)
    site.graph = replace(site.graph, remarks=remarks, returns=returns)


def _signature_remarks(src: SourceFile, graph: Graph, first: int) -> tuple[Remark, ...]:
    """What a builder's signature says of each parameter (``units=8,  # width`` or a comment line
    above it): a class the builder becomes stores each parameter on a line of its own and says it
    there.  Not what is said beside the ``def`` line, which is said of the function."""
    lines = {
        param.loc.line
        for param in graph.params
        if param.loc is not None and param.loc.line < first and not _DEF.match(src.text_lines[param.loc.line - 1])
    }
    if not lines:
        return ()
    return tuple(remark for remark in remarks_between(src, graph, 1, first - 1) if remark.line in lines)


_DEF = re.compile(r"\s*(?:async\s+)?def\b")


def _helper_remarks(src: SourceFile, graph: Graph, first: int, last: int) -> tuple[Remark, ...]:
    """What the functions the model calls (``def block(x, width)`` elsewhere in the file) say in
    their bodies, on the lines of their code: a style that writes a helper's layers out (a
    Sequential's list) says it with the first layers written from those lines.  A style that keeps
    the call asks nothing of those lines, and the function keeps its comments."""
    bodies = list(helper_nodes(graph.body))
    # A helper the builder defines for itself is read with the model's own lines.
    lines = {node.loc.line for node in bodies if not first <= node.loc.line <= last}
    if not lines:
        return ()
    inner = replace(graph, body=tuple(bodies), params=(), methods=(), setup=())
    found: list[Remark] = []
    for definition in function_defs(src.module):
        # The body's position starts at its first statement, under the comments above it.
        start, end = src.loc(definition.name).line + 1, src.end_line(definition)
        if any(start <= line <= end for line in lines) and not (start <= first and last <= end):
            found += [remark for remark in remarks_between(src, inner, start, end, onward=True) if remark not in found]
    return tuple(found)


def _opening_init(src: SourceFile, site: ModelSite) -> tuple[tuple[Remark, ...], tuple[Remark, ...], Loc | None]:
    """The comments of a model class's ``super().__init__(...)`` line, and the graph's ``returns``.

    Called after the class's graph code, that call gives the model's outputs, as ``call()``'s
    ``return`` and a builder's ``return keras.Model(...)`` do: what is said above or beside it goes
    with the line each style gives the outputs on (``Graph.returns``, which the call is then).
    Called first, what is said right above it opens the constructor (the first Input's, written
    first), and what is said beside it goes with the outputs' line, after that line's own comments
    (``closing``)."""
    holder = site.block.body[site.start] if site.end == site.start + 1 else None
    inputs = site.graph.inputs_in_order()
    if not isinstance(holder, cst.ClassDef) or not inputs:
        return (), (), site.graph.returns
    init = next((s for s in holder.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"), None)
    body = init.body.body if init is not None and isinstance(init.body, cst.IndentedBlock) else ()
    made = next((src.loc(s) for s in body if isinstance(s, cst.SimpleStatementLine) and is_super_init(s.body[0])), None)
    if made is None:
        return (), (), site.graph.returns
    written = _code_texts(site.graph)
    said = [
        comment
        for comment in file_comments(src)
        if comment.anchor == made.line and not any(comment.text in code for code in written)
    ]
    if made.line > inputs[0].loc.line:
        # Right under the call, set off from what follows: said of the outputs' line, under it
        # (``remarks_between`` has it already when a node of the graph is on that line).
        under = [
            comment
            for comment in file_comments(src)
            if comment.trails == made.line
            and made.line not in site.graph.code_lines()
            and not any(comment.text in code for code in written)
        ]
        return (
            tuple(Remark(made.line, comment.text, beside=comment.beside) for comment in said)
            + tuple(Remark(made.line, comment.text, blank=comment.blank, below=True) for comment in under),
            (),
            made,
        )
    outputs = (site.graph.returns or site.graph.loc).line
    return (
        tuple(Remark(inputs[0].loc.line, comment.text, blank=False) for comment in said if not comment.beside),
        tuple(Remark(outputs, comment.text, beside=True) for comment in said if comment.beside),
        site.graph.returns,
    )


def remarks_between(
    src: SourceFile, graph: Graph, first: int, last: int, onward: bool = False
) -> tuple[Remark, ...]:
    """The comments on lines ``first`` to ``last`` that belong to a node or layer of ``graph``
    (a helper block's are its function's own: its Layer class writes them back).  ``onward``: a
    comment above a line among the nodes that is no node's (``res = x``) goes with the next line
    that is, where emitters write the copy it was about."""
    anchors = graph.code_lines()
    # A stored parameter's line (``self.units = units``) takes what is said of it, but is no next
    # line a comment goes onward to, nor a stage a blank line sets off: a class writes it apart
    # from the graph's code.
    onto = anchors - {param.loc.line for param in graph.params if param.loc is not None}
    # Only a comment among the model's own statements goes onward: not one above them.
    nodes = {node.loc.line for node in graph.walk()}
    written = _code_texts(graph)
    # The lines of a statement kept as written: its comments are in its code, and a comment of the
    # same text elsewhere (``# first stack`` beside two ``if``s) is a comment of its own.
    verbatim = {
        line
        for node in graph.walk()
        if isinstance(node, Stmt)
        for line in range(node.loc.line, node.loc.line + node.code.count("\n") + 1)
    }
    remarks = _blank_lines(src, onto, verbatim, max(first, min(nodes, default=last + 1)), last)
    for line, text, beside, logical, after, blank, trails, within in file_comments(src):
        if not first <= line <= last or line in verbatim or any(text in code for code in written):
            # A comment inside an expression the IR keeps as text travels with that text.
            continue
        if text.startswith(CELL_MARKER) or _SCRIPT_CELL.match(text):
            # A notebook's cell boundary (or a script's, ``#%%`` in Spyder, VS Code, Jupytext) put
            # beside new code could split a class or a list between two cells: it stays above the
            # new code, with the model in one cell.
            continue
        if beside:
            owners = [anchor for anchor in anchors if logical <= anchor <= line]
            if owners:
                configures = _in_constructor(src, graph, max(owners), line, within)
                remarks.append((line, Remark(max(owners), text, beside=True, configures=configures)))
            elif onward and min(nodes, default=last + 1) <= logical and any(line < anchor <= last for anchor in onto):
                # Beside a copy (``res = x  # Set aside residual``): above the copy, which is
                # written after the comments above the next line that has a node.
                anchor = min(anchor for anchor in onto if line < anchor <= last)
                remarks.append((line, Remark(anchor, text, copy=_copy_target(src.text_lines[logical - 1]), onward=True)))
        elif trails is not None and trails in anchors and first <= trails:
            remarks.append((line, Remark(trails, text, blank=blank, below=True)))
        elif logical in anchors:
            remarks.append((line, Remark(logical, text, blank=blank)))
        elif after is not None and any(first <= anchor <= after for anchor in anchors):
            # Below the last element of a list, before its closing bracket: the comment is about
            # that element (``Dense(14)`` then ``# equivalent: TimeDistributed(Dense(14))``).
            remarks.append((line, Remark(max(anchor for anchor in anchors if first <= anchor <= after), text)))
        elif onward and min(nodes, default=last + 1) <= logical and any(logical < anchor <= last for anchor in onto):
            anchor = min(anchor for anchor in onto if logical < anchor <= last)
            remarks.append((line, Remark(anchor, text, blank=blank, onward=True)))
    # In the order of the source's lines, so a blank line under a comment stays under it.
    return tuple(remark for _, remark in sorted(remarks, key=lambda pair: pair[0]))


def _in_constructor(src: SourceFile, graph: Graph, first: int, line: int, within: tuple[tuple[int, int], ...]) -> bool:
    """Whether a comment beside ``line`` stands inside the brackets of a layer's constructor that
    starts on lines ``first`` to ``line`` (``Conv2D(64,  # filters`` ... ``)(x)``)."""
    for layer in graph.layers:
        if layer.factory is None or not first <= layer.loc.line <= line or "\n" in layer.factory.text:
            continue
        text = src.text_lines[layer.loc.line - 1]
        paren = text.find("(", layer.loc.col - 1 + len(layer.factory.text))
        if paren >= 0 and (layer.loc.line, paren) in within:
            return True
    return False


def _blank_lines(src: SourceFile, anchors: set[int], verbatim: set[int], first: int, last: int) -> list:
    """A blank line right above a line of the model's code that makes a node or a layer, as a
    remark without text: the author's stages (the DCGAN tutorial's generator, a group of adds per
    resolution) stay set off from each other.  The blank line above a comment is that comment's;
    one above a ``def`` (a subclass's ``call``, whose line its Input has) parts methods, not stages."""
    lines = src.text_lines
    return [
        (line - 1, Remark(line, "", blank=True))
        for line in range(first + 1, min(last, len(lines)) + 1)
        if line in anchors
        and line not in verbatim
        and not lines[line - 2].strip()
        and lines[line - 1].strip()
        and not lines[line - 1].lstrip().startswith(_DEFINITIONS)
        and not _after_definition(lines, line)
    ]


def _copy_target(line: str) -> str | None:
    """The name ``line`` binds when it copies another name (``res = x  # ...``), else None."""
    found = _COPY.match(line)
    return found.group(1) if found else None


_COPY = re.compile(r"\s*([A-Za-z_]\w*)\s*=\s*[A-Za-z_]\w*\s*#")


def _after_definition(lines: list[str], line: int) -> bool:
    """Whether the blank lines above ``line`` close a ``def`` or ``class`` among the model's lines:
    they set the definition off, which goes elsewhere, not a stage of the model."""
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    for text in reversed(lines[: line - 1]):
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            return text.lstrip().startswith(_DEFINITIONS)
    return False


_DEFINITIONS = ("def ", "async def ", "class ", "@")


def _opens_graph(graph: Graph, line: int) -> bool:
    """Whether ``line`` makes an Input or layer of ``graph``, not the model itself."""
    return line != graph.loc.line and line in graph.code_lines()


def _comment_lines_above(statement: cst.BaseStatement) -> int:
    count = 0
    for line in reversed(statement.leading_lines):
        if line.comment is None:
            break
        count += 1
    return count


def _code_texts(graph: Graph) -> list[str]:
    """Every piece of source text the graph keeps verbatim."""
    codes: list[Code] = [graph.inputs, graph.outputs]
    for layer in graph.layers:
        codes += [arg.value for arg in layer.args]
    for node in graph.walk():
        codes += [arg.value for arg in getattr(node, "args", ()) if isinstance(arg, Arg)]
        codes += [getattr(node, field) for field in ("expr", "test", "iterable") if hasattr(node, field)]
    texts = [code.text for code in codes if "#" in code.text]
    # An input chosen by an ``if`` is written as its statement, comments and all.
    texts += [node.choice for node in graph.walk() if isinstance(node, Input) and node.choice and "#" in node.choice]
    # A kept method or setup statement carries its comments in its own code.
    texts += [item.code for item in (*graph.methods, *graph.setup) if "#" in item.code]
    return texts
