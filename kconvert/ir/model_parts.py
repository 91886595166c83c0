"""The parts of a model beside its tensor program: the builder's parameters, the class's own
methods and set-up statements, the helper blocks it calls, the comments of its code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .graph import Graph
    from .source_text import Code, Loc


@dataclass(frozen=True)
class Remark:
    """A comment of the model's code, with the construct it belongs to.

    ``line`` is the source line where that construct starts, which is the
    ``loc.line`` of the nodes and layer definitions it wrote; ``beside`` says
    whether the comment stood at the end of the construct's line(s) or on a line
    of its own above it.  ``text`` is the comment as written (``# 62x62``).
    Emitters put each remark next to the first statement they write for a
    construct of that line.
    """

    line: int
    text: str
    beside: bool = False
    # A blank line stood above the comment: it titles a new stage of the code, set off as written.
    blank: bool = False
    # The comment stood right under the construct's statement, set off from the code below it by
    # a blank line (``# output: (samples, 64)``): it goes under what is written for the construct.
    below: bool = False
    # The name a copy binds that the comment stood beside (``res = x  # Set aside residual``): the
    # comment is said of that copy, which a loop's pass made a block writes in the block's class.
    copy: str | None = None
    # The comment stood above or beside a line no node has (``res = x``), not at ``line`` itself: a
    # copy an emitter writes before the construct goes under it, and a comment of the construct's
    # own under the copy.
    onward: bool = False
    # The comment stood beside an argument of a layer's constructor that the statement also calls
    # (``Conv2D(64,  # filters`` ... ``)(x)``): it is said of the layer's configuration, which a
    # class writes in ``__init__``, not of the call.
    configures: bool = False


# Names a model class's constructor or ``call`` has already: no parameter kconvert makes up (a
# data size, a method's ``self.latent_dim``) may take one.
RESERVED_PARAMS = frozenset({"self", "name", "kwargs", "inputs", "training"})


@dataclass(frozen=True)
class Param:
    """A parameter of the model's builder: ``name``, ``name=default`` or ``**name``.

    ``given`` is what the code that makes the model passes for it when that is not the builder's
    own parameter of the same name: ``self.latent_dim``, read by a model a method makes, which
    a class of its own at module level takes as its parameter ``latent_dim``.  ``annotation`` is
    the type the source gives it (``units: int``), which every signature written for it keeps.
    ``loc`` is where a class stores it (``self.units = units  # width``): the comments said of
    that line go with the line each style writes for the parameter.
    """

    name: str
    default: Code | None = None
    star: str = ""
    given: str | None = None
    annotation: Code | None = None
    # It holds a layer object the block calls (``activation=layers.Activation("relu")``): a Layer
    # class's config holds that layer's own, serialized.
    layer: bool = False
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Method:
    """A method of a subclassed model besides ``__init__`` and ``call`` (``train_step``).

    Only a class can keep it: the other styles refuse, naming it.  ``code`` is
    the method as written (decorators included, dedented to column 0), which
    the class-emitting styles write into their class; a class decorator's name
    starts with ``@`` and its code is the decorator line.
    """

    name: str
    loc: Loc
    code: str = ""


@dataclass(frozen=True)
class Setup:
    """A statement of a graph-building class's ``__init__`` after ``super().__init__(...)``
    that sets the made model up (``self.compile(...)``, ``self.tb_callback = ...``).

    It reads ``self``, the constructor's parameters and module names, never the graph's
    tensors; a class target writes it at the end of its ``__init__`` as written (``code``,
    dedented, its own comments included), the others refuse, naming it.
    """

    loc: Loc
    code: str
    # The attributes it sets on the model (``tb_callback``): the rest of the file may read them.
    sets: frozenset[str] = frozenset()

    @property
    def first_line(self) -> str:
        return next(line for line in self.code.splitlines() if line.strip() and not line.lstrip().startswith("#"))


@dataclass(frozen=True)
class Block:
    """A helper function defined once, as a sub-graph with parameters: ``residual_block``.

    Like Keras' own ``Layer`` inside a ``Model`` (torch.fx's ``call_module``),
    a block is called where the model calls the helper (an ``Op`` whose
    ``Helper.block`` names it).  ``graph`` is its body read once, with its
    parameters left as names: its ``params`` are the helper's parameters that
    are not tensors, its ``Input`` nodes (without a shape) the tensor
    parameters in signature order, its ``outputs`` what it returns.
    """

    name: str
    graph: "Graph"
    loc: Loc
