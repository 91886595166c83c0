"""Finding ``keras.Model`` subclasses and lifting each one into the IR.

A module-level class whose base resolves to ``keras.Model`` (however Keras was
imported) is a model site.  Its graph is read from ``__init__`` (constructor.py)
and ``call`` (call.py), the names its inputs go by in call() from inputs.py; its
constructor parameters become the graph's ``params``.  The input shape is not in the class:
it comes from where the class is used (parse/subclass/shapes.py), or from Keras 2's
``input_shape=`` on the layer call() first applies to its input, read as the Sequential
parser reads it on a first layer.

Methods other than ``__init__``, ``call`` and the configuration methods are
recorded in the graph: only a subclass keeps them, so the other emitters refuse,
naming the method.  A method call() calls is read where it is called instead
(methods.py), and recorded only when something else reads it too.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.graph import Graph, walk
from ...ir.nodes import Call, Input, Node
from ...ir.reads import names_read
from ...ir.source_text import Arg, Code
from ...types import Diagnostic, Options, Style
from ..builder import GraphBuilder, Refusal, refuse
from ..functional_subclass.form import graph_init
from ..instance_uses import attribute_uses, instance_layer_uses
from ..keras_names import is_legacy
from ..model_call import check_connected
from ..build_reads import bound_in, lift_shape_locals, on_input, read_build
from ..model_classes import class_members, class_methods, is_docstring, local_base, shape_build, training_bases
from ..sequential.input_args import input_arg, keras2_input_args
from ..sites import Binding, ModelSite
from ..source import SourceFile
from ..walk import walk as walk_nodes
from .call import CallLifter
from .captured import check_comprehension_names, check_shared_names
from .constructor import read_init
from .inputs import input_names, input_structure, is_name, named_input
from .methods import still_read
from .raise_guards import joined
from .shapes import input_shapes, model_base
from .state import kept_state
from .super_init import extra_args

# Methods whose work the builder parameters (or Keras itself) already do.
DROPPED_METHODS = frozenset({"__init__", "call", "get_config", "from_config", "compute_output_shape"})


def subclass_sites(src: SourceFile, options: Options) -> list[ModelSite]:
    sites = []
    for index, statement in enumerate(src.module.body):
        if not isinstance(statement, cst.ClassDef) or statement.name.value in training_bases(src):
            continue
        if graph_init(src, statement) is not None:
            # Its __init__ builds a Functional graph: the fourth style, read by parse/functional_subclass.
            continue
        base = model_base(src, statement) or _legacy_base(src, statement)
        if base is None:
            continue
        expr, root = base
        site = ModelSite(
            statement.name.value,
            Style.SUBCLASS,
            src.loc(statement),
            None,
            Binding(None),
            src.module,
            index,
            index + 1,
        )
        site.root, site.constructor = root, expr
        if is_legacy(root):
            # Left unread, the class would stay as it is while the file's other models convert.
            site.problem = Diagnostic(
                site.loc.line,
                site.loc.col,
                f"`{site.name}` subclasses `{root}`, a Keras 2 internal path that Keras 3 does not have",
                "import from `keras` or `tensorflow.keras` instead; kconvert keeps the path a file uses",
            )
            sites.append(site)
            continue
        if not any(isinstance(item, cst.FunctionDef) and item.name.value == "call" for item in statement.body.body):
            attached = _attached_call(src, site.name)
            if attached is not None:
                site.problem = Diagnostic(
                    attached.line,
                    attached.col,
                    f"`{site.name}` gets its call() from this assignment, outside the class",
                    f"move the function into `{site.name}` as `def call(self, inputs):`; kconvert reads"
                    " a model's forward pass only from its class",
                )
                sites.append(site)
                continue
            dunder = next(
                (item for item in statement.body.body if isinstance(item, cst.FunctionDef) and item.name.value == "__call__"),
                None,
            )
            if dunder is not None:
                # Keras' own ``__call__`` builds the model, tracks its layers' training flag and
                # masks, then runs ``call()``; overriding it skips all that, so no other style can
                # be shown to be the same model.
                loc = src.loc(dunder)
                site.problem = Diagnostic(
                    loc.line,
                    loc.col,
                    f"`{site.name}` writes its forward pass as `__call__`, which replaces Keras' own;"
                    " a Keras model's forward pass is `call()`",
                    "rename `__call__` to `call`: Keras' own `__call__` then runs it",
                )
                sites.append(site)
                continue
            site.container = True
            site.problem = Diagnostic(
                site.loc.line,
                site.loc.col,
                f"`{site.name}` has no call(): it is a training container around other models, left as it is",
                "the models it holds are converted where the file defines them",
                severity="note",
            )
            sites.append(site)
            continue
        try:
            site.graph = lift_subclass(src, statement, options, root)
            if local_base(src, expr) is not None:
                site.graph = replace(site.graph, base=Code(src.code(expr)))
            site.used_names = names_read(site.graph)
            site.attribute_uses = attribute_uses(src, statement)
            site.graph_uses = instance_layer_uses(src, statement)
        except Refusal as refusal:
            site.problem = refusal.diagnostic
        sites.append(site)
    return sites


def _legacy_base(src: SourceFile, cls: cst.ClassDef) -> tuple[cst.BaseExpression, str] | None:
    """The base naming ``Model`` through a Keras 2 internal path (``tensorflow.python.keras``)."""
    for base in cls.bases:
        legacy = src.legacy_keras(base.value)
        if legacy is not None and legacy.rsplit(".", 1)[-1] == "Model":
            return base.value, legacy
    return None


def _attached_call(src: SourceFile, name: str):
    """Where ``Name.call = forward`` gives the class its forward pass after the class, if anywhere."""
    for statement in src.module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and any(
                isinstance(target.target, cst.Attribute)
                and is_name(target.target.value, name)
                and target.target.attr.value == "call"
                for target in small.targets
            ):
                return src.loc(statement)
    return None


def lift_subclass(src: SourceFile, cls: cst.ClassDef, options: Options, root: str | None = None) -> Graph:
    methods = class_methods(src, cls, " in a Functional model", "keep this model a subclass")
    call = methods["call"]
    init = read_init(src, cls, methods.get("__init__"))
    check_shared_names(src, init, methods.get("__init__"), call)
    # Layers made in build() by the input's shape (emit/subclass/model.py), read as a block's are.
    build = shape_build(methods.get("build"))
    built_locals, shaped, from_call = read_build(src, cls, init, build, call)
    builder = GraphBuilder(src, root)
    # A decorated method (``@staticmethod``, ``@tf.function``) is not simply its body run on ``self``.
    own = {name: method for name, method in methods.items() if name not in DROPPED_METHODS and not method.decorators}
    lifter = CallLifter(src, builder, init, call, own)
    statements = list(call.body.body)
    if statements and is_docstring(statements[0]):
        statements.pop(0)
    names, keys = input_names(src, call, statements)
    for name in names:
        lifter.env[name] = builder.new_value()
    inputs = [lifter.env[name] for name in names]
    lifter.statements(init.locals)
    made_from = {}
    if build is not None and len(inputs) == 1:
        lift_shape_locals(lifter, build, built_locals, shaped, inputs[0])
        made_from = {name: lifter.env[name] for name in bound_in(built_locals, shaped) if name in lifter.env}
    prelude = len(lifter.nodes)
    lifter.statements(statements)
    made_from.update((name, lifter.env[name]) for name in from_call if name in lifter.env)
    if lifter.outputs is None:
        raise refuse(src.loc(call), "call() does not return the model's outputs")
    # The shapes are looked for last, so that what the class itself cannot do is reported first.
    shapes = input_shapes(src, cls, options, len(names), own=lifter.written)
    if len(names) == 1 and not shapes[0]:
        shapes = [_first_layer_input(builder, lifter.nodes[prelude:], inputs[0])]
    if keys is not None:
        # A Functional model matches a dict of data to its inputs by the Inputs' names.
        shapes = [named_input(args, key) for args, key in zip(shapes, keys)]
    made = [Input(value, args, src.loc(call), name) for value, name, args in zip(inputs, _input_names(names, keys, lifter.nodes), shapes)]
    before, after = joined(lifter.nodes[:prelude], lifter.nodes[prelude:])
    body = made + before + lifter.defines + after
    name, params = _model_name(init, _named_by_caller(src, cls.name.value))
    dropped = DROPPED_METHODS | _written_out(src, cls, lifter.inlined) | ({"build"} if build else set())
    kept = [method for method_name, method in methods.items() if method_name not in dropped]
    held = {layer.name for layer in builder.layers} | set(init.lists)
    placeholders = [f"_kc_{value}" for value in inputs]
    graph = Graph(
        layers=tuple(on_input(src, layer, build, inputs[0], made_from) if build else layer for layer in builder.layers),
        body=tuple(body),
        inputs=Code(input_structure(placeholders, keys), tuple(zip(placeholders, inputs))),
        outputs=lifter.outputs,
        name=Code(lifter.text(name)) if name is not None else None,
        extra=extra_args(init, lambda expr: Code(lifter.text(expr))),
        loc=src.loc(cls),
        params=params,
        # A class decorator (``@register_keras_serializable()``) only a class can keep, like a method.
        methods=class_members(src, cls, methods, dropped),
        setup=kept_state(src, methods.get("__init__"), kept, {param.name for param in params}, held) + init.setup,
        symbols=frozenset(builder.symbols),
        aliases=tuple(builder.aliases),
        returns=lifter.returned_at,
    )
    check_connected(graph)
    check_comprehension_names(graph, lifter.scoped_loops)
    return graph


def _input_names(names: list[str], keys, nodes: list[Node]) -> list[str | None]:
    """The inputs' names in the graph: ``call(self, x)`` whose body rebinds ``x`` (``x =
    self.conv(x)``) leaves its input unnamed, so graph code writes ``inputs = keras.Input(...)``
    and ``x`` for the layers as an expert would, not ``x_1``; a dict's keys stay its names."""
    if len(names) != 1 or keys is not None:
        return list(names)
    rebound = any(getattr(node, "name", None) == names[0] for node in walk(tuple(nodes)))
    return [None] if rebound else list(names)


