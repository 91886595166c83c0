"""Line and column of a module's nodes, generated one top-level statement at a time.

libcst's ``PositionProvider`` generates the code of the whole module, recording
where each node starts and ends; that is a third of the metadata of a file.  A
conversion asks where few statements are: the models' and those its diagnostics
name.  The safety check's reading of the output asks only about the converted
models, yet paid for every helper function of a large file.

The codegen state's line and column follow from the tokens alone, so a top-level
statement's positions depend only on its own code and on where it starts, which
the plain code of the statements before it gives (a cheap count, no node
recorded).  Its positions are generated with ``PositionProvider``'s own state,
started there: the same figures the whole module's codegen records.  A node
outside the body's statements (the module, its header and footer lines) gets
the whole module's positions, as before.
"""

from __future__ import annotations

from typing import Callable

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import PositionProvider
from libcst.metadata.position_provider import NEWLINE_RE, PositionProvidingCodegenState


class Positions:
    """``positions[node]``: the node's ``CodeRange``, as ``PositionProvider`` gives it."""

    def __init__(self, module: cst.Module, parent: Callable[[cst.CSTNode], cst.CSTNode | None]) -> None:
        self._module = module
        self._parent = parent
        self._provider = PositionProvider()  # its ``_computed`` collects every statement's positions
        self._starts: list[tuple[int, int]] = []  # (line, column) where body[i] starts, for the first few i
        self._done: set[int] = set()  # indexes of the statements generated
        self._index: dict[int, int] | None = None  # id(statement) -> its index in the body
        self._whole = False
        # A node a parser derives from one of the module's (an ``if`` with some of its statements)
        # -> that node: it stands where the original does.
        self._stand_ins: dict[cst.CSTNode, cst.CSTNode] = {}

    def stand_in(self, node: cst.CSTNode, original: cst.CSTNode) -> None:
        self._stand_ins[node] = self._stand_ins.get(original, original)

    def __getitem__(self, node: cst.CSTNode):
        node = self._stand_ins.get(node, node)
        found = self._provider._computed.get(node)
        if found is None:
            self._generate(node)
            found = self._provider._computed[node]  # KeyError for a node of another module, as before
        return found

    def _generate(self, node: cst.CSTNode) -> None:
        index = self._statement_index(node)
        if index is None or index in self._done:
            if not self._whole:
                self._whole = True
                self._provider._computed.clear()
                self._provider._gen_impl(self._module)
            return
        self._done.add(index)
        line, column = self._start(index)
        state = PositionProvidingCodegenState(
            default_indent=self._module.default_indent,
            default_newline=self._module.default_newline,
            provider=self._provider,
            line=line,
            column=column,
        )
        self._module.body[index]._codegen(state)

    def _statement_index(self, node: cst.CSTNode) -> int | None:
        """The index of the body statement ``node`` is in, or None outside the body."""
        if self._whole:
            return None
        if self._index is None:
            self._index = {id(statement): index for index, statement in enumerate(self._module.body)}
        while node is not None:
            index = self._index.get(id(node))
            if index is not None and self._module.body[index] is node:
                return index
            node = self._parent(node)
        return None

    def _start(self, index: int) -> tuple[int, int]:
        """Where body[index] starts: the header and the statements before it, counted token by token
        as the codegen state counts them."""
        if not self._starts:
            self._starts.append(_advance((1, 0), self._module, self._module.header))
        while len(self._starts) <= index:
            done = len(self._starts) - 1
            self._starts.append(_advance(self._starts[done], self._module, (self._module.body[done],)))
        return self._starts[index]


def _advance(start: tuple[int, int], module: cst.Module, nodes) -> tuple[int, int]:
    """The line and column after ``nodes``' code, from ``start``: ``_update_position`` of every token."""
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    for node in nodes:
        node._codegen(state)
    line, column = start
    for token in state.tokens:
        segments = NEWLINE_RE.split(token)
        if len(segments) == 1:
            column += len(token)
        else:
            line += len(segments) - 1
            column = len(segments[-1])
    return line, column
