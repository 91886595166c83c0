"""Finding every model a file defines and lifting each one into the IR.

Models are looked for in the module body and in the bodies of functions (builder
functions) and ``if`` blocks (``if __name__ == "__main__":``), as
``name = Sequential(...)`` / ``return Sequential(...)`` (plus the ``.add()``
statements that follow) and ``name = Model(inputs, outputs)`` /
``return Model(...)``, and module-level ``keras.Model`` subclasses
(parse/subclass.py).  Each becomes a ``ModelSite``; a model that cannot be
lifted keeps its diagnostic instead of a graph.
"""

from __future__ import annotations

import libcst as cst

from ..types import Options, Style
from .builder import GraphBuilder, Refusal, refuse
from .functional import FunctionalLifter
from .model_call import check_connected, input_statement, model_arguments
from .keras_names import MODEL, SEQUENTIAL, is_legacy
from .names_in import bound_names, calls_in, identifiers, name_nodes, read_before_rebound
from .sequential import lift_sequential
from .sequential_items import added_items, build_shape, constructor_items, element_names, layer_definitions
from .sites import Binding, ModelSite
from .source import SourceFile
from .params import with_builder_params
from .subclass import subclass_sites
from ..ir.graph import Code, Graph, Input


def find_sites(src: SourceFile, options: Options) -> list[ModelSite]:
    sites: list[ModelSite] = []
    for block, scope in _blocks(src.module):
        statements = tuple(block.body)
        for index, statement in enumerate(statements):
            site = _site_at(src, block, scope, statements, index, options)
            if site is not None:
                with_builder_params(src, site)
                sites.append(site)
    sites.extend(subclass_sites(src, options))
    return sorted(sites, key=lambda site: (site.loc.line, site.loc.col))


def _blocks(module: cst.Module):
    """Statement blocks that may hold a model, with the enclosing function's name."""
    found = [(module, None)]

    class Visitor(cst.CSTVisitor):
        def __init__(self) -> None:
            self.functions: list[str] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.functions.append(node.name.value)
            if isinstance(node.body, cst.IndentedBlock):
                found.append((node.body, node.name.value))

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.functions.pop()

        def visit_If(self, node: cst.If) -> None:
            if isinstance(node.body, cst.IndentedBlock):
                found.append((node.body, self.functions[-1] if self.functions else None))

    module.visit(Visitor())
    return found


