"""A plain class's layer-building method as a block: what it reads of the object its parameters.

``self._conv_block(x, strides=2)`` reading ``self.nb_filters`` is, for the model, the
function ``conv_block(x, nb_filters, strides=1)`` called with ``nb_filters=self.nb_filters``:
the object's attribute is read when the call runs, while the model is built, so it is a
constant of the model as a function's argument is.  The block is read from the method as
any helper's is (parse/helper_blocks.py), then each ``self.<attr>`` of its code is the
parameter named as parse/method_functions.py names it for a class that builds a graph,
placed before the first parameter with a default; each call passes the attributes where
the block takes them, by position when the call's own arguments reach there, by keyword
otherwise (a positional argument past them moves to its keyword).  The model then reads
``self.nb_filters`` in the block's arguments, which parse/self_reads.py makes its own
parameter as it does every other read of the object.

A method whose code uses ``self`` otherwise (itself, a layer or method of the object that
is no block) is no block: its calls are written out, where those uses are refused or kept.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..ir.graph import Graph, walk
from ..ir.model_parts import Param
from ..ir.nodes import Op
from ..ir.source_text import Arg, Code
from ..ir.texts import transform_texts, visit_texts
from .names_in import identifiers
from .self_uses import SelfUses, attribute_parameters, self_attribute


def with_self_params(graph: Graph, definition: cst.FunctionDef) -> tuple[Graph, dict[str, str]] | None:
    """The block ``graph`` read from the method ``definition`` with each attribute it reads a
    parameter, and ``{attr: parameter}``; None when its code uses ``self`` in another way."""
    blocks = {node.helper.name for node in walk(graph.body) if isinstance(node, Op) and node.helper and node.helper.block}
    uses = SelfUses()
    visit_texts(graph, uses)
    if uses.bare or uses.assigned or set(uses.called) - blocks:
        return None
    # In the order the method's code first reads them, as a person lists a function's parameters;
    # those read only through a method it calls after.
    written = SelfUses()
    definition.body.visit(written)
    attrs = [attr for attr in dict.fromkeys([*written.reads, *uses.reads]) if attr not in blocks]
    if not attrs:
        return graph, {}
    names = attribute_parameters(attrs, set(identifiers(definition)) - {"self"})
    graph = lifted_texts(graph, names)
    at = first_default(graph.params)
    params = (*graph.params[:at], *(Param(name) for name in names.values()), *graph.params[at:])
    return replace(graph, params=params), names


def first_default(params: tuple[Param, ...]) -> int:
    return next((index for index, param in enumerate(params) if param.default is not None or param.star), len(params))


def with_self_args(args: tuple[Arg, ...], params: tuple[Param, ...], lifted: dict[str, str]) -> tuple[Arg, ...]:
    """A call's arguments ``args`` (not tensors) to the block of ``params`` (its lifted
    attributes among them, ``lifted``) with ``self.<attr>`` passed for each attribute."""
    if not lifted:
        return args
    own = tuple(param for param in params if param.name not in lifted.values())
    at = first_default(own)
    positional = [arg for arg in args if arg.keyword is None and not arg.star]
    keywords = [arg for arg in args if arg.keyword is not None or arg.star]
    if len(positional) < at:
        # A parameter before them is given by keyword: so are they.
        given = [Arg(Code(f"self.{attr}"), name) for attr, name in lifted.items()]
        return (*positional, *given, *keywords)
    # A positional argument past them would land on one of them: it moves to its keyword.
    moved = [replace(arg, keyword=own[index].name) for index, arg in enumerate(positional[at:], start=at)]
    given = [Arg(Code(f"self.{attr}")) for attr in lifted]
    return (*positional[:at], *given, *moved, *keywords)


def lifted_texts(graph: Graph, names: dict[str, str]) -> Graph:
    """``graph`` with each ``self.<attr>`` of ``names`` (attribute → parameter) its parameter;
    ``self.<method>`` of a method helper's call stays."""
    return transform_texts(graph, _Lift(names))


class _Lift(cst.CSTTransformer):
    """``self.<attr>`` → its parameter."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        attr = self_attribute(original)
        if attr is None or attr not in self.names:
            return updated
        return cst.Name(self.names[attr], lpar=updated.lpar, rpar=updated.rpar)
