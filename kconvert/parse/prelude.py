"""Statements of a builder function that only prepare the model's arguments.

``init = keras.initializers.RandomNormal(0, 0.02)``, ``conv_args = {...}`` or
``backbone.trainable = False`` right before the model, in the function that
builds it, belong to the model's code: a subclass made from that function needs
them in its constructor.  The run of such statements just before the model
(each binding or configuring a name that the model, or a statement after it in
the run, reads) is taken into the model's statements, where every style writes
it back out verbatim.
"""

from __future__ import annotations

import libcst as cst

from ..ir.nodes import Stmt
from .names_in import bound_names, configured_name, identifiers, if_branches
from .names_in import reads as names_read
from .sequential.items import makes_model
from .sites import ModelSite
from .source import SourceFile


def prelude(src: SourceFile, before, region, holder: str | None = None) -> list[cst.SimpleStatementLine]:
    """The statements at the end of ``before`` that ``region`` (transitively) reads.

    ``holder`` is ``self`` for a model bound to ``self.encoder``: the region names it to store the
    model, which reads nothing ``self.latent_dim = latent_dim`` above it sets up.  Nor does a model
    that reads ``self.num_classes`` read what ``self.num_classes = 10`` prepares: that sets up the
    object whose method makes the model, which stays where it is (a class target passes the
    model the attribute, parse/self_reads.py)."""
    reads = read_first(region) - {holder, "self"}
    found: list[cst.BaseStatement] = []
    for statement in reversed(before):
        bound = _prepares(src, statement)
        if not bound & reads:
            break
        found.insert(0, statement)
        reads = (reads - bound) | identifiers(statement)
    return found


def read_first(region) -> set[str]:
    """The names ``region`` reads before one of its own assignment lines binds them: a script
    that tries a graph first (``inputs = keras.Input(...)``, ``x = Dense(4)(inputs)``) and then
    makes the model's own ``inputs`` and ``x`` prepares nothing of the model with its try."""
    read: set[str] = set()
    bound: set[str] = set()
    for statement in region:
        read |= names_read(statement) - bound
        if isinstance(statement, cst.SimpleStatementLine):
            bound |= bound_names(statement)
    return read


def _prepares(src: SourceFile, statement: cst.BaseStatement) -> set[str]:
    """What a statement of plain assignments binds or configures; nothing for any other statement.

    An ``if`` whose branches only assign counts (``if channels_first: input_shape = (1, 8, 8)
    else: input_shape = (8, 8, 1)``, the Keras Applications' data-format choice); a statement
    that makes another model is that model's own site, never this one's preparation.
    """
    if isinstance(statement, cst.If):
        bound: set[str] = set()
        for suite in if_branches(statement):
            if not isinstance(suite, cst.IndentedBlock):
                return set()
            for child in suite.body:
                made = _prepares(src, child)
                if not made:
                    return set()
                bound |= made
        return bound
    if not (
        isinstance(statement, cst.SimpleStatementLine)
        and all(isinstance(small, (cst.Assign, cst.AnnAssign)) for small in statement.body)
    ) or any(makes_model(src, small.value) for small in statement.body if isinstance(small.value, cst.Call)):
        return set()
    return set(bound_names(statement)) | _configured(statement)


def _configured(statement: cst.SimpleStatementLine) -> set[str]:
    """``backbone`` for ``backbone.trainable = False``: a statement that sets up what it names."""
    names = {configured_name(target.target) for small in statement.body for target in getattr(small, "targets", ())}
    return names - {None}


def verbatim(src: SourceFile, statement: cst.BaseStatement) -> Stmt:
    """A statement kept as written, as an IR node."""
    return Stmt(src.code(statement.with_changes(leading_lines=())).rstrip("\n"), src.loc(statement))


def take_prelude(src: SourceFile, site: ModelSite, statements) -> list[cst.SimpleStatementLine]:
    """Takes the statements that prepare the model's arguments in a builder function into the site."""
    if site.scope is None or not isinstance(site.block, cst.IndentedBlock):
        return []
    target = site.binding.target
    holder = target.split(".")[0] if target is not None and "." in target else None
    found = prelude(src, statements[: site.start], statements[site.start : site.end], holder)
    site.start -= len(found)
    site.prepared += len(found)
    return found
