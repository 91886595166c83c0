"""What an emitter needs to know about the place its code goes.

The emitters are pure functions of an IR graph and an ``EmitContext``: how the
model is bound (``model = ...`` or ``return ...``), how this file spells
``Input``, ``Model`` and ``Sequential``, which names are taken, and how deep
the code is indented.  They return ``Emitted`` code or raise ``EmitRefusal``
with the node that makes the target style impossible.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ir.graph import Graph
from ..ir.model_parts import Method
from ..ir.nodes import LayerDef
from ..ir.source_text import Loc
from ..types import Diagnostic
from .render import Layout


@dataclass(frozen=True)
class Symbols:
    """How the file spells the Keras names emitted code needs."""

    input: str = "keras.Input"
    model: str = "keras.Model"
    sequential: str = "keras.Sequential"
    ops: str = "keras.ops"
    saving: str = "keras.saving"
    layer: str = "keras.layers.Layer"
    # The module, whose classes by name a saved config's layer class is looked up among.
    layers: str = "keras.layers"
    # The layers a Sequential model writes for expressions (``ir/op_layers.py``), by class name.
    activation: str = "keras.layers.Activation"
    reshape: str = "keras.layers.Reshape"

    def layer_class(self, kind: str) -> str:
        return {"Activation": self.activation, "Reshape": self.reshape}[kind]


@dataclass(frozen=True)
class EmitContext:
    target: str | None
    symbols: Symbols
    reserved: frozenset[str] = frozenset()
    indent: int = 0
    class_name: str | None = None
    # The function that builds the model, and the file's module name: sources for a class name.
    scope: str | None = None
    module: str | None = None
    # Named layers that code after the model reads: they stay where the rest of the file sees them.
    kept: frozenset[str] = frozenset()
    # How black lays out the file's code: ``[tool.black]`` line-length, and whether commas are magic.
    layout: Layout = Layout()
    # The class replaces the source's class or builder function: the source's own lines make the
    # model, so the emitted code has no line of its own that could pass it arguments.
    makes_no_instance: bool = False
    # The names the module binds: a class is written at module level, so it may take none of them
    # (a builder function that stays beside it would take the class's name back, or the class its).
    module_names: frozenset[str] = frozenset()
    # How deep an emitted class stands: at module level (0) wherever the model was made, unless it
    # replaces a class where that one stood.  Black lays the class out for that depth, not the model's.
    class_indent: int = 0
    # The file's name without its extension, as written: the class name's last source, even
    # when it is no module name (``4-regressor_example.py``).
    file_name: str | None = None
    # The Layer classes earlier models of the file made: a block of one of their names is that
    # class again, unless the class it writes differs (rewrite/shared_classes.py).
    shared_classes: frozenset[str] = frozenset()
    # Layer attributes of the source class that code outside its graph reads (``autoencoder.encoder``):
    # a graph class keeps them as attributes (emit/layer_attributes.py).
    attributes: frozenset[str] = frozenset()
    # The class whose method builds the model (``class CharCNN`` of ``_build_model``): a name source.
    owner: str | None = None


class EmitRefusal(Exception):
    """Raised by an emitter; turned into a diagnostic value by the rewriter."""

    def __init__(self, loc: Loc, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(loc.line, loc.col, message, hint)


class NoInputShape(EmitRefusal):
    """A graph style's refusal of a model that states no input shape; the caller, which knows the
    model's name, says how to give one (``no_shape_hint``)."""

    def __init__(self, loc: Loc) -> None:
        super().__init__(
            loc, "this model has no input shape, and kconvert does not run code to find one", no_shape_hint(None)
        )


def no_shape_hint(name: str | None, use: str | None = None) -> str:
    """How to give the model ``name`` a shape: ``--model NAME:LINE`` picks it among the file's models
    (a tutorial binds ``model`` many times; LINE as the diagnostic gives it, ``CELL:LINE`` in a notebook);
    ``use`` says where its data is found (parse/first_use.py)."""
    alone = f" and --model {name}:LINE with this error's line," if name else ""
    return (
        f"pass the shape of one sample without the batch axis, --input-shape D1,D2,... (e.g. 28,28),{alone}"
        " or make keras.Input(shape=...) its first layer" + (f"; {use}" if use else "")
    )


def registers(method: Method) -> bool:
    """``@keras.saving.register_keras_serializable(...)``: a class's registration for loading.

    Only a class needs one, so a builder function's model loses nothing without it.
    """
    return method.name.startswith("@") and "register_keras_serializable" in method.name.split("(")[0]


def refuse_chosen_inputs(graph: Graph, style: str) -> None:
    """A model built on a tensor the caller may give (``input_tensor``) is a graph on that tensor:
    a ``style`` model makes its own inputs, so it cannot honour it."""
    for node in graph.inputs_in_order():
        if node.made_by is not None:
            raise EmitRefusal(
                node.loc,
                f"the model input `{node.name}` is made by `{node.made_by}`, whose `keras.Input` lines kconvert does"
                f" not run: a {style} model makes its own inputs, and needs their shapes",
                "keep this model Functional, or convert it to functional-subclass (a class that builds the"
                " same graph)",
            )
        if node.choice is not None:
            # The parameter is the builder's promise to callers anywhere, not only in this file:
            # dropping it is the user's decision, so the hint names it.
            given = " or ".join(f"`{name}`" for name in node.given) or "a tensor"
            raise EmitRefusal(
                node.loc,
                f"the model input `{node.name}` is chosen by this `if` (a new Input, or a tensor the caller"
                f" gives): a {style} model makes its own inputs, so it cannot be built on the caller's tensor",
                "keep this model Functional, or convert it to functional-subclass (a class that builds the"
                f" same graph); if no caller passes {given}, build on the new Input alone and convert that",
            )


def refuse_lost_methods(graph: Graph, style: str) -> None:
    """A subclass's own methods (``train_step``) have no place in a ``style`` model.

    Neither has the file's own model class (``graph.base``) in a Sequential model.
    """
    if graph.base is not None and style == "Sequential":
        raise EmitRefusal(
            graph.loc,
            f"this model is a `{graph.base.text}`, this file's own model class (with its own training"
            " methods); a Sequential model cannot be of that class",
            "keep this model in the Functional API, or convert it to a subclass (which inherits from"
            f" `{graph.base.text}`)",
        )
    lost = [method for method in graph.methods if not registers(method)]
    if lost:
        method = lost[0]
        what = "class decorator" if method.name.startswith("@") else "method"
        raise EmitRefusal(
            method.loc,
            f"the {what} `{method.name}` would be lost: a {style} model has no place for it",
            # The fourth style is a Functional graph in a class: it keeps both.
            "keep this model a subclass, or convert it to functional-subclass (a graph model that keeps it)",
        )


def closure_refusal(layer: LayerDef, why: str) -> tuple[str, str]:
    """Why a layer made by a function that returns a function, or by a plain class of the file
    with a ``__call__``, cannot stand where a layer object must."""
    return (
        f"`{layer.type_name}(...)` gives no layer object but a callable that makes new layers each time it is"
        f" called; {why}",
        "keep the Functional API, or make it a keras.layers.Layer class",
    )
