"""A loop's pass that makes several layers, as a block of its own called once per pass.

An expert who writes ``for block in range(2): y = conv(x); ...; x = add([x, y])`` as a
class does not keep a list per layer of the pass: the pass is one ``Layer`` (a block,
as a helper function is), made once per pass with the values the pass reads that
change from one pass to the next (the loop's variables, what the loop's statements
compute, the builder's parameters), and the model keeps one list of them.  Here the
pass becomes a ``Block`` whose graph is the pass's nodes, and the loop's body a
call of it: a helper call of a function the source never wrote, so every emitter
and the safety check (which writes blocks out) treat it as any helper block.

Only a pass that carries one tensor (other variables that hold that same tensor, twins,
read as it: ir/loop_twins.py), reads no other tensor from outside it, makes
its own layers and makes several (``Dense`` then ``Dropout`` is a block already: parallel
lists zipped in call() are what a reader untangles) is lifted; the statements at its top
(``strides = 2 if ... else 1``) stay in the loop, where they compute the block's arguments.
A loop in a helper block's body is lifted too, its block made beside the helper's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, NamedTuple

from .block_names import PassNames, target_names
from .control import Cond, Loop
from .dataflow import consumed
from .graph import Graph, walk
from .loop_twins import renamed, renamed_code, renamed_layers, twins as twins_of
from .model_parts import Block, Param
from .nodes import Call, Define, Helper, Input, Node, Op, Stmt
from .pass_contents import made_inside, pass_layers, per_pass, values_of
from .reads import is_import, names_read, statement_binds, statement_binds_anywhere
from .source_text import Arg, Code, placeholder, ref

def loops_as_blocks(graph: Graph, can_be_class: Callable[[Graph, tuple[Block, ...]], bool], owner: str) -> Graph:
    """``graph`` with each loop pass that makes several layers, in its body or in one of its
    blocks', a call of a new block; a block that ``can_be_class`` refuses (given the blocks
    made so far) is not made (the loop stays as it was).  ``owner`` is the model's name in
    snake case (empty for a model nothing names), which names a pass that neither its loop nor
    what it does names (ir/block_names.py)."""
    blocks: list[Block] = []
    taken = {block.name for block in graph.blocks}

    def lift(inner: Graph, can: Callable[[Graph], bool], owner: str) -> _Lifted:
        names = PassNames(owner, taken)
        lifted = _lifted(inner, can, names)
        if names.retry:
            # Its passes numbered after the model are named by what each does instead.
            names = PassNames(owner, taken, by_what_they_do=True)
            lifted = _lifted(inner, can, names)
        taken.update(names.made)
        return lifted

    for block in graph.blocks:
        lifted = lift(block.graph, lambda inner: can_be_class(inner, (*blocks, *graph.blocks)), block.name)
        # A block's own loop blocks come before it: its class makes theirs.
        blocks += [*lifted.blocks, replace(block, graph=lifted.graph) if lifted.blocks else block]
    lifted = lift(graph, lambda inner: can_be_class(inner, tuple(blocks)), owner)
    if len(blocks) == len(graph.blocks) and not lifted.blocks:
        return graph
    return replace(lifted.graph, blocks=(*blocks, *lifted.blocks))


class _Lifted(NamedTuple):
    # The graph with its passes calls of the blocks, which are not among its own blocks.
    graph: Graph
    blocks: tuple[Block, ...]


def _lifted(graph: Graph, can_be_class: Callable[[Graph], bool], names: PassNames) -> _Lifted:
    """``graph`` with each of its own loop passes of several layers a call of a new block, and
    those blocks, named by ``names``."""
    made: list[Block] = []
    values = {value for node in graph.walk() for value in values_of(node)}
    # The names the model's own code binds: a block class cannot read them, they are its parameters.
    bound = {param.name for param in graph.params}
    bound |= {name for node in graph.walk() if isinstance(node, Stmt) for name in statement_binds_anywhere(node.code)}
    # Any loop's variable: one the pass reads after that loop is the model's local too.
    bound |= {name for node in graph.walk() if isinstance(node, Loop) for name in target_names(node.target)}
    modules = {name for node in graph.walk() if isinstance(node, Stmt) and is_import(node.code) for name in statement_binds(node.code)}
    # A value changed in place (``scales.append(...)``) is not the pass's own: a block keeps the object,
    # and call() would read it as the last pass left it.
    mutated = {
        name
        for node in graph.walk()
        if isinstance(node, Stmt)
        for name in statement_binds_anywhere(node.code) - statement_binds_anywhere(node.code, in_place=False)
    }
    remarks = list(graph.remarks)
    # A lifted loop's twins after it (``previous_block_activation``) → its output, read by what follows.
    after: dict[str, str] = {}
    aliases = list(graph.aliases)

    def body_of(body: tuple[Node, ...], loops: tuple[Loop, ...]) -> tuple[Node, ...]:
        # A node nothing changed inside stays the graph's own object: a pass is told from the
        # rest of the graph by identity (``_liftable``).
        out = []
        for node in body:
            (node,) = renamed((node,), after)
            if isinstance(node, Loop):
                inner = body_of(node.body, loops + (node,))
                node = node if _same(inner, node.body) else replace(node, body=inner)
                # What the body leaves may be a twin of a loop lifted in it.
                (node,) = renamed((node,), after)
                node = lifted(node, loops + (node,)) or node
            elif isinstance(node, Cond):
                inner, other = body_of(node.body, loops), body_of(node.orelse, loops)
                if not (_same(inner, node.body) and _same(other, node.orelse)):
                    node = replace(node, body=inner, orelse=other)
                (node,) = renamed((node,), after)
            out.append(node)
        return tuple(out)

    def lifted(loop: Loop, loops: tuple[Loop, ...]) -> Loop | None:
        """The loop with its pass one call of a new block, or None when the pass cannot be one."""
        count = next((i for i, node in enumerate(loop.body) if not isinstance(node, Stmt)), len(loop.body))
        statements, rest = loop.body[:count], loop.body[count:]
        twins = twins_of(loop)
        if twins is None:
            return None
        if not _liftable(graph, replace(loop, carried=loop.carried[:1]), statements, renamed(rest, twins.params), rest):
            return None
        loop, rest = replace(loop, carried=loop.carried[:1]), renamed(rest, twins.params)
        carried = loop.carried[0]
        layer_ids = pass_layers(rest)
        inner = Graph(layers=tuple(layer for layer in graph.layers if layer.id in layer_ids), body=rest, inputs=Code(""), outputs=Code(""))
        # What the pass's own code reads: a helper block's body reads its parameters, given here.
        # Not a shape hint its layers ignore, called on the pass's tensor (``input_shape=(n, 1)``
        # on each of a Sequential's looped Conv1D): the block writes none, nor takes ``n``.
        direct = {node.layer for node in walk(rest) if isinstance(node, (Call, Define))}
        written = tuple(graph.as_written(layer) for layer in inner.layers if layer.id in direct)
        reads = names_read(replace(inner, layers=written))
        if reads & modules:
            # A module the model's code imports is no value a block could be made with.
            return None
        params = [name for name in _ordered(loops, statements, graph) if name in bound and name in reads]
        if set(params) & mutated:
            return None
        lines = {node.loc.line for node in walk(rest)} | {graph.layer(layer_id).loc.line for layer_id in layer_ids}
        own = tuple(remark for remark in remarks if remark.line in lines)
        copies = _copy_remarks(graph, loop, remarks, {twin.name for twin in twins.named if twin.name})
        name = names(loop.target, loop.iterable.text, inner.layers)
        block_graph = Graph(
            layers=inner.layers,
            body=(Input(carried.param, (), rest[0].loc, carried.name), *rest),
            inputs=ref(carried.param),
            outputs=ref(carried.result),
            loc=rest[0].loc,
            params=tuple(Param(param) for param in params),
            # Above the copy the class's call() opens with, which stands for the source's copies.
            remarks=tuple(replace(remark, line=rest[0].loc.line, beside=False) for remark in copies) + own,
            # A twin's name for the pass's tensor (``previous_block_activation``) is kept for it.
            aliases=tuple(alias for alias in graph.aliases if alias[0] in made_inside(rest) | {carried.param})
            + tuple((carried.param, twin.name) for twin in twins.named if twin.name),
        )
        if not can_be_class(block_graph):
            return None
        names.keep()
        after.update(twins.outs)
        # The source's name for the twin stays the output's other name, for a copy if ``x`` moves on.
        aliases.extend((carried.out, twin.name) for twin in twins.named if twin.name)
        for remark in (*copies, *own):
            remarks.remove(remark)
        made.append(Block(name, block_graph, rest[0].loc))
        # The block's result stands for the pass's, under a name of its own (each value is made once).
        out = f"{carried.result}_{name}"
        while out in values:
            out += "_"
        values.add(out)
        args = tuple(Arg(Code(param)) for param in params)
        expr = Code(f"{name}({', '.join([placeholder(carried.param), *params])})", ref(carried.param).refs)
        helper = Helper(name, rest, (carried.result,), block=name, args=args, inputs=(carried.param,))
        call = Op(out, expr, rest[0].loc, carried.name, helper=helper)
        return replace(loop, body=(*statements, call), carried=(replace(carried, result=out),))

    body = body_of(graph.body, ())
    if not made:
        return _Lifted(graph, ())
    outputs, layers = renamed_code(graph.outputs, after), renamed_layers(graph.layers, after)
    lifted_graph = replace(graph, body=body, layers=layers, outputs=outputs, remarks=tuple(remarks), aliases=tuple(aliases))
    return _Lifted(lifted_graph, tuple(made))


def _copy_remarks(graph: Graph, loop: Loop, remarks: list, names: set[str]) -> tuple:
    """The comments beside the copies of a pass's tensor the loop's block makes (``previous_block_
    activation = x  # Set aside residual``): the copy above the loop (its comment recorded on the
    loop's line) and the one ending its body (recorded on the first line after the loop)."""
    inside = [node.loc.line for node in walk(loop.body)]
    later = [line for line in graph.code_lines() if line > max(inside, default=loop.loc.line)]
    ends = {loop.loc.line, min(later)} if later else {loop.loc.line}
    return tuple(remark for remark in remarks if remark.copy in names and remark.line in ends)


def _same(nodes: tuple[Node, ...], others: tuple[Node, ...]) -> bool:
    return len(nodes) == len(others) and all(node is other for node, other in zip(nodes, others))


def _liftable(
    graph: Graph, loop: Loop, statements: tuple[Node, ...], rest: tuple[Node, ...], source: tuple[Node, ...]
) -> bool:
    """A pass of one carried tensor, reading no tensor but it, making its own layers (several), with
    no statement, loop or list change among them (they would no longer bind the loop's names).
    ``rest`` is the pass as the block would hold it, ``source`` the same nodes in ``graph``."""
    if len(loop.carried) != 1 or loop.items or not rest or any(node.refs for node in statements):
        return False
    for node in walk(rest):
        if isinstance(node, (Stmt, Loop)) or (isinstance(node, Op) and node.changes is not None):
            return False
        if isinstance(node, Op) and node.helper is not None and node.helper.block is None:
            return False
    inside = made_inside(rest) | {loop.carried[0].param}
    if loop.carried[0].result not in made_inside(rest):
        return False
    if any(value not in inside for node in walk(rest) for value in consumed(node)):
        return False
    outside = [node for node in graph.walk() if not any(node is own for own in walk(source))]
    if any(value in made_inside(rest) for node in outside for value in consumed(node)):
        return False
    layer_ids = pass_layers(rest)
    for layer_id in layer_ids:
        layer = graph.layer(layer_id)
        if layer.binding == "external" or layer.reads_tensors:
            return False
        if any(isinstance(node, (Call, Define)) and node.layer == layer_id for node in outside):
            return False
    return per_pass(rest, set()) > 1


def _ordered(loops: tuple[Loop, ...], statements: tuple[Node, ...], graph: Graph) -> list[str]:
    """Candidate parameters, what changes from pass to pass first (``MLPBlock(units, dropout_rate)``,
    as ``Dense(units, ...)``): the loops' variables from the outside in, what the pass's
    statements compute, then the builder's parameters and what the model's other statements
    and loops bind."""
    names = [name for loop in loops for name in target_names(loop.target)]
    names += [name for node in statements for name in sorted(statement_binds_anywhere(node.code))]
    names += [param.name for param in graph.params if not param.star]
    names += [name for node in graph.walk() if isinstance(node, Stmt) for name in sorted(statement_binds_anywhere(node.code))]
    names += [name for node in graph.walk() if isinstance(node, Loop) for name in target_names(node.target)]
    return list(dict.fromkeys(names))
