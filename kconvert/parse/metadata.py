"""libcst's scope analysis of a module, as ``MetadataWrapper`` resolves it, without its idle passes.

``ScopeProvider`` and the ``ExpressionContextProvider`` it depends on are batchable
providers that do all their work in ``visit_Module``, each with a visitor of its own.
The wrapper runs each inside a batched traversal of the whole module, which then
walks (and rebuilds) every other node calling nothing, and before that asks
``inspect.getmembers`` for each provider's hooks: two thirds of the scope analysis
of a small file.  Calling the two ``visit_Module`` directly, in the wrapper's order,
computes the same mapping.  Should a libcst release give either provider another
hook, the wrapper is used as before.
"""

from __future__ import annotations

from functools import cache
from typing import Mapping

import libcst as cst
from libcst.metadata import ExpressionContextProvider, MetadataWrapper, ScopeProvider


def scopes(wrapper: MetadataWrapper) -> Mapping[cst.CSTNode, object]:
    """Each node's scope, as ``wrapper.resolve(ScopeProvider)`` gives it."""
    if not _only_visit_module():
        return wrapper.resolve(ScopeProvider)
    context = ExpressionContextProvider()
    context.visit_Module(wrapper.module)
    provider = ScopeProvider()
    # What ``provider.resolve(wrapper)`` would set: the metadata of its one dependency.
    provider.metadata = {ExpressionContextProvider: context._computed}
    provider.visit_Module(wrapper.module)
    return provider._computed


@cache
def _only_visit_module() -> bool:
    """Both providers' hooks are ``visit_Module`` alone, and the scopes depend on the
    expression contexts alone (asked once: ``get_visitors`` is the slow part)."""
    dependencies = (ExpressionContextProvider.METADATA_DEPENDENCIES, ScopeProvider.METADATA_DEPENDENCIES)
    return dependencies == ((), (ExpressionContextProvider,)) and all(
        set(provider().get_visitors()) == {"visit_Module"} and provider.gen_cache is None
        for provider in (ExpressionContextProvider, ScopeProvider)
    )
