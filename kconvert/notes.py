"""The notes a conversion adds beside its result: a model left as it is and why, a statement
that now runs after the model, the models that would convert alone in a refused file."""

from __future__ import annotations

import libcst as cst

from .ir.given_layers import layer_sources
from .ir.reads import names_read, statement_binds_anywhere
from .parse.instances import instance_call, instantiations
from .parse.names_in import bound_names, identifiers, self_attributes_in
from .parse.sequential.any_length import guessed
from .parse.sequential.callers import returns
from .parse.shared_inputs import held_by
from .parse.sites import ModelSite
from .parse.source import SourceFile
from .types import Diagnostic, Style


def left_note(
    src: SourceFile,
    site: ModelSite,
    found: list[ModelSite],
    sites: list[ModelSite],
    target: Style,
    picked: bool,
    layer_reads: dict[str, frozenset[str]],
) -> Diagnostic | None:
    """Why ``site``, not yet in the ``target`` style, is left as it is while the file's other
    models are converted (``found``: every model of the file; ``sites``: those asked for, all
    of them unless ``picked`` by ``--model``), or None when it is converted."""
    if site.style is target:
        return None
    if site.container:
        return site.problem
    # A model made among the lines of another one that takes it as a layer goes with that one.
    holder = held_by(site, found)
    if holder in sites and not holder.container:
        return held_note(site, holder)
    # A view of another model's graph is no definition: a graph target keeps it, and it works on.
    if site.view is not None and target is Style.FUNCTIONAL_SUBCLASS:
        return view_note(src, site, found)
    # A block such as a data-augmentation Sequential used inside another model cannot stand
    # alone without a shape, but the file's other models can still be converted.
    user = None if picked else shapeless_block(src, site, found, layer_reads, target is not Style.SUBCLASS)
    return None if user is None else shapeless_note(site, user)


def shapeless_block(
    src: SourceFile,
    site: ModelSite,
    sites: list[ModelSite],
    layer_reads: dict[str, frozenset[str]],
    graph_target: bool = True,
) -> str | None:
    """What uses a Sequential with no input shape as a layer: another model of the file, or one of
    its Layer classes (``layer_reads``: the names each mentions), whose input decides the shape.
    None for one only called on data (``y_pred = model(X_batch)`` in a training loop): a model
    of its own.  Only a ``graph_target`` needs a shape: to a subclass, a block the other models
    reach through a list or a method (``_reads``' ``held``) converts on its own."""
    if site.graph is None or all(node.args and not guessed(node) for node in site.graph.inputs_in_order()):
        return None
    names = _names(site)
    taken = frozenset(id(line) for other in sites for line in other.block.body[other.start : other.end])
    if any(names & _reads(src, other, taken, graph_target) for other in sites if other is not site):
        return "another model"
    layer = next((name for name, read in layer_reads.items() if names & read), None)
    return None if layer is None else f"the layer `{layer}`"


def _names(site: ModelSite) -> frozenset[str]:
    """The names other code uses this model by: the one it is bound to and, when a function
    returns it (``def downsample(...): result = keras.Sequential(); ...; return result``), the
    function's, whose every call makes one more such block."""
    target = site.binding.target
    names = frozenset() if target is None else frozenset({target})
    if site.scope is not None and (target is None or returns(site.block.body[site.end :], target)):
        names |= {site.scope}
    return names


def _reads(src: SourceFile, site: ModelSite, taken: frozenset[int], reached: bool = True) -> frozenset[str]:
    """The names a model's code reads; not the name it is bound to, which a tutorial gives
    each of its models (``model = ...``) without one using another.  With them, where its layers
    come from (``self._down(8)(x)``), and what fills before it, outside the lines of a model
    (``taken``), a name it takes layers from (ir/given_layers.layer_sources), unless not ``reached``."""
    if site.graph is not None and not reached:
        return names_read(site.graph)
    if site.graph is not None:
        held = layer_sources(site.graph)
        before = site.block.body[: site.start]
        return names_read(site.graph) | held | _filled(before, held, taken) | _handed(src, site, held, taken)
    # A model kept as it is (a view of another model's graph): what its own statements mention.
    mentioned = frozenset().union(*map(identifiers, site.block.body[site.start : site.end]))
    return mentioned - {site.binding.target}


def _filled(statements, held: frozenset[str], taken: frozenset[int]) -> frozenset[str]:
    """What the statements that fill a name a model takes layers from mention: ``stack =
    [self._down(64)]`` and ``for f in sizes: stack.append(self._down(f))`` ahead of ``for down in
    stack: x = down(x)`` hand the model the blocks ``_down`` returns (a method's name is read as an
    attribute of ``self``).  A definition the model reads is a use of its own (``layer_reads``)."""
    filled: set[str] = set()
    for statement in statements:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) or id(statement) in taken:
            continue
        if statement_binds_anywhere(cst.Module([]).code_for_node(statement)) & held:
            filled |= identifiers(statement) | self_attributes_in(statement)
    return frozenset(filled)


