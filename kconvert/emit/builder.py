"""Wrapping emitted model code in a builder function.

A subclass becomes a function with the constructor's parameters, named like the
class: ``MLP(use_bn=True)`` then still makes the model wherever the class was
instantiated, unchanged, as ``keras.applications.ResNet50(...)`` does.
"""

from __future__ import annotations

from ..ir.model_parts import Param, Remark
from .render import Layout, format_block
from .string_lines import indented


def signature(params: tuple[Param, ...]) -> str:
    return ", ".join(_param_text(param) for param in params)


def _param_text(param: Param) -> str:
    if param.annotation is None:
        default = f"={param.default.text}" if param.default is not None else ""
        return f"{param.star}{param.name}{default}"
    default = f" = {param.default.text}" if param.default is not None else ""
    return f"{param.star}{param.name}: {param.annotation.text}{default}"


def said_signature(params: tuple[Param, ...], remarks: tuple[Remark, ...]) -> str:
    """The signature, with what the class said of the line storing each parameter (``self.units =
    units  # width``) beside or above that parameter, one to a line as black writes a signature
    holding comments; on one line when nothing was said.  What was said under the stored line
    goes above the parameter: under it, it would read as said of the next one."""
    said = {param.name: _said_of(param, remarks) for param in params}
    if not any(said.values()):
        return signature(params)
    lines = []
    for param in params:
        mine = said[param.name]
        end = next((remark for remark in mine if remark.beside), None)
        lines += [f"    {remark.text}" for remark in mine if remark is not end]
        lines.append(f"    {_param_text(param)}," + (f"  {end.text}" if end is not None else ""))
    return "\n" + "\n".join(lines) + "\n"


def _said_of(param: Param, remarks: tuple[Remark, ...]) -> list[Remark]:
    """The comments of the line where the class stored ``param``."""
    if param.loc is None:
        return []
    return [remark for remark in remarks if remark.text and remark.line == param.loc.line]


def as_builder(
    name: str,
    params: tuple[Param, ...],
    body: str,
    indent: int,
    layout: Layout,
    doc: str | None = None,
    remarks: tuple[Remark, ...] = (),
) -> str:
    """``def name(params):`` around ``body``, code that ends in ``return <model>``; the class's
    docstring ``doc`` becomes the function's, and what it said of storing a parameter is said of
    that parameter."""
    if doc is not None:
        body = f"{doc}\n{body}"
    return format_block(f"def {name}({said_signature(params, remarks)}):\n{indented(body, '    ')}", indent, layout)
