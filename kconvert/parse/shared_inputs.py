"""Models of one block that build on the same ``keras.Input`` (a VAE: encoder, decoder, then the
whole model on the encoder's input).

A Functional model's statements run from its first ``keras.Input`` to its ``Model(...)`` line; when
that input belongs to a model made earlier in the block, that range holds the earlier model too.
The later model then owns only the statements after the earlier ones (``carve``), minus those that
stand before its first use of its inputs (``encoder.summary()``); it reads the shared ``Input``
line where it stands. A later model that reads any other name of the earlier model's code (a
tensor, a layer object: an inference model over a training model's graph) is a view of that graph,
which only the Functional API can express. The earlier model records the later ones that build on
each of its ``Input`` lines (``settle``): converted with them, it takes the line with it, and each
makes its own input; converted while one of them stays, it would take away that model's input
(``shared_input_problem``).
"""

from __future__ import annotations

from ..types import Diagnostic, Style
from .builder import refuse
from .model_call import input_statement
from .later_reads import read_before_rebound
from .names_in import bound_names, mentions
from .sites import ModelSite


def carve(src, site: ModelSite, statements, starts: dict[str, int], earlier: list[ModelSite]) -> list[int]:
    """Moves ``site.start`` past the earlier models its range holds; returns the indices of the
    shared ``Input`` lines it still reads (the lifter reads them first)."""
    held = [other for other in earlier if other.block is site.block and site.start < other.end < site.end]
    if not any(other.start <= index < other.end for other in held for index in starts.values()):
        # A model made between the inputs and their use (a Sequential block) is part of this one.
        return []
    cut = max(other.end for other in held)
    shared = sorted({index for index in starts.values() if index < cut})
    names = set(starts)
    # What stands between the earlier models and this one's first use of its inputs (their
    # ``summary()``, ``compile``, another model made meanwhile) belongs to no model: it stays in place.
    first = cut
    while cut < site.end - 1 and not _uses(src, statements[cut], names):
        cut += 1
    site.start = cut
    held_range = [index for other in held for index in range(other.start, other.end)]
    owned = set().union(*(bound_names(statements[index]) for index in held_range))
    owned -= {other.binding.target for other in held}
    owned -= set().union(*(bound_names(statements[index]) for index in shared))
    reads = read_before_rebound(statements[cut : site.end], owned, src.loc)
    # A model that goes on from an earlier model's output (the Functional guide's autoencoder,
    # ``x = Reshape(...)(encoder_output)`` and on): those lines do not use the inputs either.
    reads = reads or _read_through(src, statements[first:cut], statements[cut : site.end], owned)
    for name, loc in reads.items():
        other = next(other for other in reversed(held) if _binds(statements, other, name))
        # ``vae = Model(x, y)`` made twice over the same tensors: the first one by its line.
        same = other.name == site.name
        earlier_model = f"the `{other.name}` of line {other.loc.line}" if same else f"`{other.name}`"
        raise refuse(
            loc,
            f"`{name}` comes from the code of {earlier_model}: {'this ' if same else ''}`{site.name}` is"
            " built on that model's tensors or layers, a view of its graph, which only the Functional API"
            " can express",
            f"keep both `{site.name}` models Functional (--model picks the models to convert)"
            if same
            else f"keep `{site.name}` and `{other.name}` Functional (--model picks the models to convert)",
        )
    for other in held:
        for index in shared:
            if other.start <= index < other.end:
                other.shared.setdefault(index, []).append(site)
    return shared


def _read_through(src, skipped, kept, owned: set[str]) -> dict:
    """The names of ``owned`` that the lines ``kept`` read through lines ``skipped`` (as belonging
    to no model) that bind what ``kept`` reads, and where those lines read them."""
    wanted = set(read_before_rebound(kept, set().union(set(), *(bound_names(line) for line in skipped)), src.loc))
    for index in reversed(range(len(skipped))):
        line = skipped[index]
        if not bound_names(line) & wanted:
            continue
        # A name a skipped line above binds again is that line's (``x = ...(x)`` in the decoder).
        earlier = set().union(set(), *(bound_names(each) for each in skipped[:index]))
        found = read_before_rebound([line], owned - earlier, src.loc)
        if found:
            return found
        wanted |= set(read_before_rebound([line], earlier, src.loc))
    return {}


def settle(src, found: list[ModelSite], statements, later) -> None:
    """Drops from each model's ``escaping`` the shared ``Input`` names that only the later models
    building on them read: those models make their own input when they are converted."""
    for site in found:
        if not site.shared:
            continue
        names = set().union(*(bound_names(statements[index]) for index in site.shared))
        sharing = {id(other): other for others in site.shared.values() for other in others}.values()
        outside = [
            statement
            for index, statement in enumerate(statements[site.end :], site.end)
            if not any(other.start <= index < other.end for other in sharing)
        ]
        still = read_before_rebound([*outside, *later(site)], names, src.loc)
        site.escaping = tuple(
            (name, still[name] if name in still else loc)
            for name, loc in site.escaping
            if name not in names or name in still
        )