def _handed(src: SourceFile, site: ModelSite, held: frozenset[str], taken: frozenset[int]) -> frozenset[str]:
    """What the lines making a model class's instances hand the parameters it takes layers from,
    and what fills those names before them: ``UNet(stack=stack)`` after ``stack =
    [self._down(64)]`` (a graph model class, written by a conversion, is given its blocks so)."""
    made = site.block.body[site.start]
    if not isinstance(made, cst.ClassDef):
        return frozenset()
    params = [param.name for param in site.graph.params]
    handed: set[str] = set()
    for block, index, _ in instantiations(src.module, made.name.value):
        args = instance_call(block.body[index]).args
        for position, arg in enumerate(args):
            param = arg.keyword.value if arg.keyword is not None else params[position] if position < len(params) else None
            if param in held and not arg.star:
                names = identifiers(arg.value)
                handed |= names | _filled(block.body[:index], names, taken)
    return frozenset(handed)


def shapeless_note(site: ModelSite, user: str) -> Diagnostic:
    return Diagnostic(
        site.loc.line,
        site.loc.col,
        f"`{site.name}` has no input shape and is used as a block inside {user},"
        f" so it stays {site.style}; the models that use it are converted",
        f"to convert it too, pass --model {site.name} --input-shape D1,D2,...",
        severity="note",
    )


def held_note(site: ModelSite, holder: ModelSite) -> Diagnostic:
    """A model made among the lines of ``holder``, which uses it as a layer: it goes with ``holder``."""
    return Diagnostic(
        site.loc.line,
        site.loc.col,
        f"`{site.name}` is used as a block inside `{holder.name}`, among whose lines it is made:"
        f" it stays {site.style}, a layer of `{holder.name}` in any style",
        f"to convert it too, make it above the lines of `{holder.name}` and convert again",
        severity="note",
    )


def view_note(src: SourceFile, site: ModelSite, sites: list[ModelSite]) -> Diagnostic:
    """A view of another model's graph, kept as it is by a graph target. When a model of the file is
    the one it views, that model is still a graph once converted and its ``layers[i]`` are
    renumbered (later_uses.py), so the view reads the same tensors."""
    tensor, reached_by = site.view
    lines = range(site.loc.line, src.end_line(site.block.body[site.start]) + 1)
    made = _made_before(site, sites) or any(
        other is not site and any(loc.line in lines for _, loc in other.graph_uses) for other in sites
    )
    if made:
        kept = f"it stays as it is and keeps working, since `{reached_by}` is still a graph as a {Style.FUNCTIONAL_SUBCLASS}"
    else:
        kept = "it views a model this code does not make, so nothing in it needed to change"
    return Diagnostic(
        site.loc.line,
        site.loc.col,
        f"`{site.name}` is a view of the graph of `{reached_by}` (`{tensor}`), not a model definition: {kept}",
        severity="note",
    )


def _made_before(site: ModelSite, sites: list[ModelSite]) -> bool:
    """Whether the name the view reads its model by was last bound, in the view's block, by a model
    of the file: its own statement, or a call of the class or builder that makes it
    (``model = TinyCNN()``, ``model = build_model()``)."""
    reached_by = site.view[1]
    makers = {other.scope for other in sites if other.scope} | {o.name for o in sites if o.binding.target is None}
    for index in reversed(range(site.start)):
        statement = site.block.body[index]
        if reached_by not in bound_names(statement):
            continue
        if any(o.block is site.block and o.start <= index < o.end and o.binding.target == reached_by for o in sites):
            return True
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        value = small.value if isinstance(small, cst.Assign) else None
        return isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in makers
    return False


def convertible_note(converted: list[ModelSite], path: str) -> tuple[Diagnostic, ...]:
    """When some models of a refused file do convert, which ones: each can be converted alone."""
    if not converted:
        return ()
    names = ", ".join(f"`{site.name}`" for site in converted)
    first = converted[0].loc
    return (
        Diagnostic(
            first.line,
            first.col,
            f"nothing was converted, though {names} would convert on {'its' if len(converted) == 1 else 'their'} own",
            "pass --model NAME (NAME:LINE when models share a name) to convert one model and leave the"
            " others as they are",
            path,
            "note",
        ),
    )


def moved_note(src: SourceFile, statement: cst.BaseStatement) -> Diagnostic:
    loc = src.loc(statement)
    return Diagnostic(
        loc.line,
        loc.col,
        f"`{src.code(statement.with_changes(leading_lines=())).strip()}` ran between `.add()` calls;"
        " it now runs once the whole model is built",
        severity="note",
    )
