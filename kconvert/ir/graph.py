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
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterator, Union

from .control import Cond, Loop
from .model_parts import Block, Method, Param, Remark, Setup

ValueId = str
LayerId = str

# Keyword arguments a layer called on a tensor ignores: only a Sequential's first layer reads
# them, and the parsers turn that into the model's Input.
SHAPE_HINTS = frozenset({"input_shape", "batch_input_shape"})


@dataclass(frozen=True)
class Loc:
    """Where a construct stands in the source file (1-based line, 1-based column)."""

    line: int
    col: int


@dataclass(frozen=True)
class Code:
    """A source expression kept as written.

    ``refs`` pairs each placeholder identifier that occurs in ``text`` with the
    tensor it stands for.  An expression that reads no tensor has no refs.
    """

    text: str
    refs: tuple[tuple[str, ValueId], ...] = ()

    @property
    def values(self) -> tuple[ValueId, ...]:
        return tuple(value for _, value in self.refs)


@dataclass(frozen=True)
class Arg:
    """One argument of a call: ``keyword=value``, positional, ``*value`` or ``**value``."""

    value: Code
    keyword: str | None = None
    star: str = ""


@dataclass(frozen=True)
class LayerDef:
    """A layer object: how it is made, and how the source bound it.

    ``binding`` is ``"inline"`` when the layer is made where it is called
    (``Dense(4)(x)`` or a Sequential list element), ``"named"`` when a
    statement of the model binds it to ``name`` before it is called, and
    ``"external"`` when it is made outside the model (another model, a module
    level layer) and only referenced, by ``reference``.  ``function`` is the
    functional-API helper the source made and called it with in one go
    (``layers.concatenate([a, b], axis=1)`` for ``layers.Concatenate(axis=1)``):
    graph code keeps that spelling, a subclass makes the layer once in ``__init__``.
    """

    id: LayerId
    type_name: str
    factory: Code | None
    args: tuple[Arg, ...]
    binding: str
    loc: Loc
    name: str | None = None
    reference: Code | None = None
    function: Code | None = None
    # Made by a function of the file that returns a function it defines (``_conv_bn_relu(filters=64)``
    # in Keras 2 ResNet builders): a callable that makes new layers at each call, not a layer object.
    closure: bool = False

    @property
    def reads_tensors(self) -> bool:
        """Whether making the layer reads a tensor (``Dense(x.shape[-1])``): it can only be
        made where that tensor exists, in the model's forward code."""
        return any(arg.value.refs for arg in self.args)

    def constructor(self, called: bool = False) -> str:
        """The expression that makes this layer, or refers to it when external.

        Only for a layer whose arguments read no tensor; the others are printed with
        their tensors named (``ir/code.py``).  ``called``: the layer is only ever
        called on tensors, so the shape hints it ignores then are left out.
        """
        if self.factory is None:
            assert self.reference is not None
            return self.reference.text
        assert not self.reads_tensors, f"{self.id} reads tensors: render it with names"
        args = tuple(arg for arg in self.args if not (called and arg.keyword in SHAPE_HINTS))
        return f"{self.factory.text}({render_args(args)})"


@dataclass(frozen=True)
class Input:
    """A model input, made as ``keras.Input(<args>)``.

    ``args`` is empty when the source gave no shape; emitters that need one
    refuse with a diagnostic suggesting ``--input-shape``.  ``factory`` is the
    callee as the source spelled it (``layers.Input``), None when the source
    had no ``Input`` call and the emitter picks the file's spelling.  ``choice`` is
    the ``if`` that binds ``name`` to this ``Input`` or to a tensor the caller gives
    (``if input_tensor is None: ... else: img_input = input_tensor``), as written
    (dedented), or the line that makes it with a helper of the file (``inputs =
    create_model_inputs()``, with no ``args``, and ``made_by`` that call): only graph code can
    keep it, since a class that is not a graph makes its own inputs.  ``args`` and ``factory``
    are then its ``Input(...)`` call's, and ``given`` the names of the tensor the caller may give
    (``input_tensor``).
    """

    out: ValueId
    args: tuple[Arg, ...]
    loc: Loc
    name: str | None = None
    factory: Code | None = None
    choice: str | None = None
    given: tuple[str, ...] = ()
    made_by: str | None = None


@dataclass(frozen=True)
class Define:
    """A statement that makes a named layer: ``name = <layer constructor>``."""

    layer: LayerId
    loc: Loc


@dataclass(frozen=True)
class Call:
    """A call of a layer on tensors: ``out = layer(<args>)``.

    A layer with several outputs unpacked at once (``seq, h, c = LSTM(...,
    return_state=True)(x)``) makes ``out`` (``seq``) and then the tensors of
    ``more``, each with the name the source gave it.
    """

    out: ValueId
    layer: LayerId
    args: tuple[Arg, ...]
    loc: Loc
    name: str | None = None
    more: tuple[tuple[ValueId, str], ...] = ()


