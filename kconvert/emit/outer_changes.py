"""A class runs the model's code each time it is made: code that changes a module's value in place.

Module-level code, or a builder called once, runs ``STAGES.pop(0)`` once.  A class runs it in
its ``__init__`` each time it is made, and Keras makes a model class again to load or clone the
model (``Model.from_config``), so the second model is built from what the first left: another
architecture, and a saved model that does not load.  A block Layer class works on its own copy of
a parameter it changes (emit/serializable.py ``stored_whole``); anything else is refused.
"""

from __future__ import annotations

from ..ir.graph import Graph, walk
from ..ir.nodes import Op, Stmt
from ..ir.reads import changed_in_place, statement_binds_anywhere
from .context import EmitContext, EmitRefusal


def refuse_outer_changes(graph: Graph, ctx: EmitContext, style: str, blocks: bool = False) -> None:
    """Refuse a statement of the model's code, or of a helper it runs (but, with ``blocks``, one
    that becomes a Layer class), that changes a module-level name in place."""
    statements = [node for node in _run(graph.body, blocks) if isinstance(node, Stmt)]
    # The layers the model names are its own too: ``encoder = Sequential()`` among its lines, then
    # ``encoder.add(...)``, grows a layer the class makes, unless the file's later code reads it.
    named = {layer.name for layer in graph.layers if layer.binding == "named" and layer.name} - ctx.kept
    own = {param.name for param in graph.params}.union(
        named, *(statement_binds_anywhere(node.code, in_place=False) for node in statements)
    )
    for node in statements:
        outer = sorted(changed_in_place(node.code) & ctx.module_names - own)
        if outer:
            raise EmitRefusal(
                node.loc,
                f"this changes `{outer[0]}`, a value of the module, in place: as a {style}, the model's class runs it each"
                " time it is made, and Keras makes it again to load or clone the model",
                f"work on a copy (`{outer[0]}.copy()`), or keep this model Functional",
            )


def _run(body, blocks: bool):
    """The nodes of ``body`` and of the helpers its calls run, at any depth."""
    for node in walk(body):
        yield node
        if isinstance(node, Op) and node.helper is not None and not (blocks and node.helper.block is not None):
            yield from _run(node.helper.body, blocks)
