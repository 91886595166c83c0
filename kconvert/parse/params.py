"""The parameters of a builder function that its model reads.

A model built inside ``def build_model(num_classes=10, hidden=64)`` reads
``num_classes`` and ``hidden``; as a subclass they become constructor
parameters with the same defaults, passed on where the function made the model.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..ir.model_parts import Param
from ..ir.reads import expression_names, names_read
from ..ir.source_text import Code
from .sites import ModelSite
from .source import SourceFile


def with_builder_params(src: SourceFile, site: ModelSite) -> None:
    """Records in ``site.graph`` the enclosing function's parameters that the model reads."""
    if site.graph is None or site.scope is None:
        return
    function = _enclosing_function(src, site.block)
    if function is None:
        return
    params = function.params
    # What the model's layers and expressions read besides the arguments of its constructor
    # (``Sequential([...], **kwargs)``); a statement's read is another's to refuse
    # (``get_submodules_from_kwargs(kwargs)``, handed_modules.py).
    layers_read = expression_names(replace(site.graph, extra=()))
    for star, param in (("*", params.star_arg), ("**", params.star_kwarg)):
        if isinstance(param, cst.Param) and param.name.value in layers_read and site.star_read is None:
            site.star_read = star + param.name.value
    if site.graph.params:
        return
    read = names_read(site.graph)
    # Where each stands in the signature, for what is said beside it (``units=8,  # width``).
    found = [
        replace(source_param(src, param), loc=src.loc(param))
        for param in (*params.posonly_params, *params.params, *params.kwonly_params)
        if param.name.value in read and param.name.value not in ("self", "cls")
    ]
    if found:
        site.graph = replace(site.graph, params=tuple(found))


def source_param(src: SourceFile, param: cst.Param) -> Param:
    """A parameter as the source writes it: its name, its default and its annotation."""
    default = Code(src.code(param.default)) if param.default is not None else None
    annotation = Code(src.code(param.annotation.annotation)) if param.annotation is not None else None
    return Param(param.name.value, default, annotation=annotation)


def _enclosing_function(src: SourceFile, node: cst.CSTNode) -> cst.FunctionDef | None:
    while node is not None and not isinstance(node, cst.FunctionDef):
        node = src.parent(node)
    return node
