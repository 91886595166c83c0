"""What only a model's ``Input`` reads: names and parameters the line that builds a subclass takes.

A subclass makes no ``Input``; the line that builds its instance does.  A name or a builder's
parameter read only by the ``Input`` arguments (``img_shape``, ``input_shape``) belongs there,
not in the class.
"""

from __future__ import annotations

from dataclasses import replace

from .build_slice import input_reads
from .graph import Graph
from .nodes import Input, Stmt
from .reads import graph_codes, identifiers_of, statement_binds, statement_binds_anywhere, statement_names


def read_only_by_inputs(graph: Graph) -> frozenset[str]:
    """Names the model's own statements bind that only its ``Input`` arguments read, or such
    statements after them (``img_shape = (64, 64, 3)`` then ``keras.Input(shape=img_shape)``; ``X, y
    = train[:, :-1], train[:, -1]`` and ``X = X.reshape(...)`` then ``batch_shape=(n, X.shape[1])``),
    whose statements read no name another statement of the model binds.  A class makes no ``Input``:
    the line that builds its instance reads them, so their statements go there, not into ``__init__``."""
    shapes = input_reads(graph)
    if not shapes:
        return frozenset()
    statements = [node for node in graph.walk() if isinstance(node, Stmt)]
    binds = {id(node): statement_binds_anywhere(node.code) for node in statements}
    reads = {id(node): statement_names(node.code) - binds[id(node)] for node in statements}
    params = {param.name for param in graph.params}
    # The largest set of the model's top-level statements that hold together: each binds a name the
    # Inputs or another of them read, and none the rest of the model's code reads.
    chosen = [node for node in graph.body if isinstance(node, Stmt) and statement_binds(node.code)]
    while True:
        elsewhere = _read_beside_inputs(graph, skipped=chosen) | params
        others = set().union(*(binds[id(node)] for node in statements if not any(node is kept for kept in chosen)))
        kept = [
            node
            for node in chosen
            if not binds[id(node)] & (elsewhere | others)
            and not reads[id(node)] & others
            and statement_binds(node.code) & shapes.union(*(reads[id(o)] for o in chosen if o is not node))
        ]
        if len(kept) == len(chosen):
            return frozenset().union(*(statement_binds(node.code) for node in chosen))
        chosen = kept


def params_read_only_by_inputs(graph: Graph) -> frozenset[str]:
    """The builder's parameters only the model's ``Input`` arguments read (``input_shape`` in
    ``keras.Input(shape=input_shape)``), or the statements that go with them to the build line
    (``n_features = x_train.shape[1]``, ``read_only_by_inputs``): a subclass is built on them by the
    line that makes its instance, inside that builder, and has no use for them itself."""
    shapes = input_reads(graph)
    if not shapes:
        return frozenset()
    moved = read_only_by_inputs(graph)
    statements = [node for node in graph.walk() if isinstance(node, Stmt)]
    built = [
        node
        for node in graph.body
        if isinstance(node, Stmt) and statement_binds(node.code) and statement_binds(node.code) <= moved
    ]
    shapes = shapes.union(*(statement_names(node.code) for node in built))
    # ``if img_size is None: img_size = 28`` gives the parameter another value for the Input: kept.
    bound = set().union(*(statement_binds_anywhere(node.code) for node in statements))
    beside = _read_beside_inputs(graph, skipped=built)
    return frozenset({param.name for param in graph.params if not param.star} & shapes - beside - bound)


def _read_beside_inputs(graph: Graph, skipped=()) -> set[str]:
    """What the model's code reads but for its ``Input`` arguments: layers, calls, statements (but
    for the names each binds itself, and those ``skipped``), the tests choosing an input, what a
    graph class did after building itself."""
    inputs = [node for node in graph.walk() if isinstance(node, Input)]
    given = {id(arg.value) for node in inputs for arg in node.args}
    elsewhere: set[str] = set()
    # Not a shape hint a layer called on a tensor ignores, which no class writes (``input_shape=
    # (n, 1)`` on every layer a Sequential's loop adds: the first one's is the model's Input).
    written = replace(graph, layers=tuple(map(graph.as_written, graph.layers)))
    for code in graph_codes(written):
        if id(code) not in given and code.text:
            elsewhere |= identifiers_of(code.text)
    for node in graph.walk():
        if isinstance(node, Stmt) and not any(node is other for other in skipped):
            elsewhere |= statement_names(node.code) - statement_binds_anywhere(node.code)
    for node in inputs:
        if node.choice is not None:
            elsewhere |= statement_names(node.choice)
    for setup in graph.setup:
        elsewhere |= statement_names(setup.code)
    return elsewhere
