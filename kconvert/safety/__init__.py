"""The static safety check every conversion passes before anything is written.

Like black's ``--safe``, but for models and without TensorFlow: the converted
text must compile on this interpreter, read no name that is not bound where it
is read (``names.py``), and give the same layer graphs as the original when it
is read back (``same_graph.py``).  A conversion that fails is kconvert's own bug, so it is
refused as an internal error naming the construct and line; ``--verify``
stays the proof in TensorFlow.
"""

from __future__ import annotations

from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from ..types import Diagnostic, Options
from .names import new_unbound_names
from .same_graph import changed_model

__all__ = ["check_conversion"]


def check_conversion(
    before: SourceFile, sites: list[ModelSite], text: str, options: Options
) -> Diagnostic | None:
    """Why the converted ``text`` cannot be trusted, or None when it passes."""
    # Parsing checks with this interpreter's compiler first (parse/syntax.py): libcst alone
    # reads grammars this Python rejects.
    after = SourceFile.parse(text)
    if isinstance(after, Diagnostic):
        return _internal(sites[0], f"the converted file does not parse here ({after.message})")
    unbound = new_unbound_names(before, after)
    if unbound:
        name, line = unbound[0]
        site = _site_near(sites, line)
        return _internal(site, f"the converted code would read `{name}`, which is not defined where it is read")
    changed = changed_model(before, sites, after, options)
    if changed is not None:
        site, why = changed
        return _internal(site, why)
    return None


def _site_near(sites: list[ModelSite], line: int) -> ModelSite:
    """The last model that starts before ``line`` of the output (the one whose code reads the name)."""
    before = [site for site in sites if site.loc.line <= line]
    return before[-1] if before else sites[0]


def _internal(site: ModelSite, why: str) -> Diagnostic:
    return Diagnostic(
        site.loc.line,
        site.loc.col,
        f"internal error: kconvert's conversion of `{site.name}` failed its safety check: {why};"
        " nothing was written",
        "please report this with the model's code; converting to another style, or --model to"
        " leave this model out, may work meanwhile",
    )
