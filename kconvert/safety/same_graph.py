"""Reading the converted file back must give the models the original had.

Each model is compared as ``ir/comparable.py`` sees it (its structure: layers, their
arguments, the tensors each call reads, loops and conditions, minus what a conversion
may rightly change), with helper blocks written out, since one style keeps a helper call
where another writes its layers in place, or makes a Layer class of it (read back as a
block here). Models are compared as a multiset: a conversion may move a model (a
subclass's class goes before the line that makes it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import libcst as cst

from ..ir.graph import Graph
from ..ir.nodes import LayerDef
from ..ir.source_text import Code
from ..ir.model_parts import Block
from ..ir.comparable import comparable
from ..ir.reads import identifiers_of
from ..parse.builder import GraphBuilder, Refusal
from ..parse.finder import find_sites
from ..parse.keras_names import SEQUENTIAL
from ..parse.layer_classes import layer_class_block
from ..parse.module_index import call_assignment, calls_bound_once, calls_in_force, defined_names, single_call_assignments
from ..parse.memo import once
from ..parse.sequential.items import makes_model
from ..parse.shared_inputs import held_by
from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from ..types import CLASSES, Options
from .made_where import init_locals, making_statement, module_level_blocks, module_level_calls


def changed_model(
    source: SourceFile, before: list[ModelSite], after: SourceFile, options: Options
) -> tuple[ModelSite, str] | None:
    """The first original model the converted file no longer builds the same way, and how."""
    try:
        again = find_sites(after, options)
    except RecursionError:
        return before[0], "the converted file is too deeply nested to read back"
    # A model the original could not read is left as it was; a model converted among its lines may
    # change which of its lines it stops at first (babi_memnn's encoders, each built by ``.add()``
    # among the lines of the model that calls them), not that it cannot be read.
    known = Counter((site.name, site.style) for site in before if site.problem is not None)
    problems = []
    for site in again:
        if site.problem is not None and known[(site.name, site.style)] > 0:
            known[(site.name, site.style)] -= 1
        elif site.problem is not None:
            problems.append(site)
    if problems:
        first = problems[0]
        return _nearest(before, first), f"kconvert cannot read its own output back ({first.problem.message})"
    # A model both files make beside another model that calls it stays a reference in both.
    shared = _neighbours(before, source) & _neighbours(again, after)
    comparable_again = _comparable(before, again)
    # A name the original bound a model to (a builder's ``cnn = Sequential()``), made a class:
    # read back as that model, not as a layer of its own.
    named = frozenset(name for site in before for name in _names_of(site))
    # A Sequential the original made among a model's lines (bAbI's encoders), which the output
    # makes above that model's (to Sequential): read back as the layer it was, made as written.
    held = frozenset(site.binding.target for site in before if site.binding.target and held_by(site, before))
    remaining = Counter(_key(site, after, again, shared, named=named, held=held) for site in comparable_again)
    # A model with no shape of its own (a Sequential another model calls as a layer, or one first
    # called on data, ``print(network(x))``), read back as a class, takes the shape of what it is
    # called on, which a class's reader reads of its uses: compared without shapes, as it had none.
    shapeless = {
        _key(site, after, again, shared, named=named, held=held): _key(
            site, after, again, shared, shapes=False, named=named, held=held
        )
        for site in comparable_again
    }
    for site in before:
        if site.graph is None:
            continue
        key = _key(site, source, before, shared)
        if held_by(site, before):
            # Compared inside its holder; an output that makes it above the holder's own code (a
            # Sequential's list cannot make it) reads it back as a model beside it, the same model.
            remaining[key] -= remaining[key] > 0
            continue
        if remaining[key] == 0:
            loose = _key(site, source, before, shared, shapes=False)
            if loose == key or _shaped_by_instances(site):
                # A class's input shape is its parameter: a subclass's build line after each
                # instance gives it the value that instance passed (``keras.Input(shape=(20,))``).
                key = next((found for found in +remaining if shapeless[found] == loose), loose)
            else:
                key = loose
        if remaining[key] == 0:
            return site, "reading the converted code back gives a different layer graph"
        remaining[key] -= 1
    if +remaining:
        return before[0], "the converted file has a model the original did not have"
    return None


def _shaped_by_instances(site: ModelSite) -> bool:
    """Whether the model is a class whose ``Input`` reads its constructor's parameters."""
    params = {param.name for param in site.graph.params}
    inputs = site.graph.inputs_in_order()
    return site.style in CLASSES and any(identifiers_of(arg.value.text) & params for node in inputs for arg in node.args)


