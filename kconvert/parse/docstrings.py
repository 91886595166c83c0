"""The docstrings of a model's code: its class's or builder function's, and those of the class's
``__init__`` and ``call``, recorded in its graph as written (quotes included), so that every style
says them again where it writes what they describe."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from .model_classes import is_docstring
from .sites import ModelSite
from .source import SourceFile


def with_docstrings(src: SourceFile, site: ModelSite) -> None:
    """Record the docstrings of ``site``'s class or builder, and of the class's constructor and
    forward pass, in ``site.graph``."""
    doc, init_doc, call_doc = None, None, None
    if isinstance(site.block, cst.Module):
        holder = site.block.body[site.start]
        if isinstance(holder, cst.ClassDef):
            doc = docstring(src, holder.body.body)
            methods = {
                statement.name.value: statement for statement in holder.body.body if isinstance(statement, cst.FunctionDef)
            }
            init_doc, call_doc = (docstring(src, _body(methods[name])) if name in methods else None for name in ("__init__", "call"))
    elif isinstance(src.parent(site.block), cst.FunctionDef):
        doc = docstring(src, site.block.body)
    site.graph = replace(site.graph, doc=doc, init_doc=init_doc, call_doc=call_doc)


def _body(function: cst.FunctionDef) -> tuple[cst.BaseStatement, ...]:
    return tuple(function.body.body) if isinstance(function.body, cst.IndentedBlock) else ()


def docstring(src: SourceFile, body) -> str | None:
    """The docstring opening ``body``, as written."""
    if not body or not is_docstring(body[0]):
        return None
    return src.code(body[0].body[0].value)
