"""What ``super().__init__`` of a subclass's ``__init__`` passes on: ``name=`` (or a name
given by ``kwargs.setdefault("name", ...)``) and the keywords and ``**kwargs`` besides it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ...ir.model_parts import Param
from ...ir.source_text import Arg
from ..builder import refuse
from ..source import SourceFile

if TYPE_CHECKING:
    from .constructor import Init


def is_super_init(small: cst.BaseSmallStatement) -> bool:
    if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
        return False
    func = small.value.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "__init__"
        and isinstance(func.value, cst.Call)
        and isinstance(func.value.func, cst.Name)
        and func.value.func.value == "super"
    )


def super_args(src: SourceFile, call: cst.Call, found: Init) -> None:
    extra = []
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "name":
            found.name = arg.value
        elif arg.keyword is not None or arg.star == "**":
            extra.append(arg)
        else:
            # ``super().__init__(kwargs)``: a dict handed on whole, a slip for ``**kwargs``.
            raise refuse(
                src.loc(arg),
                f"`{src.code(arg.value)}` is passed to `super().__init__` by position; kconvert reads"
                " only keywords there (`name=...`, `**kwargs`), which a model class passes on",
                "pass it by keyword, or unpack a dict of them (`super().__init__(**kwargs)`); or keep the"
                " model a subclass",
            )
    found.extra = tuple(extra)


def default_name(small: cst.BaseSmallStatement, params: tuple[Param, ...]) -> cst.BaseExpression | None:
    """``value`` of ``kwargs.setdefault("name", value)``: the model's name, computed from the
    constructor's parameters (emit/serializable.py writes it), unless the caller gives one."""
    kwargs = next((param.name for param in params if param.star == "**"), None)
    if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
        return None
    call, func = small.value, small.value.func
    if not (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == kwargs
        and func.attr.value == "setdefault"
        and len(call.args) == 2
        and isinstance(call.args[0].value, cst.SimpleString)
        and call.args[0].value.evaluated_value == "name"
        and all(arg.keyword is None and not arg.star for arg in call.args)
    ):
        return None
    return call.args[1].value


def extra_args(init: Init, code) -> tuple[Arg, ...]:
    """``super().__init__`` keywords besides ``name=``, as model constructor arguments."""
    return tuple(
        Arg(
            code(arg.value),
            arg.keyword.value if arg.keyword else None,
            arg.star if isinstance(arg.star, str) else "",
        )
        for arg in init.extra
    )
