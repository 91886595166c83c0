"""Reading a ``keras.Model(inputs, outputs)`` site: the lines that make its inputs (or refusing
inputs it does not make: another model's tensors, one an ``if`` chooses), its own statements,
lifted into the IR, and what of it the code after it reads."""

from __future__ import annotations

import libcst as cst

from ..ir.graph import Graph
from ..ir.nodes import Input
from ..ir.reads import params_of
from ..ir.source_text import Code
from .after_site import code_after, model_owned
from .builder import GraphBuilder, refuse
from .functional.forms import local_callees
from .functional.lifter import FunctionalLifter
from .helper_blocks import blocks_of, settled
from .input_choice import choice_start, helper_inputs
from .later_reads import every_read_before_rebound, read_before_rebound
from .model_call import check_connected, check_inputs_reach_outputs, input_list, input_statement, model_arguments
from .model_classes import local_base
from .names_in import bound_names, name_nodes
from .prelude import take_prelude
from .read_order import refuse_early_reads
from .sequential.items import layer_definitions
from .shared_inputs import carve
from .sites import ModelSite
from .source import SourceFile
from .walk import walk

# What keeps a view of a model's graph working while that model leaves the Functional API.
KEEPS_VIEWS = (
    "`kconvert to-functional-subclass` keeps this view working: it leaves views as they are and writes the"
    " models they view as classes that still build a graph"
)