def _comparable(before: list[ModelSite], again: list[ModelSite]) -> list[ModelSite]:
    """The models read back that have an original to compare with: not one the original file could
    not read (a subclass whose ``__init__`` fills a Sequential reading ``self.num_classes``), which
    the conversion of a model made inside it may make readable, nor one made among another model's
    lines as its layer (``shared_inputs.held_by``), which that model's structure holds."""
    unread = Counter((site.name, site.style) for site in before if site.graph is None)
    # A model the output still cannot read is that one (a later model of the same name that the
    # original refused, left as it was by ``--model``), not a readable model of its name.
    unread.subtract((site.name, site.style) for site in again if site.graph is None)
    found = []
    for site in again:
        # A model made among another's lines as its layer is compared as part of that model.
        if site.graph is None or held_by(site, again):
            continue
        if unread[(site.name, site.style)] > 0:
            unread[(site.name, site.style)] -= 1
            continue
        found.append(site)
    return found


def model_keys(src: SourceFile, options: Options = Options()) -> list[str]:
    """Every model of a file as the check compares it, sorted: equal lists, the same models."""
    sites = find_sites(src, options)
    kept = [site for site in sites if site.graph is not None and not held_by(site, sites)]
    return sorted(_key(site, src, sites, _neighbours(sites, src)) for site in kept)


def _neighbours(sites: list[ModelSite], src: SourceFile) -> set[str]:
    """The names of the models made in the same namespace as another model."""
    return {
        name
        for site in sites
        if any(other is not site and _together(src, other, site) for other in sites)
        for name in _names_of(site)
    }


def _together(src: SourceFile, one: ModelSite, other: ModelSite) -> bool:
    """Whether two models are made in one namespace: the same block, or two module-level blocks
    (a class a conversion writes at module level reads the ``if __name__ == "__main__":`` body's
    ``augment = keras.Sequential(...)`` as the model made in that body did)."""
    if one.block is other.block:
        return True
    module_level = {id(block) for block in once("module_level_blocks", src.module, module_level_blocks)}
    return id(one.block) in module_level and id(other.block) in module_level


def _names_of(site: ModelSite) -> set[str]:
    """The names a model is bound to in its block: its binding's, or for a class (which binds
    none) each name its block binds to an instance (``data_augmentation = DataAugmentation()``,
    which ``--model`` made of a Sequential another model calls as a layer)."""
    if site.binding.target is not None:
        return {site.binding.target}
    statement = site.block.body[site.start]
    if not isinstance(statement, cst.ClassDef):
        return set()
    made = (call_assignment(later) for later in site.block.body[site.start + 1 :])
    return {
        name
        for name, call in filter(None, made)
        if isinstance(call.func, cst.Name) and call.func.value == statement.name.value
    }


def _key(
    site: ModelSite,
    src: SourceFile,
    sites: list[ModelSite],
    shared: set[str],
    shapes: bool = True,
    named=frozenset(),
    held=frozenset(),
) -> str:
    return comparable(_resolved(site, src, sites, shared, named, held), shapes)


