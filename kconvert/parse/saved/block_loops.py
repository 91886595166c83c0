"""Calls of one block that chain, as one loop over their arguments.

``x = block(x, filters=64, prefix="conv2_block2_")`` then the same with
``"conv2_block3_"``, the second reading only the first's result, is
``for prefix in ["conv2_block2_", "conv2_block3_"]: x = block(x, filters=64, prefix=prefix)``:
the arguments that differ between the calls are the loop's variables, those that
do not stay literal.  Calls that differ in nothing loop over ``range(n)``.
"""

from __future__ import annotations

from collections import Counter

from ...ir.control import Carried, Loop
from ...ir.dataflow import consumed
from ...ir.model_parts import Block
from ...ir.nodes import Helper, Node, Op
from ...ir.source_text import Arg, Code, placeholder
from .layers import NOWHERE


def chained_into_loops(body: list[Node], outputs: Code, blocks: dict[str, Block]) -> list[Node]:
    reads = Counter(value for node in body for value in consumed(node)) + Counter(outputs.values)
    found: list[Node] = []
    run: list[Op] = []
    for node in body:
        if run and _continues(run[-1], node, reads):
            run.append(node)
            continue
        found += _loop(run, blocks)
        run = [node] if _block_call(node) else []
        if not run:
            found.append(node)
    return found + _loop(run, blocks)


def _block_call(node: Node) -> bool:
    return isinstance(node, Op) and node.helper is not None and node.helper.block is not None


def _continues(last: Op, node: Node, reads: Counter) -> bool:
    """``node`` calls ``last``'s block on ``last``'s result, which nothing else reads."""
    return (
        _block_call(node)
        and node.helper.block == last.helper.block
        and node.helper.inputs == (last.out,)
        and reads[last.out] == 1
    )


def _loop(run: list[Op], blocks: dict[str, Block]) -> list[Node]:
    if len(run) < 2:
        return list(run)
    first = run[0]
    name = first.helper.block
    params = [param.name for param in blocks[name].graph.params]
    texts = [[arg.value.text for arg in op.helper.args] for op in run]
    varying = [index for index in range(len(params)) if len({row[index] for row in texts}) > 1]
    if not varying:
        target, iterable = "_", f"range({len(run)})"
    elif len(varying) == 1:
        target, iterable = params[varying[0]], "[" + ", ".join(row[varying[0]] for row in texts) + "]"
    else:
        target = ", ".join(params[index] for index in varying)
        iterable = "[" + ", ".join("(" + ", ".join(row[index] for index in varying) + ")" for row in texts) + "]"
    # Fresh values for the tensor entering and leaving each pass (identifiers, as placeholders need).
    entering, leaving = f"{first.out}_in", f"{first.out}_next"
    args = tuple(
        Arg(Code(params[index]) if index in varying else arg.value, arg.keyword)
        for index, arg in enumerate(first.helper.args)
    )
    tensor = placeholder(entering)
    text = ", ".join([tensor] + [f"{arg.keyword}={arg.value.text}" for arg in args])
    helper = Helper(name, (), (leaving,), block=name, args=args, inputs=(entering,))
    op = Op(leaving, Code(f"{name}({text})", ((tensor, entering),)), NOWHERE, helper=helper)
    carried = Carried(first.helper.inputs[0], entering, leaving, run[-1].out, "x")
    return [Loop(target, Code(iterable), (carried,), (op,), NOWHERE)]
