"""The arguments a file passes to a builder or model class that it never binds to a variable.

A builder with parameters that have no default cannot be called bare
(``def Coupling(input_shape)``); when the file itself calls it somewhere with
literal arguments only (``[Coupling(2) for i in range(n)]`` in a class,
``make_transform(10)(x)``), the model is built the way that call builds it.
Literal arguments mean the same wherever the call is, so nothing the call's
scope binds is needed; a call with any other argument is not used.
"""

from __future__ import annotations

import ast

import libcst as cst
import libcst.matchers as m

from .source import SourceIndex


def required(node: cst.BaseStatement) -> list[str]:
    """The parameters of a builder, or of a class's ``__init__``, that have no default."""
    method = False
    if isinstance(node, cst.ClassDef):
        inits = [
            stmt
            for stmt in node.body.body
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "__init__"
        ]
        node, method = (inits[0], True) if inits else (node, False)
    if not isinstance(node, cst.FunctionDef):
        return []
    params = node.params
    listed = [*params.posonly_params, *params.params][1 if method else 0 :]
    return [p.name.value for p in (*listed, *params.kwonly_params) if p.default is None]


def literal_arguments(index: SourceIndex, name: str) -> str | None:
    """The arguments of the file's first call of ``name`` whose arguments are all
    literals, as code; None if there is no such call."""
    for stmt in index.statements:
        for call in m.findall(stmt.node, m.Call(func=m.Name(name))):
            code = _literal(cst.ensure_type(call, cst.Call))
            if code is not None:
                return code
    return None


def _literal(call: cst.Call) -> str | None:
    parts = []
    for arg in call.args:
        if arg.star:
            return None
        value = cst.Module(body=[]).code_for_node(arg.value)
        try:
            ast.literal_eval(value.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
        keyword = f"{arg.keyword.value}=" if arg.keyword is not None else ""
        parts.append(f"{keyword}{' '.join(value.split())}")
    return ", ".join(parts) if parts else None
