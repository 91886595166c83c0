"""The notes a conversion adds beside its result: a model left as it is and why, a statement
that now runs after the model, the models that would convert alone in a refused file."""

from __future__ import annotations

import libcst as cst

from .ir.reads import names_read
from .parse.instances import instantiations
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
    user = None if picked else shapeless_block(src, site, found, layer_reads)
    return None if user is None else shapeless_note(site, user)


def shapeless_block(
    src: SourceFile, site: ModelSite, sites: list[ModelSite], layer_reads: dict[str, frozenset[str]]
) -> str | None:
    """What uses a Sequential with no input shape as a layer: another model of the file, or one of
    its Layer classes (``layer_reads``: the names each mentions), whose input decides the shape.
    None for one only called on data (``y_pred = model(X_batch)`` in a training loop): a model
    of its own."""
    if site.graph is None or all(node.args and not guessed(node) for node in site.graph.inputs_in_order()):
        return None
    names = _names(site)
    if any(names & _reads(src, other) for other in sites if other is not site):
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


def _reads(src: SourceFile, site: ModelSite) -> frozenset[str]:
    """The names a model's code reads; not the name it is bound to, which a tutorial gives
    each of its models (``model = ...``) without one using another."""
    if site.graph is not None:
        read = names_read(site.graph)
        # ``self._down(64)(x)``: a method of the object, read as an attribute of ``self``.
        methods = frozenset().union(*map(self_attributes_in, site.block.body[site.start : site.end]))
        return read | methods | _filled(site.block.body[: site.start], read) | _handed(src, site)
    # A model kept as it is (a view of another model's graph): what its own statements mention.
    mentioned = frozenset().union(*map(identifiers, site.block.body[site.start : site.end]))
    return mentioned - {site.binding.target}


def _filled(statements, read: frozenset[str]) -> frozenset[str]:
    """What the statements before a model that mention a name it reads mention too:
    ``stack = [self._down(64)]`` and ``for f in sizes: stack.append(self._down(f))`` ahead of
    ``for down in stack: x = down(x)`` hand the model the blocks ``_down`` returns, which it calls
    as layers (a method's name is read as an attribute of ``self``)."""
    filled: set[str] = set()
    # A definition the model reads (a Layer class of the file) is a use of its own (``layer_reads``).
    for statement in (s for s in statements if not isinstance(s, (cst.FunctionDef, cst.ClassDef))):
        if identifiers(statement) & (read - {"self"}):
            filled |= identifiers(statement) | self_attributes_in(statement)
    return frozenset(filled)


def _handed(src: SourceFile, site: ModelSite) -> frozenset[str]:
    """What the lines making a model class's instances read, and what fills those names before
    them: ``UNet(stack=stack)`` after ``stack = [self._down(64)]`` hands the class the blocks it
    calls (a graph model class, written by a conversion, is given them so)."""
    made = site.block.body[site.start]
    if not isinstance(made, cst.ClassDef):
        return frozenset()
    handed: set[str] = set()
    for block, index, _ in instantiations(src.module, made.name.value):
        read = identifiers(block.body[index])
        handed |= read | _filled(block.body[:index], read)
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