def _model_statement(src: SourceFile, statement: cst.BaseStatement):
    """``(binding, call, style, root)`` for ``x = Sequential(...)``-like statements, else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        binding, value = Binding(small.targets[0].target.value), small.value
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
        return _legacy_model(src, binding, value)
    if keras.path in SEQUENTIAL:
        return binding, value, Style.SEQUENTIAL, keras.root
    if keras.path in MODEL and model_arguments(value) is not None:
        return binding, value, Style.FUNCTIONAL, keras.root
    return None


def _legacy_model(src: SourceFile, binding: Binding, call: cst.Call):
    """A model made through a Keras 2 internal path, kept as a site so it can be refused by name."""
    legacy = src.legacy_keras(call.func)
    if legacy is None or legacy.rsplit(".", 1)[-1] not in ("Sequential", "Model"):
        return None
    return binding, call, Style.SEQUENTIAL if legacy.endswith("Sequential") else Style.FUNCTIONAL, legacy


def _site_at(src, block, scope, statements, index, options: Options) -> ModelSite | None:
    found = _model_statement(src, statements[index])
    if found is None:
        return None
    binding, call, style, root = found
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
        if style is Style.SEQUENTIAL:
            site.graph = _sequential(src, site, statements, call, options)
        else:
            site.graph = _functional(src, site, statements, call)
    except Refusal as refusal:
        site.problem = refusal.diagnostic
    site.used_names = _used_names(src, site, statements)
    return site


def _sequential(src, site: ModelSite, statements, call: cst.Call, options: Options) -> Graph:
    items, name, extra = constructor_items(src, call)
    if site.binding.target is not None:
        added, taken = added_items(src, statements[site.end :], site.binding.target)
        items.extend(added)
        site.end += taken
        _refuse_late_adds(src, statements[site.end :], site.binding.target)
    definitions = layer_definitions(src, statements[: site.start], element_names(items))
    site.start -= len(definitions)
    following = statements[site.end] if site.end < len(statements) else None
    shape = build_shape(following, site.binding.target) if site.binding.target else None
    built = Code(src.code(shape)) if shape is not None else None
    graph = lift_sequential(src, GraphBuilder(src), call, items, name, extra, options, definitions, built)
    if built is not None and any(arg.value is built for node in graph.inputs_in_order() for arg in node.args):
        # The model's input comes from that build() call, so it is part of the model's code.
        site.end += 1
    return graph


def _refuse_late_adds(src, statements, target: str) -> None:
    for statement in statements:
        for node in calls_in(statement):
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and isinstance(func.value, cst.Name)
                and func.value.value == target
                and func.attr.value in ("add", "pop")
            ):
                raise refuse(
                    src.loc(node),
                    f"`{target}.{func.attr.value}(...)` comes after other statements,"
                    " so the layers of the model are not all in one place",
                    f"move every `{target}.add(...)` right after the `{target} = Sequential(...)` line",
                )
        if target in bound_names(statement):
            return


def _functional(src, site: ModelSite, statements, call: cst.Call) -> Graph:
    inputs_expr, outputs_expr, name, extra = model_arguments(call)
    input_names = {node.value for node in name_nodes(inputs_expr)}
    starts = {}
    for index in range(site.start):
        bound = input_statement(src, statements[index])
        if bound in input_names:
            starts[bound] = index
    missing = sorted(input_names - set(starts))
    if missing:
        raise refuse(
            src.loc(inputs_expr),
            f"the model input `{missing[0]}` is not made by `keras.Input(...)` in this block",
            "create the inputs with keras.Input in the same function as the model",
        )
    site.start = min(starts.values()) if starts else site.start
    calls = [node for statement in statements[site.start : site.end] for node in calls_in(statement)]
    # ``DefaultConv(64)(x)``: ``DefaultConv`` makes layers (a ``functools.partial``), it is not one.
    factories = {
        node.func.func.value
        for node in calls
        if isinstance(node.func, cst.Call) and isinstance(node.func.func, cst.Name)
    }
    callees = {node.func.value for node in calls if isinstance(node.func, cst.Name)} - factories
    site.start -= len(layer_definitions(src, statements[: site.start], callees))
    region = statements[site.start : site.end - 1]
    builder = GraphBuilder(src)
    lifter = FunctionalLifter(src, builder, callees)
    lifter.statements(region)
    outputs = lifter.code(outputs_expr)
    inputs = lifter.code(inputs_expr)
    graph = Graph(
        layers=tuple(builder.layers),
        body=tuple(lifter.nodes),
        inputs=inputs,
        outputs=outputs,
        name=lifter.code(name.value) if name is not None else None,
        extra=tuple(builder.arg(arg, lifter.code(arg.value)) for arg in extra),
        loc=src.loc(call),
    )
    input_values = {node.out for node in graph.body if isinstance(node, Input)}
    if not set(inputs.values) <= input_values:
        raise refuse(src.loc(inputs_expr), "the model's inputs must be keras.Input tensors", "")
    check_connected(graph)
    bound = set(lifter.env) | input_names
    site.escaping = tuple(read_before_rebound(statements[site.end :], bound, src.loc).items())
    return graph


def _used_names(src, site: ModelSite, statements) -> frozenset[str]:
    """Names generated code must not take: read by the model, or by code after it."""
    used = set()
    for statement in statements[site.start : site.end]:
        used |= identifiers(statement)
    after = statements[site.end :]
    candidates = set()
    for statement in after:
        candidates |= identifiers(statement)
    used |= set(read_before_rebound(after, candidates, src.loc))
    if isinstance(site.block, cst.Module):
        for statement in statements:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                used |= identifiers(statement)
    return frozenset(used)
