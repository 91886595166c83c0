"""Lifting a graph-building class into the same IR as a Functional builder function.

The statements of ``__init__`` before ``super().__init__`` are Functional code and
go through the Functional lifter; the constructor's parameters become the
graph's ``params`` as a builder function's do.  What follows ``super().__init__``
stores parameters (``self.width = width``), which every class target writes
again, or sets the model up (``self.compile(...)``, parse/model_setup.py); ``get_config`` /
``from_config`` are written again too.  Other
methods (``train_step``) and decorators are kept for the class targets and
refused by name for the others, except Keras' ``register_keras_serializable``,
which only a class needs.
"""

from __future__ import annotations

import libcst as cst

from ...ir.graph import Graph
from ...ir.nodes import Input
from ...ir.reads import names_read
from ...ir.source_text import Code
from ...types import Options, Style
from ..builder import GraphBuilder, Refusal, refuse
from ..functional.forms import local_callees
from ..functional.lifter import FunctionalLifter
from ..instance_uses import attribute_uses, instance_layer_uses
from ..helper_blocks import blocks_of, settled
from ..input_choice import helper_inputs
from ..model_call import check_connected, model_arguments
from ..model_classes import class_members, class_methods, is_docstring, local_base
from ..model_setup import setup_statements
from ..names_in import calls_in, name_nodes
from ..read_order import refuse_early_reads
from ..sites import Binding, ModelSite
from ..source import SourceFile
from ..subclass.constructor import constructor_params
from ..subclass.constructor import self_attribute
from ..subclass.learned import learning_guard
from ..subclass.methods import still_read
from ..subclass.shapes import model_base
from ..subclass.state import kept_state
from ..subclass.super_init import default_name
from .attributes import without_self
from .form import GraphInit, graph_init, imported_base
from .methods import builder_calls, lift_builder_call

# Methods a class target writes again from the parameters.
REWRITTEN = frozenset({"__init__", "get_config", "from_config"})


def functional_subclass_sites(src: SourceFile, options: Options) -> list[ModelSite]:
    sites = []
    for index, statement in enumerate(src.module.body):
        if not isinstance(statement, cst.ClassDef):
            continue
        form = graph_init(src, statement)
        if form is None:
            continue
        expr, root = model_base(src, statement) or (imported_base(src, statement), _keras_root(src, form))
        name = statement.name.value
        loc = src.loc(statement)
        site = ModelSite(name, Style.FUNCTIONAL_SUBCLASS, loc, None, Binding(None), src.module, index, index + 1)
        site.root, site.constructor = root, expr
        # The rest of the file may read the layers and settings the class keeps as attributes.
        site.attribute_uses = attribute_uses(src, statement)
        site.graph_uses = instance_layer_uses(src, statement)
        if model_base(src, statement) is None:
            site.foreign_base = (src.code(expr), src.loc(expr))
        try:
            site.graph = lift_graph_class(src, statement, form, root, site.attributes_read)
            site.used_names = names_read(site.graph)
        except Refusal as refusal:
            site.problem = refusal.diagnostic
        sites.append(site)
    return sites