def functional_graph(src, site: ModelSite, statements, call: cst.Call, earlier: list[ModelSite]) -> Graph:
    inputs_expr, outputs_expr, name, extra = model_arguments(call)
    kept = _kept_on_object(src, statements[: site.start])
    for node in _attributes(inputs_expr):
        # ``self.graph_input = inp``, then ``Model(inputs=self.graph_input, ...)`` (derived_from).
        raise refuse(
            src.loc(node),
            f"the model input `{src.code(node)}` is the block's tensor `{kept[src.code(node)]}` kept on the"
            " object: kconvert reads a model whose inputs are the names its block makes them as",
            "keep this model Functional (--model picks the models to convert)",
        )
    input_names = {node.value for node in name_nodes(inputs_expr)}
    starts: dict[str, int] = {}
    rebound: dict[str, cst.BaseStatement] = {}
    # The last line before the model that makes each input (``all_inputs = [a, b]`` stands for a
    # and b): searched backwards, so a file's cost does not grow with models x statements.
    pending = set(input_names)
    for index in reversed(range(site.start)):
        if not pending:
            break
        listed = input_list(statements[index])
        if listed is not None and listed[0] in pending:
            input_names = (input_names - {listed[0]}) | set(listed[1])
            pending = (pending - {listed[0]}) | (set(listed[1]) - set(starts))
            continue
        made = input_statement(src, statements[index])
        for bound in made:
            if bound in pending:
                starts[bound] = index
                pending.discard(bound)
        # The input is the name's last binding: an older ``keras.Input`` line the name was
        # rebound after (``encoder_inputs = model.input[0]``) is another tensor.
        for bound in (bound_names(statements[index]) & pending) - set(made):
            pending.discard(bound)
            rebound[bound] = statements[index]
    for input_name in input_names - set(starts):
        # Keras Applications: ``if input_tensor is None: img_input = Input(...) else: ...``.
        chosen = choice_start(src, statements[: site.start], input_name)
        if chosen is not None:
            starts[input_name] = chosen
    made = {name for name in input_names - set(starts) if helper_inputs(src, rebound.get(name), name)}
    starts.update({name: _index_of(statements, rebound[name]) for name in made})
    missing = sorted(input_names - set(starts))
    if missing:
        picked = _picked_by_ifexp(rebound.get(missing[0]))
        if picked is not None:
            # n-beats: ``inputs_x = [x, e] if self.has_exog() else x``: one input or two.
            raise refuse(
                src.loc(picked),
                f"the model inputs `{missing[0]}` are chosen by `{src.code(picked.test)}` when the code runs,"
                " which kconvert does not write in another style",
                "keep this model Functional (--model picks the models to convert)",
            )
        made_each = _inputs_by_comprehension(src, rebound.get(missing[0]))
        if made_each is not None:
            # Deep & Cross: one Input per categorical feature, as many as a dict has keys.
            raise refuse(
                src.loc(made_each),
                f"the model inputs `{missing[0]}` are made by a comprehension, as many as it iterates when"
                " the code runs; kconvert converts a model whose inputs the code names one by one",
                "keep this model Functional (--model picks the models to convert)",
            )
        view = _derived_from_statement(src, rebound.get(missing[0]))
        if view is not None:
            site.view = view
            raise refuse(
                src.loc(inputs_expr),
                f"the model input `{missing[0]}` is another model's tensor (`{view[0]}`): the model is a"
                " view of that model's graph, which only the Functional API can express",
                f"keep this model Functional (--model picks the models to convert); {KEEPS_VIEWS}",
            )
        chosen = _chosen_by_if(statements[: site.start], missing[0])
        if chosen is not None:
            # Keras Applications: ``if input_tensor is None: img_input = Input(...) else: ...``.
            raise refuse(
                src.loc(chosen),
                f"the model input `{missing[0]}` is chosen by this `if` (a tensor the caller gives, or a new"
                " Input), so the model is built on whatever the caller passes",
                "keep this model Functional; a subclass and a Sequential model make their own inputs",
            )
        owner = _taken_from_caller(src, site, missing[0], rebound.get(missing[0]))
        if owner is not None:
            # 3D CNN builders, YOLO's ``yolo_body(inputs, ...)``: the caller makes the input tensor.
            raise refuse(
                src.loc(inputs_expr),
                f"the model input `{missing[0]}` is a parameter of `{owner}`, a tensor its caller makes: the"
                " model is built on whatever tensor is passed, and kconvert converts a model only when it"
                " makes its inputs with `keras.Input(...)`",
                f"keep `{owner}` Functional (--model picks the models to convert), or give `{owner}` the"
                f" input's shape and make `{missing[0]}` inside it with keras.Input",
            )
        outer = _made_outside(src, site, missing[0])
        if outer is not None:
            # SSD builders: ``x = Input(...)``, the layers, then ``if mode == 'training': model =
            # Model(inputs=x, ...)`` and another model in each ``elif``.
            raise refuse(
                src.loc(inputs_expr),
                f"the model is made inside the `{outer[0]}` on line {outer[1]}, and its input"
                f" `{missing[0]}` before that block: kconvert reads a model's lines in one block",
                "make the model after the block (choose only its outputs in the branches), or keep it Functional",
            )
        legacy = _legacy_input(src, statements[: site.start], missing[0])
        if legacy is not None:
            # ``from tensorflow.python.keras.layers import *``, then ``input = Input(...)``.
            raise refuse(
                src.loc(legacy[0]),
                f"the model input `{missing[0]}` is made by `{legacy[1]}`, a Keras 2 internal path that"
                " Keras 3 does not have",
                "import from `keras` or `tensorflow.keras` instead; kconvert keeps the path a file uses",
            )
        raise refuse(
            src.loc(inputs_expr),
            f"the model input `{missing[0]}` is not made by `keras.Input(...)` in this block",
            "create the inputs with keras.Input in the same function as the model",
        )
    site.start = min(starts.values()) if starts else site.start
    shared = [statements[index] for index in carve(src, site, statements, starts, earlier)]
    callees = local_callees(statements[site.start : site.end])
    owned = model_owned(src, callees, code_after(src, site, statements))
    # A function's ``cnn = Sequential([...])`` before the inputs is the model's layer; at module
    # level it is a model of the file as well.
    definitions = layer_definitions(src, statements[: site.start], owned, sequentials=site.scope is not None)
    site.start -= len(definitions)
    # What is said right above a layer made for the model is said of that layer.
    site.prepared = len(definitions)
    take_prelude(src, site, statements)
    region = statements[site.start : site.end - 1]
    refuse_early_reads(src, site.binding.target, region)
    builder = GraphBuilder(src, site.root)
    lifter = FunctionalLifter(src, builder, callees)
    lifter.made_inputs = made
    lifter.runs_at = site.end - 1 if isinstance(site.block, cst.Module) else None
    lifter.statements([*shared, *region])
    outputs = lifter.code(outputs_expr, whole=True)
    inputs = lifter.code(inputs_expr)
    graph = Graph(
        layers=tuple(builder.layers),
        body=settled(tuple(lifter.nodes), builder),
        inputs=inputs,
        outputs=outputs,
        name=lifter.code(name.value) if name is not None else None,
        extra=tuple(builder.arg(arg, lifter.code(arg.value)) for arg in extra),
        loc=src.loc(call),
        base=Code(src.code(call.func)) if local_base(src, call.func) is not None else None,
        symbols=frozenset(builder.symbols),
        blocks=blocks_of(builder),
        aliases=tuple(builder.aliases),
    )
    input_values = {node.out for node in graph.body if isinstance(node, Input)}
    if not set(inputs.values) <= input_values:
        # DDQN agents: ``inp = Input(...)``, then ``if image: inp = Input(...)`` among the layers.
        raise refuse(
            src.loc(inputs_expr),
            f"the model's inputs `{src.code(inputs_expr)}` are rebound among the model's lines (by an `if`"
            " or a loop), so the model is not built on one keras.Input tensor",
            "make the input once, with keras.Input, and choose its shape with an expression"
            " (`shape = ... if ... else ...`), or keep this model Functional",
        )
    # The model's own name, bound to a tensor among its lines first (``encoder = Dense(512)(inputs)``,
    # then ``encoder = keras.Model(...)``), names the model after it, as the converted line does.
    bound = (set(lifter.env) | set(lifter.lists) | input_names) - {site.binding.target}
    later = code_after(src, site, statements)
    reads = every_read_before_rebound(later, bound, src.loc)
    escaping = {name: locs[0] for name, locs in reads.items()}
    graph = check_connected(graph, escaping, graph_code=True)
    check_inputs_reach_outputs(graph, call, src)
    site.escaping = tuple(escaping.items())
    site.escaping_reads = {name: tuple(locs) for name, locs in reads.items()}
    site.kept_layers = frozenset(read_before_rebound(later, set(lifter.named), src.loc))
    return graph


