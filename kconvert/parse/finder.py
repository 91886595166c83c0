"""Finding every model a file defines and lifting each one into the IR.

Models are looked for in the module body and in the bodies of functions (builder
functions) and of compound statements (``if __name__ == "__main__":``, its ``else``,
``with strategy.scope():``, a loop that builds an ensemble, a ``try``), as
``name = Sequential(...)`` / ``return Sequential(...)`` (plus the ``.add()``
statements that follow) and ``name = Model(inputs, outputs)`` /
``return Model(...)``, and module-level ``keras.Model`` subclasses
(parse/subclass/lift.py); one nested in a class is found to be refused (parse/nested_classes.py).  Each becomes a ``ModelSite``; a model that cannot be
lifted keeps its diagnostic instead of a graph.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..ir.nodes import Call
from ..types import Diagnostic, Options, Style
from .after_site import after_block, bound_and_read_later, code_after, parameter_graph_uses, site_graph_uses, top_level_bound
from .builder import Refusal, refuse
from .comments import with_remarks
from .docstrings import with_docstrings
from .functional_site import KEEPS_VIEWS, derived_from, functional_graph
from .functional_subclass import functional_subclass_sites
from .keras_library import mixed_keras
from .keras_names import MODEL, SEQUENTIAL, is_legacy
from .later_reads import read_before_rebound, read_later
from .names_in import bound_names
from .memo import remembered
from .model_call import model_arguments
from .model_classes import local_base
from .nested_classes import nested_model_sites
from .params import with_builder_params
from .read_order import early_read
from .sequential.items import layers_arg
from .sequential.site import sequential_graph
from .shadowed import shadowed_keras
from .shared_inputs import settle
from .sites import Binding, ModelSite
from .source import SourceFile
from .subclass.lift import subclass_sites
from .used_names import used_names
from .walk import walk


def find_sites(src: SourceFile, options: Options) -> list[ModelSite]:
    with remembered():
        return _find_sites(src, options)


def _find_sites(src: SourceFile, options: Options) -> list[ModelSite]:
    sites: list[ModelSite] = []
    for block, scope in _blocks(src.module):
        statements = tuple(block.body)
        found = []
        for index, statement in enumerate(statements):
            site = _site_at(src, block, scope, statements, index, options, found)
            if site is not None:
                with_builder_params(src, site)
                found.append(site)
        settle(src, found, statements, lambda site: after_block(src, site.block))
        later = read_later(statements, {site.end for site in found})
        for site in found:
            site.used_names = used_names(src, site, statements, later[site.end])
        sites.extend(found)
    sites.extend(subclass_sites(src, options))
    sites.extend(functional_subclass_sites(src, options))
    sites.extend(nested_model_sites(src))
    _inherit_input_shapes(sites)
    shadow = shadowed_keras(src) if sites else None
    for site in sites:
        # A mix of Keras 2 and 3 comes first: the lifter may have stumbled on it already.
        mixed = None if site.container else mixed_keras(src, site)
        site.problem = mixed or site.problem or shadow or early_read(src, site)
        with_remarks(src, site)
        if site.graph is not None:
            with_docstrings(src, site)
    return sorted(sites, key=lambda site: (site.loc.line, site.loc.col))


def _inherit_input_shapes(sites: list[ModelSite]) -> None:
    """``Sequential([model, Softmax()])``: a model whose first layer is another model of the
    file takes that model's input shape, as Keras does when it builds it."""
    shaped = {
        site.binding.target: inputs[0]
        for site in sites
        if site.graph is not None
        and site.binding.target is not None
        and len(inputs := site.graph.inputs_in_order()) == 1
        and inputs[0].args
    }
    for site in sites:
        graph = site.graph
        if graph is None or len(inputs := graph.inputs_in_order()) != 1 or inputs[0].args:
            continue
        first = next((node for node in graph.body if isinstance(node, Call)), None)
        layer = graph.layer(first.layer) if first is not None else None
        if layer is None or layer.binding != "external" or layer.reference.text not in shaped:
            continue
        if not (first.args and first.args[0].value.values == (inputs[0].out,)):
            continue
        given = shaped[layer.reference.text]
        body = tuple(
            replace(node, args=given.args) if node is inputs[0] else node for node in graph.body
        )
        site.graph = replace(graph, body=body)


def _blocks(module: cst.Module):
    """Statement blocks that may hold a model, with the enclosing function's name.

    Every block of a compound statement counts (an ``if`` and its ``else``, a loop's body, a
    ``try``'s clauses, a ``with``): a model made in one that is not found would be left in its
    style while the file's other models convert.  A class's own body is the class's business.
    """
    found = [(module, None)]

    class Visitor(cst.CSTVisitor):
        def __init__(self) -> None:
            self.functions: list[str] = []
            self.owned: list[cst.CSTNode] = []  # bodies of defs and classes: found apart, or not blocks
            self.in_class: list[bool] = [False]

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.functions.append(node.name.value)
            self.in_class.append(False)
            self.owned.append(node.body)
            if isinstance(node.body, cst.IndentedBlock):
                found.append((node.body, node.name.value))

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.functions.pop()
            self.in_class.pop()

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.in_class.append(True)
            self.owned.append(node.body)

        def leave_ClassDef(self, node: cst.ClassDef) -> None:
            self.in_class.pop()

        def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
            if not self.in_class[-1] and not any(node is body for body in self.owned):
                found.append((node, self.functions[-1] if self.functions else None))

    walk(module, Visitor())
    return found


