"""Where a model stands in a file: the statements that build it and how it is bound.

A ``ModelSite`` is what the parser hands to the rewriter: the block of
statements (module body or a function body), the half-open range of statement
indices that build the model, the IR graph lifted from them (or the reason it
could not be lifted), and how the result is bound (``model = ...`` or
``return ...``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..ir.graph import Graph
from ..ir.source_text import Loc
from ..types import Diagnostic, Style


@dataclass(frozen=True)
class Binding:
    """``target = <model>`` when ``target`` is set, else ``return <model>``."""

    target: str | None

    @property
    def is_return(self) -> bool:
        return self.target is None


@dataclass(frozen=True)
class ModelInfo:
    """A model found in a file, as the library API shows it."""

    name: str
    style: Style
    line: int
    col: int
    scope: str | None
    graph: Graph | None
    problem: Diagnostic | None


@dataclass(eq=False)
class ModelSite:
    """A model and the statements that build it."""

    name: str
    style: Style
    loc: Loc
    scope: str | None
    binding: Binding
    block: cst.CSTNode
    start: int
    end: int
    graph: Graph | None = None
    # How many statements from ``start`` only prepare the model's arguments (parse/prelude.py).
    prepared: int = 0
    problem: Diagnostic | None = None
    # The Keras import path the model was written against: "keras" or "tensorflow.keras".
    root: str = "keras"
    # The callee of the model constructor as written (``keras.Sequential``, ``Model``).
    constructor: cst.BaseExpression | None = None
    # Names the model's own statements bind that later code still reads.
    escaping: tuple[tuple[str, Loc], ...] = ()
    # Every read of those names, by name, in the source's order.
    escaping_reads: dict[str, tuple[Loc, ...]] = field(default_factory=dict)
    # Its ``keras.Input`` lines (by index in the block) that later models also build on.
    shared: dict[int, list["ModelSite"]] = field(default_factory=dict)
    # Layers the model's code names that later code reads (``dense_1.get_weights()``).
    kept_layers: frozenset[str] = frozenset()
    # Names a plain statement among the model's binds (``nb_conv += 2`` between blocks) that
    # later code reads, and where: a class target moves those statements into the class.
    statement_reads: tuple[tuple[str, Loc], ...] = ()
    # ``model.summary()`` between ``.add()`` calls: run after the model in the other styles.
    deferred: list = field(default_factory=list)
    # Uses of the model after it is made that need a graph model (``model.input``).
    graph_uses: tuple[tuple[str, Loc], ...] = ()
    # Such uses, in another function, of its parameter named as the model a builder returns
    # (``apply(model, df)`` reads ``model.layers[0]``): maybe this model, handed over by a caller.
    parameter_uses: tuple[tuple[str, Loc], ...] = ()
    # ``autoencoder.encoder`` after ``autoencoder = AE()``: attributes only the subclass has.
    attribute_uses: tuple[tuple[str, Loc], ...] = ()
    # The builder's ``*args`` or ``**kwargs`` as its layers read them (``Dense(4, **kwargs)``): a
    # class's ``**kwargs`` are the model's own, and its parameters are named for ``get_config()``.
    star_read: str | None = None
    # A class derived from a base imported from elsewhere (keras-hub's ``Backbone``): its spelling, where.
    foreign_base: tuple[str, Loc] | None = None
    # Names the model's statements read or bind: generated names must avoid them.
    used_names: frozenset[str] = field(default_factory=frozenset)
    # A subclass with no call() (a GAN or VAE around other models): nothing to
    # convert, so it is left as it is, with ``problem`` saying why as a note.
    container: bool = False
    # A model made on another model's tensors (``keras.Model(base.input, base.layers[-2].output)``):
    # that tensor as written and the name the other model is reached by. A window into that graph,
    # not a definition: a graph target keeps it as it is (notes.view_note).
    view: tuple[str, str] | None = None

    @property
    def attributes_read(self) -> frozenset[str]:
        """The attribute names of ``attribute_uses`` (``encoder`` of ``autoencoder.encoder``)."""
        return frozenset(what.split(".", 1)[1] for what, _ in self.attribute_uses)

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(
            self.name, self.style, self.loc.line, self.loc.col, self.scope, self.graph, self.problem
        )


def block_statements(block: cst.CSTNode) -> tuple[cst.BaseStatement, ...]:
    """The statements of a module or an indented block."""
    if isinstance(block, (cst.Module, cst.IndentedBlock)):
        return tuple(block.body)
    return ()


def owner_class(src, site: ModelSite) -> str | None:
    """The class whose method builds the model (``class CharCNN`` of ``def _build_model(self)``), a
    name for the model when the method's says nothing; None for a model made at module level or
    in a plain function, or in a method of a class nested in a function."""
    node = src.parent(site.block) if site.scope is not None else None
    if not isinstance(node, cst.FunctionDef):
        return None
    node = src.parent(node)
    node = src.parent(node) if isinstance(node, cst.IndentedBlock) else None
    return node.name.value if isinstance(node, cst.ClassDef) else None