def _chosen_by_if(statements, name: str) -> cst.If | None:
    """The last ``if`` before the model that binds ``name``, when that is where ``name`` comes from."""
    for statement in reversed(statements):
        if isinstance(statement, cst.If) and name in _bound_in_branches(statement):
            return statement
        if name in bound_names(statement):
            return None
    return None


def _bound_in_branches(statement: cst.If) -> set[str]:
    found: set[str] = set()
    branch: cst.If | cst.Else | None = statement
    while branch is not None:
        for child in branch.body.body:
            found |= _bound_in_branches(child) if isinstance(child, cst.If) else bound_names(child)
        branch = branch.orelse if isinstance(branch, cst.If) else None
    return found


def _taken_from_caller(src: SourceFile, site: ModelSite, name: str, rebound: cst.BaseStatement | None) -> str | None:
    """The function whose parameter ``name`` is, when the model's input is that parameter as the
    caller passed it (bound again at most to itself, ``inputs = inputs``)."""
    function = site.block
    while function is not None and not isinstance(function, (cst.FunctionDef, cst.Module)):
        function = src.parent(function)
    if not isinstance(function, cst.FunctionDef) or name not in {param.name.value for param in params_of(function)}:
        return None
    if rebound is not None and src.code(rebound).strip().replace(" ", "") != f"{name}={name}":
        return None
    return function.name.value


def _made_outside(src: SourceFile, site: ModelSite, name: str) -> tuple[str, int] | None:
    """The kind (``if``, ``for``...) and line of the compound statement the model is made in, when
    ``name`` is bound by ``keras.Input(...)`` in a block around it."""
    node = src.parent(site.block)
    compound = node
    while node is not None and not isinstance(node, (cst.FunctionDef, cst.Module)):
        node = src.parent(node)
        if isinstance(node, (cst.IndentedBlock, cst.Module)) and any(
            name in input_statement(src, statement) for statement in node.body
        ):
            if not isinstance(compound, (cst.BaseCompoundStatement, cst.Else)):
                return None
            return type(compound).__name__.lower(), src.loc(compound).line
    return None