def _model_statement(src: SourceFile, statement: cst.BaseStatement):
    """``(binding, call, style, root)`` for ``x = Sequential(...)``-like statements, else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        binding, value = Binding(small.targets[0].target.value), small.value
    elif isinstance(small, cst.Assign) and len(small.targets) == 1 and _is_self_attribute(small.targets[0].target):
        # ``self.encoder = keras.Sequential([...])`` in a container's __init__ (a GAN, a VAE).
        binding, value = Binding(src.code(small.targets[0].target)), small.value
    elif isinstance(small, cst.Return) and small.value is not None:
        binding, value = Binding(None), small.value
    else:
        return None
    # ``keras.Sequential([...])(x)`` calls a model made inline: that is a layer
    # call inside another model, not a model of its own.
    if not isinstance(value, cst.Call) or not isinstance(value.func, (cst.Name, cst.Attribute)):
        return None
    keras = src.keras(value.func)
    if keras is None:
        root = local_base(src, value.func)
        if root is not None and model_arguments(value) is not None:
            return binding, value, Style.FUNCTIONAL, root
        return _legacy_model(src, binding, value)
    if keras.path in SEQUENTIAL:
        return binding, value, Style.SEQUENTIAL, keras.root
    if keras.path in MODEL and model_arguments(value) is not None:
        return binding, value, Style.FUNCTIONAL, keras.root
    return None


def _in_forward_class(src: SourceFile, block: cst.CSTNode) -> bool:
    """Whether ``block`` is a method body of a class that has a ``call()``."""
    node = src.parent(block)
    while node is not None and not isinstance(node, cst.ClassDef):
        node = src.parent(node)
    return node is not None and any(
        isinstance(item, cst.FunctionDef) and item.name.value == "call" for item in node.body.body
    )


def _is_self_attribute(target: cst.BaseExpression) -> bool:
    return isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self"


def _legacy_model(src: SourceFile, binding: Binding, call: cst.Call):
    """A model made through a Keras 2 internal path, kept as a site so it can be refused by name."""
    legacy = src.legacy_keras(call.func)
    if legacy is None or legacy.rsplit(".", 1)[-1] not in ("Sequential", "Model"):
        return None
    return binding, call, Style.SEQUENTIAL if legacy.endswith("Sequential") else Style.FUNCTIONAL, legacy


def _placeholder(src: SourceFile, call: cst.Call, target: str | None, after) -> bool:
    """``model = Sequential()`` that the block binds again before anything reads it (``model =
    Model(inputs, outputs)`` a few lines on): a name made ready, never a model Keras builds."""
    if target is None or "." in target or layers_arg(call) is not None:
        return False
    if target in read_before_rebound(after, {target}, src.loc):
        return False
    return any(target in bound_names(statement) for statement in after)


def _site_at(src, block, scope, statements, index, options: Options, earlier) -> ModelSite | None:
    found = _model_statement(src, statements[index])
    if found is None:
        return None
    binding, call, style, root = found
    if binding.target is not None and "." in binding.target and _in_forward_class(src, block):
        # A block of a subclass that has a forward pass is one of its layers, not a model.
        return None
    if style is Style.SEQUENTIAL and _placeholder(src, call, binding.target, statements[index + 1 :]):
        return None
    name = binding.target or scope or "model"
    site = ModelSite(name, style, src.loc(statements[index]), scope, binding, block, index, index + 1)
    site.root, site.constructor = root, call.func
    try:
        if is_legacy(root):
            raise refuse(
                src.loc(call),
                f"`{root}` is a Keras 2 internal path that Keras 3 does not have",
                "import from `keras` or `tensorflow.keras` instead; kconvert keeps the path a file uses",
            )
        site.view = derived_from(src, call, statements[:index]) if style is Style.FUNCTIONAL else None
        if site.view is not None:
            # ``keras.Model(base.input, base.layers[-2].output)``: a view of another model's graph.
            site.problem = Diagnostic(
                site.loc.line,
                site.loc.col,
                f"`{name}` is built from another model's tensors (`{site.view[0]}`): it is a view of that"
                " model's graph, which only the Functional API can express",
                f"keep `{name}` Functional (--model picks the models to convert); {KEEPS_VIEWS}",
            )
        elif style is Style.SEQUENTIAL:
            site.graph = sequential_graph(src, site, statements, call, options)
            # As the Functional parser keeps them: a layer made by name that later code reads.
            named = {layer.name for layer in site.graph.layers if layer.binding == "named"}
            site.kept_layers = frozenset(read_before_rebound(code_after(src, site, statements), named, src.loc))
        else:
            site.graph = functional_graph(src, site, statements, call, earlier)
        if site.graph is not None:
            site.statement_reads = bound_and_read_later(src, site, statements)
        if scope is None and site.graph is not None:
            site.kept_layers |= top_level_bound(site.graph, site.statement_reads)
    except Refusal as refusal:
        site.problem = refusal.diagnostic
    site.graph_uses = site_graph_uses(src, site, statements)
    site.parameter_uses = parameter_graph_uses(src, site, statements)
    return site