def _resolved(
    site: ModelSite, src: SourceFile, sites: list[ModelSite], shared: set[str], named=frozenset(), held=frozenset()
) -> Graph:
    """The graph with each layer made outside the model (``dense_1 = Dense(64)`` kept at module
    level because later code reads it) by the call that makes it, as if the model made it.  A
    model of the file made in the same block (``cnn = Sequential()`` then ``cnn(h)``) stays a
    reference when the converted file makes it so too: the conversion rewrites it as a model of its
    own, which the check compares."""
    models = {name for other in sites if other is not site and _together(src, other, site) for name in _names_of(other)}
    models &= shared
    # Nearest first: the subclass's ``__init__``, the model's own statements (a file of several
    # models may bind one layer name in each: ``crf = CRF(...)``, ``model.add(crf)``), what the
    # name holds where the model is made (a class reads a module-level layer when it is made, and
    # a file may bind that name again for its next model), the model's block, then the module's.
    own = calls_bound_once(site.block.body[site.start : site.end])
    made_at = making_statement(site)
    above = calls_in_force(site.block.body[:made_at]) if made_at is not None else {}
    scopes = (init_locals(src, site), own, above, single_call_assignments(site.block), module_level_calls(src.module))
    # Only the model's own function or ``__init__`` makes a Sequential that is no more than its
    # layer; one at module level is a model of the file, which the conversion may rewrite.
    local = scopes[:1] if isinstance(site.block, cst.Module) else scopes[:4]

    classes = {other.name for other in sites if other.binding.target is None and other.block is site.block}
    # A builder function a class became (``def Encoder(**kwargs): ... return keras.Model(...)``) makes
    # the model the class did.
    model_classes = {
        other.name
        for other in sites
        if other.binding.target is None and (other.style in CLASSES or other.scope == other.name)
    }

    def as_made(layer: LayerDef) -> LayerDef:
        factory = layer.factory.text if layer.factory is not None else None
        passed = all(arg.keyword is not None and not arg.star and arg.value.text == arg.keyword for arg in layer.args)
        if layer.name in models and factory in classes and not layer.args or (
            layer.binding == "named" and layer.name in named and factory in model_classes and passed
        ):
            # ``aug = Aug()`` then ``aug(x)``, read as a layer the model makes: the model of the
            # file bound to that name, as a reference like the Sequential it was.  A builder's
            # Sequential made a class at module level is made there with what it read of the
            # builder (``cnn = CNN(latent_size=latent_size)``): the class is compared on its own.
            return replace(layer, type_name=layer.name, factory=None, args=(), binding="external", reference=Code(layer.name))
        call = None
        if layer.binding == "external" and layer.reference and (layer.reference.text not in models - held):
            call = next((made[layer.reference.text] for made in scopes if layer.reference.text in made), None)
        sequential = layer.reference is not None and layer.reference.text in held or any(
            layer.reference and made.get(layer.reference.text) is call for made in local
        )
        if call is not None and _makes_layer(src, call, sequential):
            try:
                made = GraphBuilder(src).constructed_layer(call, "named", layer.name)
                # Still the object the name holds: a block's instances share it (ir/structure.py).
                return replace(made, id=layer.id, reference=layer.reference)
            except Refusal:
                pass
        return layer

    # A block's layers too: a helper reading a module-level layer (``shared(x)``) is a Layer class
    # that keeps a reference to it (``self.shared = shared``).
    blocks = tuple(
        replace(block, graph=replace(block.graph, layers=tuple(map(as_made, block.graph.layers))))
        for block in site.graph.blocks + _layer_blocks(src, site.graph)
    )
    return replace(site.graph, layers=tuple(map(as_made, site.graph.layers)), blocks=blocks)


def _layer_blocks(src: SourceFile, graph: Graph) -> tuple[Block, ...]:
    """The file's own Layer classes the model makes layers of (``ResidualBlock(16)``), read as
    blocks, so that a helper written as a Layer class compares with the helper, layer by layer;
    and the classes those blocks make in turn (a helper that calls another helper)."""
    found: dict[str, Block] = {}
    graphs = [graph]
    while graphs:
        names = {layer.factory.text for layer in graphs.pop().layers if layer.factory is not None}
        for name in sorted(names - set(found)):
            block = layer_class_block(src, name) if name.isidentifier() else None
            if block is not None:
                found[name] = block
                graphs.append(block.graph)
    return tuple(found.values())


def _makes_layer(src: SourceFile, call: cst.Call, sequential: bool) -> bool:
    """A call that makes a layer or a ready-made network (``keras.applications``), not a model
    the file builds itself: those are sites of their own, compared apart.  With ``sequential``,
    a ``keras.Sequential([...])`` made by the model's own code is a layer too: one style makes
    it among the model's lines (a layer of the graph, made as written), another just before
    them (``base = ...``, ``base.trainable = False``, then ``[base, ...]``)."""
    keras = src.keras(call.func)
    if sequential and keras is not None and keras.path in SEQUENTIAL:
        return True
    if makes_model(src, call):
        return False
    if isinstance(call.func, cst.Name):
        return call.func.value not in defined_names(src.module)
    return True


def _nearest(sites: list[ModelSite], other: ModelSite) -> ModelSite:
    earlier = [site for site in sites if site.loc.line <= other.loc.line]
    return earlier[-1] if earlier else sites[0]