def _index_of(statements, statement: cst.BaseStatement) -> int:
    return next(index for index, each in enumerate(statements) if each is statement)


def derived_from(src: SourceFile, call: cst.Call, before=()) -> tuple[str, str] | None:
    """The first attribute among the model's inputs (``base.input``), if they are another model's,
    and the name that model is reached by (``base``). An attribute one of the statements ``before``
    the model binds to a tensor of the block (``self.graph_input = inp``) is that tensor kept on the
    object, not another model's: the model is no view, and its parser says what it makes of it."""
    inputs = model_arguments(call)[0]
    kept = _kept_on_object(src, before)
    for node in _attributes(inputs):
        if src.code(node) not in kept:
            return src.code(node), _reached_by(src, node)
    return None


def _kept_on_object(src: SourceFile, statements) -> dict[str, str]:
    """The attributes (``self.graph_input``) that ``statements`` bind last to a name of the block or
    to a new ``keras.Input(...)``, never to another object's tensor (``self.x = base.output``), and
    the code of what each is bound to."""
    kept: dict[str, str] = {}
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.Assign):
                continue
            value = small.value
            own = isinstance(value, cst.Name) or (
                isinstance(value, cst.Call) and (keras := src.keras(value.func)) is not None and keras.last == "Input"
            )
            for target in small.targets:
                if isinstance(target.target, cst.Attribute):
                    kept[src.code(target.target)] = src.code(value) if own else ""
    return {attribute: value for attribute, value in kept.items() if value}


def _picked_by_ifexp(statement: cst.BaseStatement | None) -> cst.IfExp | None:
    """The ``a if test else b`` a binding's whole value is, if it is that kind of line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    return small.value if isinstance(small, cst.Assign) and isinstance(small.value, cst.IfExp) else None


def _inputs_by_comprehension(src: SourceFile, statement: cst.BaseStatement | None) -> cst.ListComp | None:
    """The ``[keras.Input(...) for name in features]`` a binding's whole value is, if it is one."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    value = small.value if isinstance(small, cst.Assign) else None
    if not isinstance(value, cst.ListComp) or not isinstance(value.elt, cst.Call):
        return None
    keras = src.keras(value.elt.func)
    return value if keras is not None and keras.last == "Input" else None


def _derived_from_statement(src: SourceFile, statement: cst.BaseStatement | None) -> tuple[str, str] | None:
    """The first attribute a binding reads (``inputs = base.input[0]``), if it is that kind of line,
    and the name of the model it reads it of."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or isinstance(small.value, cst.Call):
        return None
    for node in _attributes(small.value):
        return src.code(node), _reached_by(src, node)
    return None


def _reached_by(src: SourceFile, node: cst.BaseExpression) -> str:
    """The leftmost name of ``model.get_layer("x").output`` (``model``), else the whole expression."""
    while isinstance(node, (cst.Attribute, cst.Call, cst.Subscript)):
        node = node.value if not isinstance(node, cst.Call) else node.func
    return src.code(node)


def _attributes(node: cst.CSTNode) -> list[cst.Attribute]:
    found: list[cst.Attribute] = []

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            found.append(attribute)
            return False

    walk(node, Visitor())
    return found


def _legacy_input(src: SourceFile, statements, name: str):
    """The call and its Keras 2 internal path (``tensorflow.python.keras.layers.Input``) of the
    last ``name = Input(...)`` among ``statements``, if that is what made ``name``."""
    for statement in reversed(statements):
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if not isinstance(small, cst.Assign) or name not in {
            t.target.value for t in small.targets if isinstance(t.target, cst.Name)
        }:
            continue
        if not isinstance(small.value, cst.Call):
            return None
        legacy = src.legacy_keras(small.value.func)
        return (small.value, legacy) if legacy is not None and legacy.endswith("Input") else None
    return None