def _written_out(src: SourceFile, cls: cst.ClassDef, inlined: set[str]) -> frozenset[str]:
    """The methods call() calls that only it reads: written out where called, nothing else needs them."""
    others = [statement for statement in src.module.body if statement is not cls]
    return frozenset(inlined - still_read(cls, others, inlined, DROPPED_METHODS))


def _first_layer_input(builder: GraphBuilder, nodes: list[Node], value: str) -> tuple[Arg, ...]:
    """``shape=(8,)`` from ``self.d1 = Dense(16, input_shape=(8,))`` when call() first applies
    ``self.d1`` to its input: the argument moves to the model's Input, as a Sequential's
    first layer's does, so each style reads the same graph."""
    first = next((node for node in nodes if isinstance(node, Call) and node.args), None)
    if first is None or first.args[0].value.values != (value,):
        return ()
    index = next(i for i, layer in enumerate(builder.layers) if layer.id == first.layer)
    layer = builder.layers[index]
    moved = keras2_input_args(layer.type_name, layer.args) if layer.binding != "external" else []
    if not moved:
        return ()
    if not layer.own_shape:  # a Keras Application's ``input_shape=`` sizes it: it stays
        builder.layers[index] = replace(layer, args=tuple(arg for arg in layer.args if arg not in moved))
    return tuple(input_arg(arg) for arg in moved)


