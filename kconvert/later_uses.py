"""Code after a model that the new style would break: refused by name, or renumbered.

``model.input``, ``model.get_layer("fc1").output`` and ``model.layers[i]`` work on the
model a file made; a subclass has no symbolic tensors, its ``get_layer`` sees only the
layers it holds directly, and each style lists its layers in its own order
(``rewrite/layer_indexes.py`` renumbers what a graph and a Sequential model disagree on).
"""

from __future__ import annotations

from .ir.bindings import node_binds
from .ir.control import Loop
from .ir.input_reads import read_only_by_inputs
from .ir.op_layers import expression_layers
from .ir.reads import only_imports
from .ir.source_text import Loc
from .parse.graph_uses import (
    KEYED_INPUTS,
    KEYED_OUTPUTS,
    LISTED,
    OUTPUT_NAMES,
    REBUILT,
    SAVED_H5,
    found_by_name,
    named_layer,
)
from .parse.names_in import bound_names
from .parse.sites import ModelSite
from .rewrite.layer_indexes import index_shift, position
from .emit.subclass.build import builds_on_inputs
from .types import CLASSES, Diagnostic, Style


def later_use_problem(site: ModelSite, target: Style) -> Diagnostic | None:
    """The first use of the model after it is made that the ``target`` style cannot keep."""
    uses = [(what, loc) for what, loc in site.graph_uses if _use_lost(what, site, target)]
    # A graph whose inputs (outputs) are a dict is called (answers) with one: so is the subclass.
    uses = [(what, loc) for what, loc in uses if not _keyed_as_written(what, site)]
    if not uses:
        return None
    what, loc = uses[0]
    if what.endswith(REBUILT):
        name = what.removesuffix(".get_config" + REBUILT)
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{name}.get_config()` is read where the file makes a model of a config with a Keras class's"
            f" `from_config`, which reads it as a {site.style} model's: a {target} model's config has"
            " another form, and that call would build another model from it, or fail",
            f"make the copy with `type({name}).from_config(...)` or `keras.models.clone_model({name})`,"
            f" or keep this model {site.style}",
        )
    if what.endswith(SAVED_H5):
        model, saver = what.removesuffix(SAVED_H5).rsplit(".", 1)
        checkpoint = saver != "save"
        remedy = 'name its file `.keras` (`ModelCheckpoint("best.keras")`)' if checkpoint else (
            f'save it as `.keras` (`{model}.save("model.keras")`)'
        )
        return Diagnostic(
            loc.line,
            loc.col,
            f"this {'checkpoint ' if checkpoint else ''}saves `{model}` in Keras' legacy .h5 format, whose"
            " `load_model` finds a model's class by its bare name: the class a"
            f" {target} conversion writes is registered under its package, and would not load back",
            f"{remedy}, which loads a registered class, or keep this model {site.style}",
        )
    if what.endswith((KEYED_INPUTS, KEYED_OUTPUTS)):
        keyed = "inputs by their `Input(name=...)`" if what.endswith(KEYED_INPUTS) else "outputs by their layers' names"
        call = what.removesuffix(KEYED_INPUTS).removesuffix(KEYED_OUTPUTS)
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{call}(...)` is given a dict that names the model's {keyed}, which Keras matches for a graph"
            " model only: a subclass has no input or output names",
            f"convert it with `to-{Style.FUNCTIONAL_SUBCLASS}` (a class that still builds the graph, so the"
            f" names stay), keep this model {site.style}, or pass lists in the graph's order",
        )
    if position(what) == 0 and index_shift(site.style, target, site.graph) == -1:
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what}` is the model's InputLayer, which a {target} model does not list among its layers",
            f"keep this model {site.style}, or reach the input as `{what.split('.')[0]}.inputs[0]`",
        )
    written = expression_layers(site.graph) if target is Style.SEQUENTIAL else frozenset()
    if "layers[" in what and written:
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what}` picks a layer by its position, which the conversion changes: the Sequential model"
            f" lists a layer ({', '.join(f'`{kind}`' for kind in sorted(written))}) for each expression"
            " between its layers",
            f"pick the layer by name (`{what.split('.')[0]}.get_layer(...)`), or keep this model {site.style}",
        )
    if "layers[" in what and site.style is Style.SUBCLASS:
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what}` picks a layer by its position: a subclass lists its layers in the order its"
            f" constructor assigns them, a {target} model in the order the graph calls them",
            f"pick the layer by name (`{what.split('.')[0]}.get_layer(...)`), or keep this model a subclass",
        )
    if "layers[" in what:
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what}` picks a layer by its position, which the conversion changes: only a Functional"
            " model lists its InputLayer, and a subclass lists layers in the order its constructor"
            " makes them",
            f"keep this model {site.style}, or pick the layer by name (`get_layer(...)`)"
            + (" or from the end" if target is not Style.SUBCLASS else ""),
        )
    if what.endswith("." + OUTPUT_NAMES):
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what}` lists the names of a Functional model's output layers; "
            + ("a Sequential model" if target is Style.SEQUENTIAL else "a subclass")
            + " has no `output_names` in Keras 3",
            f"convert it with `to-{Style.FUNCTIONAL_SUBCLASS}` (a class that still builds the graph), or keep"
            f" this model {site.style}",
        )
    if what.endswith(LISTED):
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what.removesuffix(LISTED)}(...)` hands the model its one input in a list, which a {site.style}"
            " model unpacks and a subclass's call() would get as written",
            f"pass the input itself, or keep this model {site.style}",
        )
    if named_layer(what) is not None:
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what}` finds no layer made with that name among the model's own: a subclass's"
            " get_layer sees only the layers it holds directly, by the names they were made with",
            f'give the layer `name="{named_layer(what)}"` where the model makes it, or keep this model Functional',
        )
    return Diagnostic(
        loc.line,
        loc.col,
        f"`{what}` needs a graph model: a subclass has no symbolic inputs and outputs",
        f"convert it with `to-{Style.FUNCTIONAL_SUBCLASS}` (a class that still builds a graph, so this keeps"
        " working), keep this model Functional, or stop using its graph after building it",
    )


def parameter_use_problem(site: ModelSite, target: Style) -> Diagnostic | None:
    """A use, in another function, of a parameter named as the model the builder returns
    (``parameter_uses``) that the ``target`` style would break if it is that model: a layer
    picked by a position the conversion moves, or, in a subclass, anything only a graph has."""
    shift = index_shift(site.style, target, site.graph)
    for what, loc in site.parameter_uses:
        # A position from the end (``layers[-1]``) is the same in Sequential and graph models.
        moved = ".layers[" in what and (shift is None or (shift != 0 and ".layers[-" not in what))
        graph_only = not _found_by_name(site.graph, what) and not _keyed_as_written(what, site)
        saved = what.endswith(SAVED_H5)
        if saved and not _saved_h5_lost(what, site, target):
            continue
        if moved or saved or (target is Style.SUBCLASS and graph_only):
            name = what.split(".")[0]
            if saved:
                what = what.removesuffix(SAVED_H5) + "(...)"
                checkpoint = what.endswith(".fit(...)")
                why = f"which {'checkpoints' if checkpoint else 'saves'} it as .h5, and a class kconvert writes"
                why += " does not load back from .h5"
                remedy = "name the checkpoint's file `.keras`" if checkpoint else (
                    f'save it as `.keras` (`{name}.save("model.keras")`)'
                )
                remedy += f", or keep this model {site.style}"
            elif moved:
                why = "by a position the conversion changes (only a graph model lists its InputLayer)"
                remedy = f"pick the layer by name (`{name}.get_layer(...)`), or keep this model {site.style}"
            else:
                why = "which needs a graph model: a subclass has no symbolic inputs and outputs"
                remedy = f"convert it with `to-{Style.FUNCTIONAL_SUBCLASS}`, or keep this model {site.style}"
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{what}` reads a parameter named as the model `{site.scope}()` returns, so it may use"
                f" that model, {why}",
                remedy + " (--model picks the models to convert)",
            )
    return None


