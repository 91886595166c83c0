"""The layer-graph IR: frozen dataclasses, no libcst, no TensorFlow.

A model is a ``Graph``: a program of ``Node``s that mirrors how the model is
built, in the order it is built.  A layer *definition* (``LayerDef``) is kept
apart from a layer *call* (``Call``), as Keras' own ``ops/node.py`` does, so a
layer called twice is simply two calls of one definition.

Expressions are never evaluated: every argument is a ``Code`` — the source text
as written — plus the tensors it reads, so ``Dense(num_classes)`` stays
``Dense(num_classes)`` in every style.  A ``Code`` names a tensor by a
placeholder identifier listed in ``refs``; emitters replace the placeholder
with whatever name they give that tensor.

Values (tensors, and Python lists of tensors such as a U-Net's ``skips``) are
identified by ``ValueId`` strings that are unique in one graph; a statement that
changes a list in place makes a new value of it (``Op.changes``).  Loops are kept as loops: a ``Loop`` carries tensors (``Carried``)
through a body that runs once per item of its iterable; a ``Cond`` carries them
through a body that runs only when a builder parameter (or a tensor's shape)
says so.  A model that a builder function (or a subclass constructor) makes
from arguments lists them as ``Param``s, so every configuration survives a
conversion, not only one.

This module holds the ``Graph`` and its walks; the nodes are in nodes.py and
control.py, the source text they keep in source_text.py.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from .control import Cond, Loop
from .model_parts import Block, Method, Param, Remark, Setup
from .nodes import Call, Carrier, Input, LayerDef, Node
from .source_text import Arg, Code, LayerId, Loc, ValueId


@dataclass(frozen=True)
class Graph:
    """One model.

    ``inputs`` and ``outputs`` are structures as the source wrote them
    (``inputs``, ``[a, b]``, ``{"image": img}``), with refs to ``Input`` values
    and to produced values respectively.  ``name`` is the ``name=`` argument
    of the model, ``extra`` any other keyword arguments of the model
    constructor, passed through unchanged.  ``params`` are the parameters of
    the builder function or subclass constructor that the model is made by,
    in signature order; the model's code reads them by name.  ``methods`` are
    the subclass methods only a subclass can keep, ``setup`` the statements a graph-building
    class runs on the model once it is made.  ``base`` names the file's
    own model class the model is made from (``CustomModel(inputs, outputs)``
    whose class only overrides ``train_step``), None for ``keras.Model``.
    ``remarks`` are the comments inside the model's code, ``doc`` the docstring
    of the class or builder function that makes it, as written (quotes included), ``init_doc``
    and ``call_doc`` those of a model class's ``__init__`` and ``call``.
    ``blocks`` are the definitions of the helper blocks the body calls.
    ``aliases`` are the other names the source gave a tensor (``res = x``), in order: an
    emitter that must keep the tensor while its first name takes another writes the same copy.
    ``returns`` is the line of the ``return`` that gives a ``call()``'s or a helper's outputs
    (None where the model's own line does): what is said above it is said of the outputs, and
    goes above the line each style gives them with.
    """

    layers: tuple[LayerDef, ...]
    body: tuple[Node, ...]
    inputs: Code
    outputs: Code
    name: Code | None = None
    extra: tuple[Arg, ...] = ()
    loc: Loc = field(default_factory=lambda: Loc(1, 1))
    params: tuple[Param, ...] = ()
    methods: tuple[Method, ...] = ()
    setup: tuple[Setup, ...] = ()
    # Keras names the graph's own code spells that the file may have to import (``ops``).
    symbols: frozenset[str] = frozenset()
    base: Code | None = None
    remarks: tuple[Remark, ...] = ()
    doc: str | None = None
    init_doc: str | None = None
    call_doc: str | None = None
    blocks: tuple[Block, ...] = ()
    # Module-level functions the model's code calls that kconvert wrote for it: a plain class's
    # layer-building methods, for a class that builds a graph (parse/method_functions.py).
    functions: tuple[str, ...] = ()
    aliases: tuple[tuple[ValueId, str], ...] = ()
    returns: Loc | None = None
    # Layer calls of graph code whose results no output reaches (``d2 = Dense(50)(d1)``), by the
    # name of their result and their place: a graph leaves their layers out, a class would not.
    unused: tuple[tuple[str, Loc], ...] = ()

    def has_docs(self) -> bool:
        """Whether a docstring of the model's class, builder, ``__init__`` or ``call`` says something."""
        return any(doc is not None for doc in (self.doc, self.init_doc, self.call_doc))

    def layer(self, layer_id: LayerId) -> LayerDef:
        return self._layers_by_id[layer_id]

    @functools.cached_property
    def _layers_by_id(self) -> dict[LayerId, LayerDef]:
        # Looked up once per call node: a scan each time made long chains quadratic.
        found: dict[LayerId, LayerDef] = {}
        for layer in self.layers:
            found.setdefault(layer.id, layer)
        return found

    def walk(self) -> Iterator[Node]:
        """Every node, loop bodies included, in program order."""
        yield from walk(self.body)

    def code_lines(self) -> set[int]:
        """The source lines the graph has code for, where a remark may stand: each node's, each
        layer definition's, the model's own, its ``return``'s and where a class stores a parameter."""
        lines = {node.loc.line for node in self.walk()} | {layer.loc.line for layer in self.layers} | {self.loc.line}
        lines |= {param.loc.line for param in self.params if param.loc is not None}
        lines |= copy_lines(self.walk())
        return lines | ({self.returns.line} if self.returns is not None else set())

    def helper_lines(self) -> set[int]:
        """The source lines of the helpers' bodies the graph's calls carry (``Helper.body``), and
        of those they call: a style that writes a helper's layers out says there what they said."""
        nodes = list(helper_nodes(self.body))
        return {node.loc.line for node in nodes} | copy_lines(nodes)

    def block(self, name: str) -> Block:
        for block in self.blocks:
            if block.name == name:
                return block
        raise KeyError(name)

    def inputs_in_order(self) -> tuple[Input, ...]:
        """The inputs in the order the model takes them (``keras.Model([low, high], ...)``), which
        callers pass their data in, not the order they were made in; any the model does not list
        after them, as made."""
        made = [node for node in self.walk() if isinstance(node, Input)]
        placeholders = dict(self.inputs.refs)
        listed = [placeholders[name] for name in re.findall(r"\b\w+\b", self.inputs.text) if name in placeholders]
        rank = {value: index for index, value in reversed(list(enumerate(listed)))}
        return tuple(sorted(made, key=lambda node: rank.get(node.out, len(listed))))

    def drawn_layers(self, loop: Loop) -> tuple[LayerId, ...]:
        """The layer objects the loop takes from its iterable and calls by its own variable
        (``down`` in ``for down in down_stack: x = down(x)``): made before the loop, each pass
        calls another of them."""
        variables = set(re.findall(r"[A-Za-z_]\w*", loop.target))
        found = [
            node.layer
            for node in walk(loop.body)
            if isinstance(node, Call)
            and self.layer(node.layer).binding == "external"
            and self.layer(node.layer).reference is not None
            and self.layer(node.layer).reference.text in variables
        ]
        return tuple(dict.fromkeys(found))

    def calls_of(self, layer_id: LayerId) -> tuple[Call, ...]:
        return tuple(
            node for node in self.walk() if isinstance(node, Call) and node.layer == layer_id
        )

    def as_written(self, layer: LayerDef) -> LayerDef:
        """``layer`` with the arguments an emitter writes: without a shape hint it ignores when the
        graph calls it on a tensor (``input_shape=(n, 1)`` on each layer a loop adds)."""
        return replace(layer, args=layer.kept_args(called=bool(self.calls_of(layer.id))))


def copy_lines(nodes: Iterable[Node]) -> set[int]:
    """The source lines of the copies the ``Cond``s among ``nodes`` end their branches on."""
    return {line for node in nodes if isinstance(node, Cond) for carried in node.carried for line in (*carried.result_copies, *carried.other_copies)}


def helper_nodes(body: tuple[Node, ...]) -> Iterator[Node]:
    """Every node of the helpers ``body`` calls, at any depth of helpers calling helpers."""
    for node in walk(body):
        helper = getattr(node, "helper", None)
        if helper is not None:
            for inner in walk(helper.body):
                yield inner
            yield from helper_nodes(helper.body)


def walk(body: tuple[Node, ...]) -> Iterator[Node]:
    for node in body:
        yield node
        for branch in branches(node):
            yield from walk(branch)


def branches(node: Node) -> tuple[tuple[Node, ...], ...]:
    """The nested bodies of a node: a loop's body, an ``if``'s body and its ``else``."""
    if isinstance(node, Cond) and node.orelse:
        return (node.body, node.orelse)
    if isinstance(node, Carrier):
        return (node.body,)
    return ()
