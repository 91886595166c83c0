"""Reading a ``Sequential`` model site: its layers from the constructor, the ``.add()`` calls
right after it and the named layers before it, and the shape it is built with, into the IR."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.graph import Graph
from ...ir.nodes import Input
from ...ir.source_text import Arg, Code
from ...types import Options
from ..after_site import code_after, model_owned
from ..builder import GraphBuilder, refuse
from ..layer_lists import owned_lists
from ..names_in import bound_names, calls_in, mentions, reads
from ..prelude import take_prelude
from ..sites import ModelSite
from ..source import SourceFile
from .adds import added_elsewhere, added_items, mentions_target, spelled
from .appended import appended_list
from .callers import callers_shape
from .fitted import fitted_shape
from .items import build_shape, constructor_items, element_names, layer_definitions, layers_arg
from .lift import lift_sequential


def sequential_graph(src, site: ModelSite, statements, call: cst.Call, options: Options) -> Graph:
    owned = _owned_lists(src, site, statements, call)
    site.start -= len(owned)
    appended = appended_list(src, site, statements, call) if not owned else None
    if appended is not None:
        # The list's lines are the model's own: its layers come from the appends.
        filled, site.start = appended
        owned = {layers_arg(call).value: cst.List([])}
    items, name, extra = constructor_items(src, call, statements[: site.start], owned)
    if appended is not None:
        items = filled + items
    if site.binding.target is not None:
        added, taken, site.deferred = added_items(src, statements[site.end :], site.binding.target)
        for item in added:
            expr = getattr(item, "expr", None)
            if isinstance(expr, cst.Name) and expr.value == site.binding.target:
                raise refuse(src.loc(expr), f"`{expr.value}` is added to itself", "a model cannot contain itself")
        items.extend(added)
        site.end += taken
        elsewhere = added_elsewhere(src, site.binding.target) if not items else None
        if elsewhere is not None:
            raise refuse(
                src.loc(elsewhere),
                f"the layers of `{site.binding.target}` are added here, away from the line that makes it"
                f" (line {src.loc(call).line}); kconvert reads a Sequential's layers from the statements"
                " right after it",
                f"make the Sequential where its layers are added: `{site.binding.target} = Sequential()`"
                " just before the first add",
            )
        _refuse_late_adds(src, statements[site.end :], site.binding.target)
    names = model_owned(src, element_names(items), code_after(src, site, statements))
    definitions = layer_definitions(src, statements[: site.start], names, sequentials=site.scope is not None)
    site.start -= len(definitions)
    # What is said right above a layer made for the model is said of that layer.
    site.prepared = len(definitions)
    prepared = take_prelude(src, site, statements)
    following = statements[site.end] if site.end < len(statements) else None
    shape = build_shape(following, site.binding.target) if site.binding.target else None
    built = (_built_input(src, shape),) if shape is not None else None
    if built is None and site.binding.target:
        # ``model.fit(x_train, ...)`` on data of a written shape builds it as a ``build()`` would.
        built = fitted_shape(src, statements, site.end, site.binding.target, site.start)
    if built is None:
        # ``return keras.Sequential([...])``: the builder's callers build what it returns.
        built = callers_shape(src, site.block, site.scope, statements[site.end :], site.binding.target)
    graph = lift_sequential(src, GraphBuilder(src, site.root), call, items, name, extra, options, definitions, built, prepared)
    if shape is not None and any(node.args is built for node in graph.inputs_in_order()):
        # The model's input comes from that build() call, so it is part of the model's code, and
        # what is said of the call is said of the input (``# three features`` beside it).
        site.end += 1
        at = src.loc(following)
        graph = replace(graph, body=tuple(replace(node, loc=at) if isinstance(node, Input) and node.args is built else node for node in graph.body))
    return graph


def _built_input(src: SourceFile, shape: cst.BaseExpression) -> Arg:
    """The Input's argument for ``model.build(shape)``: ``shape=(224, 224, 3)`` for a batch axis
    left free, ``(None, 224, 224, 3)``, as a person writes it; else the whole ``batch_shape=``."""
    if isinstance(shape, (cst.Tuple, cst.List)) and len(shape.elements) > 1:
        first, *rest = shape.elements
        if isinstance(first.value, cst.Name) and first.value.value == "None":
            if not any(isinstance(element, cst.StarredElement) for element in rest):
                axes = [src.code(element.value) for element in rest]
                return Arg(Code(f"({axes[0]},)" if len(axes) == 1 else f"({', '.join(axes)})"), "shape")
    return Arg(Code(src.code(shape)), "batch_shape")


def _owned_lists(src: SourceFile, site: ModelSite, statements, call: cst.Call) -> dict[str, cst.BaseExpression]:
    """The lists of ``my_layers = [...]`` and the like just before ``Sequential(my_layers)``, when no
    later code reads those names: the model's own statements, removed with it."""
    value = layers_arg(call)
    if value is None:
        return {}
    after = code_after(src, site, statements)
    scope = site.block
    while not isinstance(scope, (cst.FunctionDef, cst.Module)):
        scope = src.parent(scope)
    return owned_lists(value, statements[: site.start], lambda name: not model_owned(src, {name}, after), scope)


def _refuse_late_adds(src, statements, target: str) -> None:
    blocker = None
    root = target.split(".")[0]  # ``self`` for ``self.model``
    for statement in statements:
        if not mentions(statement, (root,)):
            continue
        if root not in reads(statement) and root not in bound_names(statement):
            # A function with a ``model`` of its own (Géron's ``build_model``) adds to that one.
            continue
        for node in calls_in(statement):
            func = node.func
            if isinstance(func, cst.Attribute) and spelled(func.value) == target and func.attr.value in ("add", "pop"):
                if blocker is not None and blocker is not statement:
                    # ``assert model.output_shape == (None, 7, 7, 256)`` between adds (the DCGAN tutorial).
                    raise refuse(
                        src.loc(blocker),
                        f"`{src.code(blocker.with_changes(leading_lines=())).strip()}` reads `{target}` while its"
                        " layers are being added; the other styles have no model until the last layer is in",
                        f"move it after the last `{target}.add(...)`, or remove it",
                    )
                raise refuse(
                    src.loc(node),
                    f"`{target}.{func.attr.value}(...)` comes after other statements,"
                    " so the layers of the model are not all in one place",
                    f"move every `{target}.add(...)` right after the `{target} = Sequential(...)` line",
                )
        if target in bound_names(statement):
            return
        if blocker is None and mentions_target(statement, target):
            blocker = statement
