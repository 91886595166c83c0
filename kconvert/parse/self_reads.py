"""A model a method makes that reads attributes of its object: ``self.latent_dim`` as a parameter.

A GAN's ``build_generator(self)`` makes its model from ``self.latent_dim`` and
``self.img_shape``.  A class of its own at module level has no such object, so each attribute
the model reads becomes a parameter named after it (``latent_dim``), given by the line that makes
the model in the method (``Generator(latent_dim=self.latent_dim, ...)``), the way a builder's own
parameters are: the values are read at the same moment as before, in the same place.

What cannot be passed in that way is refused, naming it (parse/self_refusals.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import libcst as cst

from ..ir.graph import Graph, walk
from ..ir.model_parts import RESERVED_PARAMS, Param
from ..ir.nodes import Node, Op
from ..ir.reads import names_read
from ..ir.texts import visit_texts
from ..types import Diagnostic, Style
from .method_blocks import lifted_texts
from .method_functions import methods_as_functions
from .self_refusals import self_read_problem
from .self_uses import SelfUses, attribute_parameters, self_attribute
from .sites import ModelSite
from .source import SourceFile


def lifted_self_reads(src: SourceFile, site: ModelSite, target: Style) -> Graph | Diagnostic:
    """The site's graph with each ``self.<attr>`` it reads as a parameter of the same name
    (``Param.given`` the attribute), or why the model cannot take them so."""
    graph = site.graph
    if target is Style.FUNCTIONAL_SUBCLASS:
        # Its ``__init__`` calls the methods' module functions, given what they read of ``self``.
        graph = methods_as_functions(src, site, graph)
        if isinstance(graph, Diagnostic):
            return graph
        site = replace(site, graph=graph)
    uses = SelfUses()
    visit_texts(site.graph, uses)
    # A layer of the object (``self.encoder``), or one its method makes (``self.get_activation("relu")``).
    made = [code for layer in site.graph.layers for code in (layer.reference, layer.factory) if code is not None]
    uses.layers = [code.text for code in made]
    # ``self._conv_block(x)`` of a method helper: a subclass writes the method's body out in its
    # place, its own ``self.<attr>`` reads with it (parse/method_helpers.py), and a class that builds
    # a graph calls the method's module function; a call left in a helper's body is neither's.
    calls = method_helper_calls(site.graph.body)
    for block in site.graph.blocks:
        # A method block's class calls the methods it calls as blocks: they read no ``self``.
        calls += method_helper_calls(block.graph.body)
    for attr in calls.elements():
        uses.called.remove(attr)
        uses.reads.remove(attr)
    problem = self_read_problem(src, site, target, uses)
    if problem is not None:
        return problem
    # In the order the model's statements first read them, which is the order a person would list.
    order = SelfUses()
    for statement in site.block.body[site.start : site.end]:
        statement.visit(order)
    first = {attr: index for index, attr in reversed(list(enumerate(order.reads)))}
    names = _parameter_names(site, sorted(dict.fromkeys(uses.reads), key=lambda attr: first.get(attr, len(first))))
    graph = lifted_texts(site.graph, names)
    lifted = tuple(Param(name, given=f"self.{attr}") for attr, name in names.items())
    # Required parameters go before any with a default: the line that makes the model names each.
    defaulted = next((i for i, param in enumerate(graph.params) if param.default is not None or param.star), None)
    at = len(graph.params) if defaulted is None else defaulted
    return replace(graph, params=graph.params[:at] + lifted + graph.params[at:])


def method_helper_calls(body: tuple[Node, ...]) -> Counter[str]:
    """How many times ``body`` calls each method of the object as a helper (``self._conv_block(x)``),
    in the bodies of the helpers it calls too."""
    found: Counter[str] = Counter()
    for node in walk(body):
        helper = node.helper if isinstance(node, Op) else None
        if helper is None:
            continue
        call = cst.parse_expression(node.expr.text)
        if isinstance(call, cst.Call) and self_attribute(call.func) == helper.name:
            found[helper.name] += 1
        found += method_helper_calls(helper.body)
    return found


def _parameter_names(site: ModelSite, reads: list[str]) -> dict[str, str]:
    """Each attribute read, in order, with its parameter's name: the attribute's own without a
    leading ``_``, unless the model's code already reads or binds that name (``units_1`` then)."""
    # The class's constructor and call() see these, and nothing else of the method's.
    taken = set(names_read(site.graph)) | RESERVED_PARAMS
    return attribute_parameters(reads, taken)