def lift_graph_class(
    src: SourceFile, cls: cst.ClassDef, form: GraphInit, root: str | None = None, read_later: frozenset[str] = frozenset()
) -> Graph:
    """The class's graph; ``read_later``: the attributes the rest of the file reads of its instances."""
    methods = class_methods(src, cls, "", "keep this model in its current style")
    called = set(builder_calls(form.before, methods).values())
    others = [statement for statement in src.module.body if statement is not cls]
    members = class_members(src, cls, methods, REWRITTEN | (called - still_read(cls, others, called, REWRITTEN)))
    names = {param.name for param in constructor_params(src, form.init)}
    setup = setup_statements(src, form.before, form.after, names)
    kept = {target.attr.value for statement in form.before for target in _self_targets(statement)}
    original = (src, form.init, form.before)
    readers = [methods[member.name] for member in members if member.name in methods]
    src, cls, form = without_self(src, cls, form)
    methods = {item.name.value: item for item in cls.body.body if isinstance(item, cst.FunctionDef)}
    params = constructor_params(src, form.init)
    statements = [statement for statement in form.before if not is_docstring(statement)]
    # ``if data is not None: norm.adapt(data)``, as kconvert writes a class made again from its
    # config without the data (parse/subclass/learned.py): the model the code builds runs them.
    given = {param.name for param in params}
    statements = [
        inner
        for statement in statements
        for inner in (src.lines(statement.body) if learning_guard(cls, statement, given) else [statement])
    ]
    inputs_expr, outputs_expr, name, extra = model_arguments(form.super_call)
    named = [statement for statement in statements if _default_name(statement, params) is not None]
    if named and name is None:
        name = cst.Arg(_default_name(named[-1], params), keyword=cst.Name("name"))
        statements = [statement for statement in statements if statement not in named]
    refuse_early_reads(src, None, statements)
    builder = GraphBuilder(src, root)
    calls = builder_calls(statements, methods)
    read_in_place = [statement for name in set(calls.values()) for statement in methods[name].body.body]
    lifter = FunctionalLifter(src, builder, local_callees([*statements, *read_in_place]))
    # The class builds its graph when made, just below it: the helpers are the ``def``s above it.
    lifter.runs_at = next((index for index, top in enumerate(src.module.body) if top is cls), None)
    listed = {node.value for node in name_nodes(inputs_expr)}
    lifter.made_inputs = {name for name in listed for each in statements if helper_inputs(src, each, name)}
    for statement in statements:
        if id(statement) in calls:
            lift_builder_call(lifter, statement, methods[calls[id(statement)]], form.init, kept)
        else:
            lifter.statement(statement)
    inputs = lifter.code(inputs_expr)
    made = {node.out for node in lifter.nodes if isinstance(node, Input)}
    picked = not inputs.values and inputs.text in lifter.picked
    bound = set(lifter.env) | set(lifter.lists) | lifter.picked
    unmade = [node for node in name_nodes(inputs_expr) if node.value not in bound]
    if unmade:
        raise refuse(
            src.loc(unmade[0]),
            f"the model input `{unmade[0].value}` is not made by `keras.Input(...)` in `__init__`",
            "make it with keras.Input before `super().__init__(...)`",
        )
    if not picked and (not inputs.values or not set(inputs.values) <= made):
        raise refuse(
            src.loc(inputs_expr),
            "the model's inputs must be keras.Input tensors made in `__init__`",
            "make them with keras.Input before `super().__init__(...)`",
        )
    # ``outputs=layers.Dense(1)(x)``: the call is the graph's last node, lifted before the graph is made.
    outputs = lifter.code(outputs_expr, whole=True)
    model_name = lifter.code(name.value) if name is not None else None
    model_name, params = _literal_name(model_name, params)
    # A value ``__init__`` keeps on ``self`` before the graph (``self._scale = scale``) is a local
    # name of the graph's code (attributes.py); a method the class keeps, or the rest of the file,
    # may read it of the object still, which a class target then sets as written (verify40).
    held = {layer.name for layer in builder.layers} | set(lifter.lists)
    setup = kept_state(original[0], original[1], readers, names, held, original[2], read_later) + setup
    known = model_base(src, cls)
    base_expr = known[0] if known is not None else imported_base(src, cls)
    graph = Graph(
        layers=tuple(builder.layers),
        body=settled(tuple(lifter.nodes), builder),
        inputs=inputs,
        outputs=outputs,
        name=model_name,
        extra=tuple(builder.arg(arg, lifter.code(arg.value)) for arg in extra),
        loc=src.loc(cls),
        params=params,
        methods=members,
        setup=setup,
        base=Code(src.code(base_expr)) if known is None or local_base(src, base_expr) is not None else None,
        symbols=frozenset(builder.symbols),
        blocks=blocks_of(builder),
        aliases=tuple(builder.aliases),
    )
    return check_connected(graph, graph_code=True)


def _self_targets(statement: cst.BaseStatement) -> list[cst.Attribute]:
    """The ``self.<attr>`` a statement of ``__init__`` assigns to."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    targets = [target.target for small in statement.body if isinstance(small, cst.Assign) for target in small.targets]
    return [target for target in targets if self_attribute(target) is not None]


def _default_name(statement: cst.BaseStatement, params) -> cst.BaseExpression | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return default_name(statement.body[0], params)
    return None


def _keras_root(src: SourceFile, form: GraphInit) -> str:
    """How the class's own code spells Keras (``keras``, ``tf.keras``): its base does not say."""
    for call in calls_in(form.init):
        keras = src.keras(call.func)
        if keras is not None:
            return keras.root
    return "keras"


def _literal_name(name: Code | None, params):
    """``def __init__(self, name="mlp", **kwargs)`` passing ``name=name`` names the model "mlp",
    as ``name="mlp"`` does: the default is the name, and ``name`` no builder parameter."""
    if name is None or name.refs:
        return name, params
    for param in params:
        if param.name == name.text and param.default is not None and not param.star:
            literal = cst.parse_expression(param.default.text)
            if isinstance(literal, (cst.SimpleString, cst.ConcatenatedString)):
                return param.default, tuple(other for other in params if other is not param)
    return name, params