def shared_input_problem(site: ModelSite, converted: list[ModelSite]) -> Diagnostic | None:
    """Why ``site`` cannot be converted while a model sharing its input is not, if one is not."""
    for index, others in sorted(site.shared.items()):
        for other in others:
            if other in converted:
                continue
            names = ", ".join(f"`{name}`" for name in sorted(bound_names(site.block.body[index])))
            return Diagnostic(
                other.loc.line,
                other.loc.col,
                f"`{other.name}` is built on {names}, an input made with `{site.name}` (line {site.loc.line}),"
                f" which converting `{site.name}` takes away while `{other.name}` stays as it is",
                f"convert `{other.name}` too, or keep `{site.name}` Functional",
            )
    return None


def made_among(src, site: ModelSite, found: list[ModelSite], target: Style) -> Diagnostic | None:
    """A model made among the lines of another model that calls it (CapsNet's decoder, between the
    capsules and the models that use it) is a layer of that model while its code makes one object
    (``Sequential(...)``, a class); with the Functional API its lines make tensors, which that
    model would read as its own."""
    if target is not Style.FUNCTIONAL or site.style is Style.FUNCTIONAL or site.binding.target is None:
        return None
    name = site.binding.target
    for other in found:
        if other.block is not site.block or not other.start < site.start < other.end:
            continue
        body = other.block.body
        # Only tensors the model made before it and reads after it (CapsNet's capsules) put it inside
        # that model's code; its inputs and the other blocks made with it (bAbI's encoders) do not.
        blocks = {each.binding.target for each in found if other.start <= each.start < site.start}
        made = set().union(*(bound_names(line) - set(input_statement(src, line)) for line in body[other.start : site.start]))
        crossing = made - blocks
        after = body[site.end : other.end]
        if any(mentions(line, (name,)) for line in after) and any(mentions(line, crossing) for line in after):
            return Diagnostic(
                site.loc.line,
                site.loc.col,
                f"`{site.name}` is made among the lines of `{other.name}`, which calls it; written with the"
                f" Functional API its lines would make tensors inside `{other.name}`'s code",
                f"make `{site.name}` above the `keras.Input` lines of `{other.name}`, or keep it {site.style}"
                " (--model picks the models to convert)",
            )
    return None


def held_by(site: ModelSite, sites: list[ModelSite]) -> ModelSite | None:
    """The model whose own lines make ``site`` and take it as one of their named layers
    (``s = keras.Sequential([...])`` between a discriminator's inputs and its ``Model(...)``
    line): ``site`` is a layer of that model, its code moves with that model's, and that model's
    structure already holds it."""
    name = site.binding.target
    if name is None:
        return None
    # The layer is made by the very statement that binds ``site`` (the line it starts on): a
    # functional-subclass holds it in its ``__init__``, a block other than the class's own, as a
    # local or as an attribute (``self.encoder = keras.Sequential(...)``, keras-hub's form).
    names = {name, name.removeprefix("self.")}
    for other in sites:
        if other is site or other.graph is None:
            continue
        made = (layer for layer in other.graph.layers if layer.binding == "named" and layer.name in names)
        if any(layer.loc.line == site.loc.line for layer in made):
            return other
    return None


def held_alone(site: ModelSite, holder: ModelSite | None, target: Style) -> Diagnostic | None:
    """Why ``site``, a layer of ``holder`` made among its lines, cannot be converted while
    ``holder`` stays as it is: ``holder``'s layer would become another object in its own code."""
    if holder is None:
        return None
    return Diagnostic(
        site.loc.line,
        site.loc.col,
        f"`{site.name}` is made among the lines of `{holder.name}`, which uses it as a layer; converted"
        f" to {target} while `{holder.name}` stays as it is, it would change `{holder.name}`'s code",
        f"convert `{holder.name}` instead (`{site.name}` moves with it), or make `{site.name}` above the"
        f" lines of `{holder.name}`",
    )


def _uses(src, statement, names: set[str]) -> bool:
    """Whether ``statement`` reads or rebinds one of ``names`` (a class whose ``call`` has a
    parameter ``inputs`` does not read the module's ``inputs``)."""
    return mentions(statement, names) and bool(
        read_before_rebound([statement], names, src.loc) or bound_names(statement) & names
    )


def _binds(statements, site: ModelSite, name: str) -> bool:
    return any(name in bound_names(statements[index]) for index in range(site.start, site.end))

