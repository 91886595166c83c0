"""Refusals of one model that its site shows before any code is written: a problem the parser
found, a tensor of the model's code that later code still uses, a base class kconvert cannot
read, and an attribute the subclass sets in ``__init__`` that later code reads."""

from __future__ import annotations

from .emit.layer_attributes import kept_attributes
from .parse.sites import ModelSite
from .rewrite.tensor_reaches import nameable, tensor_reach
from .types import Diagnostic, Style


def site_problem(site: ModelSite, target: Style) -> Diagnostic | None:
    """Why ``site`` cannot become a ``target`` model, seen from its site alone, or None."""
    if site.problem is not None:
        return site.problem
    if site.escaping and target is not Style.FUNCTIONAL:
        name, loc = site.escaping[0]
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{name}` from the model's code is still used here, but the {target} form has no such variable",
            graph_way(site, name)
            if target is Style.FUNCTIONAL_SUBCLASS
            else "keep this model Functional, or stop using its tensors after building it",
        )
    starred = next((arg for arg in site.graph.extra if arg.star == "*"), None) if site.graph is not None else None
    if starred is not None and target is not site.style:
        # ``Sequential([...], *args, **kwargs)``: Sequential's next positional parameter is
        # ``trainable``, Functional's ``name``, a class's ``__init__`` takes keywords only.
        return Diagnostic(
            site.loc.line,
            site.loc.col,
            f"`*{starred.value.text}` passes positional arguments to {_AFTER.get(site.style, 'the model')},"
            f" which the {target} form's constructor does not take in the same places",
            "pass them by keyword (`name=...`, `**kwargs`), or keep this model as it is",
        )
    if site.star_read is not None and target in (Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS):
        # ``def conv_block(*args, **kwargs)`` making ``Conv2D(*args, **kwargs)``: the class would
        # take the caller's keywords as the model's own, and save no parameter it could not name.
        return Diagnostic(
            site.loc.line,
            site.loc.col,
            f"the model's layers read `{site.star_read}` of `{site.scope}`, which a {target} model cannot"
            " take: its class's `**kwargs` are the model's own, and `get_config()` saves only named parameters",
            f"name the parameters the layers need in `{site.scope}`, or keep this model as it is",
        )
    if site.graph is not None and site.graph.unused and target in (Style.SEQUENTIAL, Style.SUBCLASS):
        # A class's call() would make the layer's weights, and a Sequential list has no branch.
        name, loc = site.graph.unused[0]
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{name}` is computed among the model's statements but the model does not use it: Keras"
            f" leaves its layer out of a graph, which a {target} model cannot do",
            "delete the unused layer call, or keep this model in a style that builds a graph (functional, functional-subclass)",
        )
    if site.foreign_base is not None:
        # Functional code would make the model as ``Backbone(inputs, outputs)``, which nothing reads
        # back as a model; a subclass would need the base to work without a graph.
        base, loc = site.foreign_base
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{site.name}` is a `{base}`, a model class imported from elsewhere that kconvert cannot read;"
            f" a {target} model cannot be shown to be of that class",
            "keep this model a functional-subclass, or derive it from keras.Model to convert it",
        )
    # An attribute the class sets after making its model (``self.tb_callback = ...``) every style sets.
    set_up = {name for setup in (site.graph.setup if site.graph is not None else ()) for name in setup.sets}
    # A layer a graph class can keep as an attribute it keeps (emit/layer_attributes.py).
    if target is Style.FUNCTIONAL_SUBCLASS and site.graph is not None:
        set_up |= kept_attributes(site.graph, site.attributes_read)
    attribute_uses = [(what, loc) for what, loc in site.attribute_uses if what.split(".", 1)[1] not in set_up]
    if attribute_uses and target is not Style.SUBCLASS:
        what, loc = attribute_uses[0]
        instance, attribute = what.split(".", 1)
        # A value the class keeps (a loss history, ``self.loss = []``) is no layer to look up.
        layer = attribute in {layer.name for layer in site.graph.layers} if site.graph is not None else True
        reach = f"reach the layer by its name (`{instance}.get_layer(...)`)" if layer else f"set `{what}` after making the model"
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what}` reads an attribute the class sets in __init__; a {target} model has no such attribute",
            f"keep this model a subclass, or {reach}",
        )
    return None


_AFTER = {
    Style.SEQUENTIAL: "`Sequential(...)` after its layers",
    Style.FUNCTIONAL: "`Model(...)` after its inputs and outputs",
    Style.FUNCTIONAL_SUBCLASS: "`super().__init__(...)` after the inputs and outputs",
}


def graph_way(site: ModelSite, name: str) -> str:
    """The hint for code after the model that reads the tensor ``name`` of its code: the way to it
    through the model's graph (rewrite/tensor_reaches.py), the same tensor in a class that builds
    one, when the model's code shows which; else the ways there are."""
    reach = tensor_reach(site, name)
    if reach is not None:
        said = f"`{name}` is the model's input: " if reach.startswith(f"{site.name}.input") else ""
        return f"{said}write `{reach}` here, the same tensor{_OR_KEEP}"
    if nameable(site, name):
        return f"give the layer that makes `{name}` a name= and write `{site.name}.get_layer(NAME).output` here{_OR_KEEP}"
    return _ANY_WAY.format(model=site.name)


_OR_KEEP = "; or keep this model Functional, or stop using its tensors after building it"
_ANY_WAY = (
    "reach it through the model's graph (`{model}.input`, `{model}.get_layer(NAME).output` of a layer made with"
    " name=), keep this model Functional, or stop using its tensors after building it"
)