def picked_inside_model(site: ModelSite, others: list[ModelSite], target: Style) -> Diagnostic | None:
    """A layer of the model picked by its position in another model's code (``bit_model.layers[1]``
    among a Sequential's layers), where the renumbering would have to reach into code that model's
    own conversion writes, or that the safety check reads as that model's graph."""
    shift = index_shift(site.style, target)
    if not shift or all(position(what) is None for what, _ in site.graph_uses):
        return None
    inside = {
        layer.loc
        for other in others
        if other is not site and other.graph is not None
        for layer in other.graph.layers
        if layer.binding == "external"
    }
    for what, loc in site.graph_uses:
        if position(what) is not None and loc in inside:
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{what}` picks a layer of `{site.name}` by its position inside another model's code, and the"
                f" conversion to {target} moves it: only a graph model lists its InputLayer",
                f"pick the layer by name (`{what.split('.')[0]}.get_layer(...)`), or keep `{site.name}`"
                f" {site.style} (--model picks the models to convert)",
            )
    return None


def layer_moves(site: ModelSite, target: Style) -> dict[Loc, int]:
    """Where each ``<model>.layers[i]`` after the model stands, and its new ``i``."""
    shift = index_shift(site.style, target, site.graph)
    return {loc: position(what) + shift for what, loc in site.graph_uses if position(what) is not None and shift}


def _use_lost(what: str, site: ModelSite, target: Style) -> bool:
    """Whether the ``target`` style breaks this use of the model (``later_use_problem``)."""
    if what.endswith(REBUILT):
        return target is not site.style
    return _saved_h5_lost(what, site, target) if what.endswith(SAVED_H5) else _lost(what, site, target)


def _lost(what: str, site: ModelSite, target: Style) -> bool:
    """Whether the ``target`` style breaks this use of the graph (``later_use_problem``)."""
    if what.endswith("." + OUTPUT_NAMES):
        graphs = (Style.FUNCTIONAL, Style.FUNCTIONAL_SUBCLASS)
        return target in (Style.SEQUENTIAL, Style.SUBCLASS) and site.style in graphs
    if target is Style.SUBCLASS and not _found_by_name(site.graph, what) and not _carried(what, site, target):
        return True
    return what.endswith("[...]") or _unmoved(what, site, target)


def _saved_h5_lost(what: str, site: ModelSite, target: Style) -> bool:
    """A graph model saved as .h5 loads back; a class kconvert writes does not (``SAVED_H5``). A
    class the file already had did not load back either, so converting it loses nothing."""
    return target in CLASSES and site.style not in CLASSES


def _unmoved(what: str, site: ModelSite, target: Style) -> bool:
    """A layer picked by its position that the conversion cannot carry over: any position of a
    subclass's layers (listed in the order its constructor assigns them, not the order they are
    called in), or the InputLayer, which only a graph model lists."""
    if ".layers[" not in what:
        return False
    index, shift = position(what), index_shift(site.style, target, site.graph)
    return shift is None or (index is not None and index + shift < 0)


def _keyed_as_written(what: str, site: ModelSite) -> bool:
    """A dict of inputs (outputs) handed to a model whose graph takes (gives) a dict itself
    (``keras.Model({"title": title}, ...)``): the subclass's call() reads and returns the same dict."""
    if site.graph is None or not what.endswith((KEYED_INPUTS, KEYED_OUTPUTS)):
        return False
    structure = site.graph.inputs if what.endswith(KEYED_INPUTS) else site.graph.outputs
    return structure.text.lstrip().startswith("{")


def _carried(what: str, site: ModelSite, target: Style) -> bool:
    """A layer picked by a literal position that stays where it was (``rewrite/layer_indexes.py``)."""
    return ".layers[" in what and not what.endswith("[...]") and index_shift(site.style, target, site.graph) == 0


def _found_by_name(graph, what: str) -> bool:
    name = named_layer(what)
    return name is not None and graph is not None and found_by_name(graph, name)


def statement_read_later(site: ModelSite, target: Style) -> Diagnostic | None:
    """A name a statement among the model's lines binds (``nb_conv += 2`` between blocks) that
    code after the model reads: a class target moves that statement into the class. Only a
    subclass written at module level keeps such a statement outside (emit/subclass/constructor.py)."""
    if target not in CLASSES or not site.statement_reads:
        return None
    # A loop of layers goes into the class whatever the class is; its variable goes with it.
    looped = {name for node in site.graph.walk() if isinstance(node, Loop) for name in node_binds(node)}
    for name, loc in site.statement_reads:
        if name in looped:
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{name}`, the variable of a loop among the model's lines, is read here, after the model;"
                f" a {target} model moves that loop into its class, where this code cannot read it",
                f"give this line the value it needs after the model, or keep this model {site.style}",
            )
    if target is Style.SUBCLASS and site.scope is None:
        return None
    # ``n_features = data.shape[2]`` read only by the input's shape: a subclass's builder computes it
    # where it was, before the line that builds the instance (emit/subclass/constructor.py).
    built_with = read_only_by_inputs(site.graph) if builds_on_inputs(site.graph) else frozenset()
    # A functional-subclass writes the model's imports above the class (emit/functional_subclass.py).
    imported = set().union(*(bound_names(s) for s in site.block.body[site.start : site.end] if only_imports(s)))
    moved = [
        (name, loc)
        for name, loc in site.statement_reads
        if (target is Style.SUBCLASS and name not in built_with) or (target is not Style.SUBCLASS and name not in imported)
    ]
    if not moved:
        return None
    name, loc = moved[0]
    return Diagnostic(
        loc.line,
        loc.col,
        f"`{name}` is computed among the model's statements and read here, after the model;"
        f" a {target} model moves those statements into its class, where this code cannot read them",
        f"compute `{name}` after the model, or keep this model {site.style}",
    )