def _named_by_caller(src: SourceFile, cls_name: str) -> bool:
    """Whether the file makes the class with a ``name=`` of its own (``Net(4, name="other")``)."""
    found = False

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal found
            if is_name(node.func, cls_name) and any(
                arg.keyword is not None and arg.keyword.value == "name" for arg in node.args
            ):
                found = True

    walk_nodes(src.module, Visitor())
    return found


def _model_name(init, named_by_caller: bool = False):
    """``name=`` of the model, and the parameters left.

    ``def __init__(self, name="mlp", **kwargs): super().__init__(name=name, ...)``
    names the model "mlp" as ``super().__init__(name="mlp")`` does: the
    default is the name, and ``name`` is no parameter of the builder, unless the file makes the
    model with a name of its own, which the builder then still takes (dropped, ``Net(4,
    name="other")`` gave ``keras.Model(..., name="net", **kwargs)`` a second ``name``).
    """
    name, params = init.name, init.params
    if isinstance(name, cst.Name) and not named_by_caller:
        for param in params:
            if param.name == name.value and param.default is not None and not param.star:
                literal = cst.parse_expression(param.default.text)
                if isinstance(literal, (cst.SimpleString, cst.ConcatenatedString)):
                    return literal, tuple(other for other in params if other is not param)
    return name, params
