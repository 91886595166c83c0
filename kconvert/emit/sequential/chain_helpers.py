"""A call of one of the file's helpers in a Sequential chain: the layers it makes for that
call stand in the list where it is called, when its body is one chain itself.

A mixin of ``Chain``: it reads and sets the walk's ``current``, ``entries`` and
``in_helper``, and walks the helper's body with ``nodes``.
"""

from __future__ import annotations

from ...ir.graph import walk
from ...ir.nodes import Op, Stmt
from ..context import EmitRefusal
from .chain_refusals import CHAIN_HINT, helper_refusal


class ChainHelpers:
    """Lists the layers of a helper's call for ``Chain``."""

    def helper(self, node: Op) -> None:
        """``x = conv_unit(x, 8)``: the helper's layers, made for this call, stand in the list
        where it is called, as the Functional model holds them (issue #10: a block is inlined for
        Sequential where a chain allows).  Its body was lifted with the call's arguments in place of
        its parameters and its constant ``if`` tests decided, so it reads no name of the helper's."""
        helper = node.helper
        assert helper is not None
        if helper.problem is not None or not helper.body or node.more or len(helper.results) != 1:
            raise EmitRefusal(node.loc, *helper_refusal(helper.name, "builds layers and wires them"))
        statements = [inner for inner in walk(helper.body) if isinstance(inner, Stmt) and not inner.refs]
        if statements:
            # A local of the helper's would become a name of the model's code, where it may
            # stand for something else.
            raise EmitRefusal(
                node.loc,
                *helper_refusal(helper.name, f"computes values between its layers (line {statements[0].loc.line})"),
            )
        if node.expr.values != (self.current,):
            names = ", ".join(f"`{self.source_names.get(value, 'tensor')}`" for value in node.expr.values)
            raise EmitRefusal(
                node.loc,
                f"`{helper.name}(...)` is called on {names or 'no tensor'} instead of the previous layer's output"
                " alone, so the graph branches or skips a layer",
                CHAIN_HINT,
            )
        first, outer, self.in_helper = len(self.entries), self.in_helper, True
        try:
            self.nodes(helper.body)
        except EmitRefusal as refusal:
            if outer:
                raise
            # Said at the model's line, which the user converts, with the helper's line that breaks it.
            found = refusal.diagnostic
            raise EmitRefusal(
                node.loc,
                f"`{helper.name}(...)` builds layers that are not one chain (line {found.line}: {found.message})",
                "keep the Functional API, or convert it to a subclass",
            ) from None
        finally:
            self.in_helper = outer
        if self.current != helper.results[0]:
            raise EmitRefusal(node.loc, *helper_refusal(helper.name, "returns a tensor other than its last layer's output"))
        if len(self.entries) > first:
            # The comments of the call's line go with the first layer written for it.
            kind, code, locs = self.entries[first]
            self.entries[first] = (kind, code, (node.loc, *locs))
        self.current = node.out