@dataclass(frozen=True)
class Helper:
    """A call of one of the file's own functions that builds layers: ``residual_block(x, 64)``.

    ``body`` is the function's code lifted at this call, its parameters replaced
    by the call's arguments, and ``results`` the tensors it returns (standing
    for the ``Op``'s ``out`` and ``more``).  Functional code keeps the call; a
    subclass writes the body out so that its layers are made once, in
    ``__init__``.  ``problem`` (where, why, hint) says why the body could not
    be lifted.  ``block`` names the graph's ``Block`` this call is an instance
    of, made with ``args`` (the call's arguments that are not tensors, as
    written) and called on ``inputs`` (its tensors, in the order of the block's
    inputs), or is None when the function cannot stand as one.  ``packed`` is the
    node that packs several ``results`` into the list the function returns
    (``return [a, b]``, or ``outputs = [a, b]`` then ``return outputs``; ``ir/returned.py``),
    which a call bound to one name reads whole; None for ``return a, b``.
    """

    name: str
    body: tuple["Node", ...] = ()
    results: tuple[ValueId, ...] = ()
    problem: tuple[Loc, str, str] | None = None
    block: str | None = None
    args: tuple[Arg, ...] = ()
    inputs: tuple[ValueId, ...] = ()
    packed: "Op | None" = None


@dataclass(frozen=True)
class Op:
    """A tensor expression that is not a layer call.

    Operators (``a + b``), ``keras.ops`` functions, calls of the file's own helper
    functions and the merge functions no layer is made of (a bare ``concatenate([a, b])`` in a
    file that imports no name to spell ``Concatenate`` with; otherwise it is a ``Call`` of its
    ``LayerDef``, as ``layers.concatenate([a, b])`` is) all land here, kept as written.
    """

    out: ValueId
    expr: Code
    loc: Loc
    name: str | None = None
    # Further tensors unpacked from the expression, as for ``Call``.
    more: tuple[tuple[ValueId, str], ...] = ()
    helper: Helper | None = None
    # A list of tensors changed in place (``skips.append(x)``): the list before, which ``expr``
    # reads; ``out`` is the same list after, written under the same ``name`` with no assignment.
    changes: ValueId | None = None


@dataclass(frozen=True)
class Stmt:
    """A statement inside the model's code that touches no tensor (``units = 64``).

    It is carried along verbatim so that the names it binds stay bound.  One
    that reads tensors only through their static shapes (``assert x.shape ==
    (None, 7, 7, 256)``, the DCGAN tutorial's check between layers) names them
    by placeholders listed in ``refs``, as a ``Code`` does.
    """

    code: str
    loc: Loc
    refs: tuple[tuple[str, ValueId], ...] = ()

    @property
    def reads(self) -> Code:
        """The statement as a ``Code``, for the emitters that name its tensors."""
        return Code(self.code, self.refs)


Node = Union[Input, Define, Call, Op, Stmt, Loop, Cond]
# Nodes that carry tensors through a nested body.
Carrier = (Loop, Cond)


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
    of the class or builder function that makes it, as written (quotes included).
    ``blocks`` are the definitions of the helper blocks the body calls.
    ``aliases`` are the other names the source gave a tensor (``res = x``), in order: an
    emitter that must keep the tensor while its first name takes another writes the same copy.
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
    blocks: tuple[Block, ...] = ()
    aliases: tuple[tuple[ValueId, str], ...] = ()

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

    def block(self, name: str) -> Block:
        for block in self.blocks:
            if block.name == name:
                return block
        raise KeyError(name)

    def inputs_in_order(self) -> tuple[Input, ...]:
        return tuple(node for node in self.walk() if isinstance(node, Input))

    def calls_of(self, layer_id: LayerId) -> tuple[Call, ...]:
        return tuple(
            node for node in self.walk() if isinstance(node, Call) and node.layer == layer_id
        )


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


PLACEHOLDER_PREFIX = "_kc_"


def placeholder(value: ValueId) -> str:
    """The identifier that stands for ``value`` inside a ``Code`` until it is named."""
    return PLACEHOLDER_PREFIX + value


def ref(value: ValueId) -> Code:
    """A ``Code`` that is just the tensor ``value``."""
    return Code(placeholder(value), ((placeholder(value), value),))


def render_args(args: tuple[Arg, ...]) -> str:
    """Arguments as source text, before any placeholder is renamed."""
    parts = []
    for arg in args:
        prefix = f"{arg.keyword}=" if arg.keyword else arg.star
        parts.append(prefix + arg.value.text)
    return ", ".join(parts)
