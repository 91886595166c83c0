"""A loop or ``if`` in a Sequential chain: written as the same block of ``.add()`` calls,
each branch or pass carrying the previous layer's output on (an ``elif`` kept as one).

A mixin of ``Chain``: it reads and sets the walk's ``current``, ``entries``, ``in_chain`` and
``in_block``, and walks a branch's body with ``nodes``.
"""

from __future__ import annotations

from dataclasses import replace

from ...ir.control import Carried, Cond, Loop
from ...ir.dataflow import has_else
from ...ir.nodes import Node
from ...ir.source_text import Loc
from ..context import EmitRefusal
from .chain_refusals import CHAIN_HINT


class ChainBlocks:
    def carry(self, node: Loop | Cond, header: str) -> None:
        """A loop or ``if`` of ``.add()`` calls: exact, since each adds layers to one chain."""
        carried = self._one_carried(node)
        if carried.init is None and self.current in (carried.result, carried.other):
            raise EmitRefusal(
                node.loc,
                f"this `if` makes `{carried.name}` in each branch, one of them without a layer;"
                " a Sequential model adds layers in each branch of an `if`",
                CHAIN_HINT,
            )
        if carried.init is None:
            # ``if compact: x = Dense(8)(inputs) else: x = Dense(32)(inputs)``: each branch makes
            # the tensor; when both go on from the chain's output (``call`` checks), they are adds.
            carried = replace(carried, init=self.current, param=self.current)
        if self.current != carried.init:
            raise EmitRefusal(node.loc, "the block does not continue from the previous layer's output", CHAIN_HINT)
        self._branch(header, node.body, carried.param, carried.result, node.loc)
        if isinstance(node, Cond) and has_else(node):
            self._orelse(node.orelse, carried, node.loc)
        self.current = carried.out

    def _orelse(self, orelse: tuple[Node, ...], carried: Carried, loc: Loc) -> None:
        """The ``else:`` of an ``if`` of ``.add()`` calls, or its ``elif`` when the branch is one more
        ``if`` that carries the same chain on."""
        inner = orelse[0] if len(orelse) == 1 and isinstance(orelse[0], Cond) else None
        if inner is not None and not inner.test.refs and len(inner.carried) == 1:
            (chained,) = inner.carried
            if chained.init == carried.param and chained.out == carried.other:
                self._branch(f"elif {inner.test.text}:", inner.body, chained.param, chained.result, inner.loc)
                if inner.orelse:
                    self._orelse(inner.orelse, chained, inner.loc)
                return
        self._branch("else:", orelse, carried.param, carried.other, loc)

    def _one_carried(self, node: Loop | Cond) -> Carried:
        if len(node.carried) > 1:
            names = ", ".join(f"`{carried.name}`" for carried in node.carried)
            raise EmitRefusal(
                node.loc,
                f"this block carries {len(node.carried)} tensors ({names}) from one pass to the next;"
                " a Sequential model is one chain of layers",
                CHAIN_HINT,
            )
        return node.carried[0]

    def _branch(self, header: str, body: tuple[Node, ...], start: str, end: str | None, loc: Loc) -> None:
        self.entries.append(("loop", header, (loc,) if header != "else:" else ()))
        self.in_chain = True
        self.current = start
        outer, self.in_block = self.in_block, True
        self.nodes(body)
        self.in_block = outer
        if self.current != end:
            raise EmitRefusal(
                loc,
                "the block does not carry the previous layer's output on: a branch or pass leaves the chain",
                CHAIN_HINT,
            )
        self.entries.append(("end", "", ()))
