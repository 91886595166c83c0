"""Putting a graph's comments back beside the code an emitter writes.

Each emitter asks, for every statement it writes, for the remarks of the
source lines that statement comes from (a layer's line, a call's line); each
remark is given out once, to the first statement that asks.  A remark no
statement asks for is not written: the rewriter keeps it above the new code.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..ir.dataflow import consumed, produced
from ..ir.graph import Graph
from ..ir.nodes import Call, Node, Op
from ..ir.source_text import Loc


class Remarks:
    def __init__(self, graph: Graph) -> None:
        self.waiting = list(graph.remarks)

    def around(
        self,
        lines: list[str],
        *locs: Loc | None,
        beside: bool = True,
        above: bool = True,
        blank: bool = True,
        after: bool = True,
        configures: bool = False,
    ) -> list[str]:
        """``lines`` (one statement, already indented) with the comments of ``locs``.

        Comments above go above, at the statement's indentation, and those said under the
        statement under it; the last comment beside (said of the statement's last line, as a
        comment of the whole is) goes at the end of its last line, the others above, in the
        source's order (each said of an argument above it).  ``beside=False``
        for a statement whose own text already carries its end-of-line comment (the
        comments beside then go above); ``above=False`` takes only comments beside;
        ``blank=False`` takes no blank line (a line outside the model's code: its instance's);
        ``after=False`` takes no comment said beside or under the line, which a later statement
        of the same source line (the reader of a call the source nested in it) takes;
        ``configures=True`` takes only the comments beside a layer constructor's arguments (a
        class's ``__init__`` line that makes a layer the source made and called at once).
        """
        wanted = {loc.line for loc in locs if loc is not None}
        mine = [
            remark
            for remark in self.waiting
            if remark.line in wanted
            and (above or remark.beside)
            and (blank or remark.text)
            and (after or not (remark.beside or remark.below))
            and (remark.configures or not configures)
        ]
        if not mine or not lines:
            return lines
        self.waiting = [remark for remark in self.waiting if remark not in mine]
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
        end = next((remark for remark in reversed(mine) if remark.beside), None) if beside else None
        # A blank line above a comment that opens a stage stays (black drops one that opens a block).
        # A remark without text is a blank line the author set a stage off with.
        above = [
            line
            for remark in mine
            if remark is not end and not remark.below
            for line in ([""] if remark.blank else []) + ([indent + remark.text] if remark.text else [])
        ]
        under = [indent + remark.text for remark in mine if remark.below]
        if end is None:
            return above + lines + under
        return above + lines[:-1] + [f"{lines[-1]}  {end.text}"] + under


    def with_copies(self, lines: list[str], loc: Loc, copies: list[str]) -> list[str]:
        """A block's header ``lines`` with the comments of ``loc`` and the ``copies`` (``x0 = x``)
        written before it: under the comments said of the source's copy, a line no node has,
        which came to the block (``# Set aside residual`` above or beside ``res = x``), and above
        those said of the block itself (``x = inputs``, then ``# three stages``, then the loop)."""
        said = [remark for remark in self.waiting if remark.line == loc.line and remark.onward]
        self.waiting = [remark for remark in self.waiting if remark not in said]
        indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
        above = [
            line
            for remark in said
            for line in ([""] if remark.blank else []) + ([indent + remark.text] if remark.text else [])
        ]
        return above + [indent + copy for copy in copies] + self.around(lines, loc)


def after_comments(lines: list[str], copies: list[str]) -> list[str]:
    """``copies`` (``x0 = x``) inserted before the statement ``lines`` but after the comments above
    it: a comment above the source's copy, a line no node has, came to the next statement."""
    start = next((index for index, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), len(lines))
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())] if start < len(lines) else ""
    return lines[:start] + [indent + copy for copy in copies] + lines[start:]


def last_on_lines(body: Iterable[Node]) -> frozenset[int]:
    """The ``id``s of the calls and expressions of ``body`` written last of those from one source
    line: what was said beside or under the line is said of that one, the call that gives the
    line's tensor (``x = layers.Add()([activation_block(x), x0])  # Residual.``), not of a call the
    source nested in it and a subclass writes on a line of its own before."""
    last: dict[int, int] = {}
    for node in body:
        if isinstance(node, (Call, Op)):
            last[node.loc.line] = id(node)
    return frozenset(last.values())


def statement_starts(body: tuple[Node, ...]) -> dict[int, Loc]:
    """For each call or expression of ``body`` written before the statement that the source nested
    it in, which starts on an earlier line (``level1_skff = fuse(\n    up(level2),\n ...)``), the
    place of that statement, by ``id``: the comments above it go above the first line written for it."""
    readers: dict[str, Node] = {}
    starts: dict[int, Loc] = {}
    for node in reversed(body):
        if isinstance(node, (Call, Op)):
            reader = next((readers[value] for value in produced(node) if value in readers), None)
            start = starts.get(id(reader), reader.loc) if reader is not None else None
            if start is not None and start.line < node.loc.line:
                starts[id(node)] = start
        for value in consumed(node):
            readers[value] = node
    return starts
