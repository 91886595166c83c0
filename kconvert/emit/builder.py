"""Wrapping emitted model code in a builder function.

A subclass becomes a function with the constructor's parameters, named like the
class: ``MLP(use_bn=True)`` then still makes the model wherever the class was
instantiated, unchanged, as ``keras.applications.ResNet50(...)`` does.
"""

from __future__ import annotations


from ..ir.model_parts import Param
from .render import Layout, format_block
from .string_lines import indented


def signature(params: tuple[Param, ...]) -> str:
    parts = []
    for param in params:
        if param.annotation is None:
            default = f"={param.default.text}" if param.default is not None else ""
            parts.append(f"{param.star}{param.name}{default}")
        else:
            default = f" = {param.default.text}" if param.default is not None else ""
            parts.append(f"{param.star}{param.name}: {param.annotation.text}{default}")
    return ", ".join(parts)


def as_builder(
    name: str, params: tuple[Param, ...], body: str, indent: int, layout: Layout, doc: str | None = None
) -> str:
    """``def name(params):`` around ``body``, code that ends in ``return <model>``; the class's
    docstring ``doc`` becomes the function's."""
    if doc is not None:
        body = f"{doc}\n{body}"
    return format_block(f"def {name}({signature(params)}):\n{indented(body, '    ')}", indent, layout)
