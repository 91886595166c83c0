"""The nodes of an IR program: layer definitions, inputs, layer calls, tensor
expressions, helper calls and verbatim statements (loops and ``if``s: control.py)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Union

from .control import Cond, Loop
from .source_text import Arg, Code, LayerId, Loc, ValueId, render_args

# Keyword arguments a layer called on a tensor ignores: only a Sequential's first layer reads
# them, and the parsers turn that into the model's Input.
SHAPE_HINTS = frozenset({"input_shape", "batch_input_shape"})


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
    # ``input_shape=`` is the factory's own parameter, not a hint (SHAPE_HINTS) a layer called on
    # a tensor ignores: a Keras Application sized by it (``DenseNet121(input_shape=...)``).
    own_shape: bool = False
    # The classes of the layers an external ``keras.Sequential([...])`` lists: it builds them at
    # its first call, so inside whatever traces the model that calls it (emit/subclass/build.py).
    holds: tuple[str, ...] = ()
    # A class of the file whose ``build()`` keeps a tensor it computes (parse/built_tensors.py):
    # built inside a trace, the tensor is that trace's (emit/subclass/build.py).
    builds_tensor: bool = False
    # The names a function of the file that makes this layer is handed and calls (``block`` of
    # ``make_stage(block, 64)``, whose layers are ``block(filters)``): a layer class, when it is a
    # parameter of the model's (ir/layer_makers.py).
    calls_given: tuple[str, ...] = ()

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
        return f"{self.factory.text}({render_args(self.kept_args(called))})"

    def kept_args(self, called: bool = True) -> tuple[Arg, ...]:
        """The arguments to write for this layer; ``called``: without the shape hints it then ignores."""
        return tuple(arg for arg in self.args if not (called and not self.own_shape and arg.keyword in SHAPE_HINTS))


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
    ``more``, each with the name the source gave it.  ``nested``: the source wrote the
    call inside the expression of the one node that reads its tensor
    (``Flatten()(Embedding(100, 8)(x))``), where the graph styles write it again.
    """

    out: ValueId
    layer: LayerId
    args: tuple[Arg, ...]
    loc: Loc
    name: str | None = None
    more: tuple[tuple[ValueId, str], ...] = ()
    nested: bool = False


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
    which a call bound to one name reads whole; None for ``return a, b``.  A parameter the
    function assigns to (``if size is None: size = 3``) stays a name of the body, which starts
    by binding it to the argument.
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
    # The source wrote it inside the expression that reads it (``Dense(2)(block(x, 8))``), as ``Call.nested``.
    nested: bool = False

    @property
    def builds_on_tensor(self) -> bool:
        """Whether the expression makes a ready-made model on a tensor (``VGG16(include_top=False,
        input_tensor=inputs)``): its inner layers' outputs are the model's tensors
        (``get_layer("block3_pool").output``), a part of the graph that only graph code can build."""
        try:
            tree = ast.parse(self.expr.text, mode="eval").body
        except SyntaxError:
            return False
        return isinstance(tree, ast.Call) and any(keyword.arg == "input_tensor" for keyword in tree.keywords)


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
