"""libcst's positions and scopes of a module, as ``MetadataWrapper`` resolves them, without its idle passes.

``wrapper.resolve`` ends every round of providers with a batched traversal of the
whole module, which walks (and rebuilds) every node even when no provider of the
round is batchable: resolving positions alone cost twice the positions.  The
scope analysis is two batchable providers, ``ExpressionContextProvider`` and the
``ScopeProvider`` that depends on it, which do all their work in ``visit_Module``
with visitors of their own; the wrapper runs each inside a traversal of the whole
module that then calls nothing, after asking ``inspect.getmembers`` for their
hooks: two thirds of the scope analysis of a small file.  Calling each provider
as the wrapper does, without those traversals, computes the same mappings.
Positions are generated one top-level statement at a time, when first asked
(``positions.py``).
Should a libcst release change what these providers depend on or how they work,
the wrapper is used as before.
"""

from __future__ import annotations

from functools import cache
from typing import Callable, Mapping

import libcst as cst
from libcst.metadata import (
    BatchableMetadataProvider,
    ExpressionContextProvider,
    MetadataWrapper,
    PositionProvider,
    ScopeProvider,
)

from .positions import Positions


def positions(wrapper: MetadataWrapper, parent: Callable[[cst.CSTNode], cst.CSTNode | None]) -> Mapping:
    """Each node's position, as ``wrapper.resolve(PositionProvider)`` gives it; generated for
    one top-level statement when a node of it is first asked about (``positions.py``)."""
    if not _as_expected():
        return wrapper.resolve(PositionProvider)
    return Positions(wrapper.module, parent)


def scopes(wrapper: MetadataWrapper) -> Mapping[cst.CSTNode, object]:
    """Each node's scope, as ``wrapper.resolve(ScopeProvider)`` gives it."""
    if not _as_expected():
        return wrapper.resolve(ScopeProvider)
    context = ExpressionContextProvider()
    context.visit_Module(wrapper.module)
    provider = ScopeProvider()
    # What ``provider.resolve(wrapper)`` would set: the metadata of its one dependency.
    provider.metadata = {ExpressionContextProvider: context._computed}
    provider.visit_Module(wrapper.module)
    return provider._computed


@cache
def _as_expected() -> bool:
    """The providers depend on what they did when this was written, and the scope
    analysis's hooks are ``visit_Module`` alone (asked once: ``get_visitors`` is slow)."""
    dependencies = tuple(
        provider.METADATA_DEPENDENCIES for provider in (PositionProvider, ExpressionContextProvider, ScopeProvider)
    )
    return (
        dependencies == ((), (), (ExpressionContextProvider,))
        and not issubclass(PositionProvider, BatchableMetadataProvider)
        and all(
            set(provider().get_visitors()) == {"visit_Module"} and provider.gen_cache is None
            for provider in (ExpressionContextProvider, ScopeProvider)
        )
        and PositionProvider.gen_cache is None
    )
