"""Writing a helper block as the function Functional code calls: ``def residual_block(x, filters): ...``.

The keras.io examples' form: the block's tensor parameters first, then its
other parameters, its body as Functional code and ``return`` of what it
returns.  A style that keeps a model's layers flat (the Functional API and the
class whose ``__init__`` builds a Functional graph) calls it; a subclass writes
the same block as a ``keras.layers.Layer`` (``emit/subclass/block.py``).
"""

from __future__ import annotations

from dataclasses import replace

from ..ir.model_parts import Block
from ..ir.nodes import Call, Op
from .builder import signature
from .context import EmitContext
from .functional import block_lines


def helper_function(block: Block, ctx: EmitContext) -> str:
    graph = block.graph
    last = graph.body[-1]
    if isinstance(last, (Call, Op)) and last.name is None and graph.outputs.values == (last.out,):
        # ``x = ...`` then ``return x``, as the keras.io examples end a block, not ``outputs``.
        graph = replace(graph, body=(*graph.body[:-1], replace(last, name="x")))
    tensors = [node.name or "x" for node in graph.inputs_in_order()]
    reserved = frozenset({block.name, *tensors, *(param.name for param in graph.params)}) | ctx.reserved
    header = f"def {block.name}({', '.join(tensors)}, {signature(graph.params)}):"
    body = block_lines(graph, ctx, reserved)
    return "\n".join([header, *("    " + line for line in body)]) + "\n"
