"""A function that returns the function it defines, called at once: ``conv_bn_relu(64)(x)``.

Keras 2 era builders (keras-contrib's and raghakot's ResNets, qubvel's models, the Packt
books) write a block as a closure: the outer function takes the block's settings, the inner
one the tensors, and each call of the pair makes new layers.  That is the helper
``conv_bn_relu(x, 64)`` spelled in two calls, so it is read as one: a ``def`` whose
parameters are the inner function's followed by the outer's, whose body is the outer's
statements and then the inner's, called with both calls' arguments.  A subclass then makes it
a Layer class as it does any helper (parse/helpers.py, helper_blocks.py); Functional code
keeps both calls as written.  A closure bound to a name first (``block = conv_bn_relu(64)``)
stays what it was: a callable object (``LayerDef.closure``).
"""

from __future__ import annotations

import libcst as cst

from .binds_anywhere import bound_anywhere
from .memo import once
from .model_classes import is_docstring
from .module_index import functions
from .source import SourceFile


def closure_helper(src: SourceFile, call: cst.Call) -> tuple[cst.FunctionDef, cst.Call] | None:
    """``(def, call)`` that read ``outer(...)(tensors)`` as one helper call, or None when
    ``call`` is no such call or its pair of functions cannot be read as one."""
    outer = call.func
    if not isinstance(outer, cst.Call) or not isinstance(outer.func, cst.Name):
        return None
    definition = functions(src.module).get(outer.func.value)
    merged = once("closure_helper", definition, lambda node: _merged(src, node)) if definition is not None else None
    if merged is None:
        return None
    function, inner = merged
    if len(call.args) != len(inner) or any(arg.keyword is not None or arg.star for arg in call.args):
        return None
    if any(arg.keyword is not None and arg.keyword.value in inner for arg in outer.args):
        return None
    return function, once("closure_call", call, lambda node: _joined(src, node))


def _joined(src: SourceFile, call: cst.Call) -> cst.Call:
    """``conv_bn_relu(x, 64)`` for ``conv_bn_relu(64)(x)``: the tensors first, as the joined
    ``def`` takes them, then the settings as the outer call gives them."""
    outer = call.func
    args = [*call.args, *outer.args]
    args = [src.stand_in(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT), arg) for arg in args]
    return src.stand_in(cst.Call(func=outer.func, args=args), call)


def _merged(src: SourceFile, definition: cst.FunctionDef) -> tuple[cst.FunctionDef, tuple[str, ...]] | None:
    """The outer function and its inner one as one ``def``, and the inner's parameters; None
    unless the outer ends by defining a plain function of positional parameters and returning it."""
    if not isinstance(definition.body, cst.IndentedBlock) or len(definition.body.body) < 2:
        return None
    *before, inner, last = definition.body.body
    returned = last.body[0] if isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1 else None
    if not (
        isinstance(returned, cst.Return)
        and isinstance(returned.value, cst.Name)
        and isinstance(inner, cst.FunctionDef)
        and inner.name.value == returned.value.value
        and not inner.decorators
        and inner.asynchronous is None
        and isinstance(inner.body, cst.IndentedBlock)
    ):
        return None
    params, settings = inner.params, definition.params
    if (
        params.posonly_params
        or params.kwonly_params
        or isinstance(params.star_arg, cst.Param)
        or params.star_kwarg is not None
        or any(param.default is not None for param in params.params)
        or settings.posonly_params
    ):
        return None
    names = tuple(param.name.value for param in params.params)
    taken = {param.name.value for param in (*settings.params, *settings.kwonly_params)}
    if not names or set(names) & taken or any(isinstance(statement, (cst.FunctionDef, cst.ClassDef)) for statement in before):
        return None
    if any(set(bound_anywhere(statement)) & taken for statement in before if not isinstance(statement, cst.SimpleStatementLine)):
        # ``if rates is None: rates = [1] * blocks`` (keras-contrib's ResNet): a helper written out
        # at its call puts the argument where the parameter is, and would assign to ``None``.
        return None
    tensors = tuple(src.stand_in(param.with_changes(comma=cst.MaybeSentinel.DEFAULT), param) for param in params.params)
    body = list(inner.body.body)
    body = body[1:] if body and is_docstring(body[0]) else body
    joined = definition.with_changes(
        params=src.stand_in(settings.with_changes(params=(*tensors, *settings.params)), settings),
        body=src.stand_in(definition.body.with_changes(body=(*before, *body)), definition.body),
    )
    return src.stand_in(joined, definition), names
