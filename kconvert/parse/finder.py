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
from libcst.metadata import BuiltinScope, GlobalScope

from ..types import Diagnostic, Options, Style
from .builder import GraphBuilder, Refusal, refuse
from .comments import with_remarks
from .functional import FunctionalLifter, local_callees
from .graph_uses import graph_uses
from .helper_blocks import blocks_of, settled
from .input_choice import choice_start, helper_inputs
from .model_call import check_connected, input_list, input_statement, model_arguments
from .keras_names import MODEL, SEQUENTIAL, is_legacy
from .model_classes import local_base
from .names_in import (
    bound_names,
    calls_in,
    Later,
    outer_identifiers,
    mentions,
    name_nodes,
    once,
    read_before_rebound,
    read_later,
    reads,
    remembered,
)
from .prelude import prelude
from .read_order import early_read, refuse_early_reads
from .sequential.lift import lift_sequential
from .layer_lists import inlined_literal
from .sequential.adds import added_elsewhere, added_items, mentions_target, spelled
from .sequential.callers import callers_shape
from .sequential.fitted import fitted_shape
from .sequential.items import build_shape, constructor_items, element_names, layer_definitions, layers_arg
from .shared_inputs import carve, settle
from .shadowed import shadowed_keras
from .sites import Binding, ModelSite
from .source import SourceFile
from .params import with_builder_params
from .functional_subclass import functional_subclass_sites
from .nested_classes import nested_model_sites
from .subclass.lift import subclass_sites
from ..ir.graph import Arg, Call, Code, Graph, Input, Loc, Stmt
from ..ir.reads import statement_binds, statement_binds_anywhere
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
        settle(src, found, statements, lambda site: _after_block(src, site.block))
        later = read_later(statements, {site.end for site in found})
        for site in found:
            site.used_names = _used_names(src, site, statements, later[site.end])
        sites.extend(found)
    sites.extend(subclass_sites(src, options))
    sites.extend(functional_subclass_sites(src, options))
    sites.extend(nested_model_sites(src))
    _inherit_input_shapes(sites)
    shadow = shadowed_keras(src) if sites else None
    for site in sites:
        site.problem = site.problem or shadow or early_read(src, site)
        with_remarks(src, site)
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


def _site_at(src, block, scope, statements, index, options: Options, earlier) -> ModelSite | None:
    found = _model_statement(src, statements[index])
    if found is None:
        return None
    binding, call, style, root = found
    if binding.target is not None and "." in binding.target and _in_forward_class(src, block):
        # A block of a subclass that has a forward pass is one of its layers, not a model.
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
        derived = _derived_from(src, call) if style is Style.FUNCTIONAL else None
        if derived is not None:
            # ``keras.Model(base.input, base.layers[-2].output)``: a view of another model's graph.
            site.problem = Diagnostic(
                site.loc.line,
                site.loc.col,
                f"`{name}` is built from another model's tensors (`{derived}`): it is a view of that"
                " model's graph, which only the Functional API can express",
                f"keep `{name}` Functional (--model picks the models to convert)",
            )
        elif style is Style.SEQUENTIAL:
            site.graph = _sequential(src, site, statements, call, options)
            # As the Functional parser keeps them: a layer made by name that later code reads.
            named = {layer.name for layer in site.graph.layers if layer.binding == "named"}
            site.kept_layers = frozenset(read_before_rebound(_later(src, site, statements), named, src.loc))
        else:
            site.graph = _functional(src, site, statements, call, earlier)
        if site.graph is not None:
            site.statement_reads = _bound_and_read_later(src, site, statements)
        if scope is None and site.graph is not None:
            site.kept_layers |= _top_level_bound(site.graph, site.statement_reads)
    except Refusal as refusal:
        site.problem = refusal.diagnostic
    site.graph_uses = _graph_uses(src, site, statements)
    return site


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


def _bound_and_read_later(src: SourceFile, site: ModelSite, statements) -> tuple[tuple[str, Loc], ...]:
    """Names a plain statement among the model's binds (``DEPTH = 2`` between adds, ``count += 1``
    in a loop of layers) that later code reads, with the first place that reads each."""
    bound: set[str] = set()
    for node in site.graph.walk():
        if isinstance(node, Stmt):
            # Only a name the statement binds is gone: one it changes through a method
            # (``K.image_data_format()``) is still the module's or the function's.
            bound |= statement_binds_anywhere(node.code, in_place=False)
    return tuple(read_before_rebound(_later(src, site, statements), bound, src.loc).items())


def _top_level_bound(graph: Graph, reads: tuple[tuple[str, Loc], ...]) -> frozenset[str]:
    """Of ``reads``, the names a statement of the model's own level binds: a module-level model
    keeps that statement where the rest of the file sees it."""
    bound: set[str] = set()
    for node in graph.body:
        if isinstance(node, Stmt):
            bound |= statement_binds(node.code)
    return frozenset(name for name, _ in reads if name in bound)


def _later(src: SourceFile, site: ModelSite, statements) -> Later:
    """What runs after the model: the rest of its block, then what follows the ``with`` or ``if``
    blocks around it (a layer made in ``with strategy.scope():`` and unfrozen after it)."""
    return Later(((site.block, site.end), *_after_block(src, site.block)))


def _after_block(src: SourceFile, block) -> list[tuple[cst.CSTNode, int]]:
    """The statements that run after a ``with`` or ``if`` block ends, out to the module
    (``with strategy.scope(): model = ...`` then ``model.layers[1]`` at module level),
    as ``(block, start)`` parts."""
    found: list[tuple[cst.CSTNode, int]] = []
    node = block
    while not isinstance(node, cst.Module):
        owner = src.parent(node)
        if isinstance(owner, (cst.FunctionDef, cst.ClassDef)) or owner is None:
            break
        parent = src.parent(owner)
        if isinstance(owner, (cst.With, cst.If)) and isinstance(parent, (cst.Module, cst.IndentedBlock)):
            found.append((parent, list(parent.body).index(owner) + 1))
        node = owner
    return found


def _graph_uses(src: SourceFile, site: ModelSite, statements):
    """Uses of the model, after it is made, that only a graph model supports."""
    if site.binding.target is not None:
        return graph_uses(src, site.binding.target, _later(src, site, statements))
    if site.scope is None:
        return ()
    found = ()
    body = src.module.body
    for index, statement in enumerate(body):
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if (
            isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Call)
            and isinstance(small.value.func, cst.Name)
            and small.value.func.value == site.scope
            and isinstance(small.targets[0].target, cst.Name)
        ):
            found += graph_uses(src, small.targets[0].target.value, body[index + 1 :])
    return found


def _derived_from(src: SourceFile, call: cst.Call) -> str | None:
    """The first attribute among the model's inputs (``base.input``), if they are another model's."""
    inputs = model_arguments(call)[0]
    for node in _attributes(inputs):
        return src.code(node)
    return None


def _picked_by_ifexp(statement: cst.BaseStatement | None) -> cst.IfExp | None:
    """The ``a if test else b`` a binding's whole value is, if it is that kind of line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    return small.value if isinstance(small, cst.Assign) and isinstance(small.value, cst.IfExp) else None


def _derived_from_statement(src: SourceFile, statement: cst.BaseStatement | None) -> str | None:
    """The first attribute a binding reads (``inputs = base.input[0]``), if it is that kind of line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or isinstance(small.value, cst.Call):
        return None
    for node in _attributes(small.value):
        return src.code(node)
    return None


def _attributes(node: cst.CSTNode) -> list[cst.Attribute]:
    found: list[cst.Attribute] = []

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            found.append(attribute)
            return False

    walk(node, Visitor())
    return found


def _sequential(src, site: ModelSite, statements, call: cst.Call, options: Options) -> Graph:
    owned = _owned_list(src, site, statements, call)
    site.start -= owned is not None
    items, name, extra = constructor_items(src, call, statements[: site.start], owned)
    if site.binding.target is not None:
        added, taken, site.deferred = added_items(src, statements[site.end :], site.binding.target)
        for item in added:
            expr = getattr(item, "expr", None)
            if isinstance(expr, cst.Name) and expr.value == site.binding.target:
                raise refuse(src.loc(expr), f"`{expr.value}` is added to itself", "a model cannot contain itself")
        items.extend(added)
        site.end += taken
        elsewhere = added_elsewhere(src, site.binding.target) if not items else None
        if elsewhere is not None:
            raise refuse(
                src.loc(elsewhere),
                f"the layers of `{site.binding.target}` are added here, away from the line that makes it"
                f" (line {src.loc(call).line}); kconvert reads a Sequential's layers from the statements"
                " right after it",
                f"make the Sequential where its layers are added: `{site.binding.target} = Sequential()`"
                " just before the first add",
            )
        _refuse_late_adds(src, statements[site.end :], site.binding.target)
    names = _owned(src, element_names(items), _later(src, site, statements))
    definitions = layer_definitions(src, statements[: site.start], names)
    site.start -= len(definitions)
    prepared = _prelude(src, site, statements)
    following = statements[site.end] if site.end < len(statements) else None
    shape = build_shape(following, site.binding.target) if site.binding.target else None
    built = (Arg(Code(src.code(shape)), "batch_shape"),) if shape is not None else None
    if built is None and site.binding.target:
        # ``model.fit(x_train, ...)`` on data of a written shape builds it as a ``build()`` would.
        built = fitted_shape(src, statements, site.end, site.binding.target)
    if built is None:
        # ``return keras.Sequential([...])``: the builder's callers build what it returns.
        built = callers_shape(src, site.block, site.scope, statements[site.end :], site.binding.target)
    graph = lift_sequential(src, GraphBuilder(src), call, items, name, extra, options, definitions, built, prepared)
    if shape is not None and any(node.args is built for node in graph.inputs_in_order()):
        # The model's input comes from that build() call, so it is part of the model's code.
        site.end += 1
    return graph


def _owned_list(src: SourceFile, site: ModelSite, statements, call: cst.Call) -> cst.List | cst.Tuple | None:
    """The literal of ``my_layers = [...]`` just before ``Sequential(my_layers)``, when no later
    code reads ``my_layers``: the model's own statement, removed with it."""
    value = layers_arg(call)
    literal = inlined_literal(value, statements[: site.start]) if value is not None else None
    if literal is None or not _owned(src, {value.value}, _later(src, site, statements)):
        return None
    return literal


def _owned(src: SourceFile, names: set[str], after) -> set[str]:
    """The layer names only the model uses: one that later code reads (``norm.adapt(data)``) stays outside."""
    return set(names) - set(read_before_rebound(after, set(names), src.loc))


def _prelude(src: SourceFile, site: ModelSite, statements) -> list[cst.SimpleStatementLine]:
    """Takes the statements that prepare the model's arguments in a builder function into the site."""
    if site.scope is None or not isinstance(site.block, cst.IndentedBlock):
        return []
    found = prelude(src, statements[: site.start], statements[site.start : site.end])
    site.start -= len(found)
    site.prepared = len(found)
    return found


def _refuse_late_adds(src, statements, target: str) -> None:
    blocker = None
    root = target.split(".")[0]  # ``self`` for ``self.model``
    for statement in statements:
        if not mentions(statement, (root,)):
            continue
        if root not in reads(statement) and root not in bound_names(statement):
            # A function with a ``model`` of its own (Géron's ``build_model``) adds to that one.
            continue
        for node in calls_in(statement):
            func = node.func
            if isinstance(func, cst.Attribute) and spelled(func.value) == target and func.attr.value in ("add", "pop"):
                if blocker is not None and blocker is not statement:
                    # ``assert model.output_shape == (None, 7, 7, 256)`` between adds (the DCGAN tutorial).
                    raise refuse(
                        src.loc(blocker),
                        f"`{src.code(blocker.with_changes(leading_lines=())).strip()}` reads `{target}` while its"
                        " layers are being added; the other styles have no model until the last layer is in",
                        f"move it after the last `{target}.add(...)`, or remove it",
                    )
                raise refuse(
                    src.loc(node),
                    f"`{target}.{func.attr.value}(...)` comes after other statements,"
                    " so the layers of the model are not all in one place",
                    f"move every `{target}.add(...)` right after the `{target} = Sequential(...)` line",
                )
        if target in bound_names(statement):
            return
        if blocker is None and mentions_target(statement, target):
            blocker = statement


def _index_of(statements, statement: cst.BaseStatement) -> int:
    return next(index for index, each in enumerate(statements) if each is statement)


def _functional(src, site: ModelSite, statements, call: cst.Call, earlier: list[ModelSite]) -> Graph:
    inputs_expr, outputs_expr, name, extra = model_arguments(call)
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
        view = _derived_from_statement(src, rebound.get(missing[0]))
        if view is not None:
            raise refuse(
                src.loc(inputs_expr),
                f"the model input `{missing[0]}` is another model's tensor (`{view}`): the model is a"
                " view of that model's graph, which only the Functional API can express",
                "keep this model Functional (--model picks the models to convert)",
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
        raise refuse(
            src.loc(inputs_expr),
            f"the model input `{missing[0]}` is not made by `keras.Input(...)` in this block",
            "create the inputs with keras.Input in the same function as the model",
        )
    site.start = min(starts.values()) if starts else site.start
    shared = [statements[index] for index in carve(src, site, statements, starts, earlier)]
    callees = local_callees(statements[site.start : site.end])
    site.start -= len(layer_definitions(src, statements[: site.start], _owned(src, callees, _later(src, site, statements))))
    _prelude(src, site, statements)
    region = statements[site.start : site.end - 1]
    refuse_early_reads(src, site.binding.target, region)
    builder = GraphBuilder(src)
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
    bound = set(lifter.env) | set(lifter.lists) | input_names
    later = _later(src, site, statements)
    escaping = read_before_rebound(later, bound, src.loc)
    check_connected(graph, escaping)
    site.escaping = tuple(escaping.items())
    site.kept_layers = frozenset(read_before_rebound(later, set(lifter.named), src.loc))
    return graph


def _used_names(src: SourceFile, site: ModelSite, statements, later: frozenset[str]) -> frozenset[str]:
    """Names generated code must not take: read by the model, or by code after it (``later``),
    or by the module's functions and classes from the module (whenever they are called)."""
    used = set(later)
    for statement in statements[site.start : site.end]:
        # A lambda's parameters are its own: a tensor may take their names (``lambda x: ...``).
        used |= outer_identifiers(statement)
    if isinstance(site.block, cst.Module):
        used |= once("definition_names", site.block, lambda module: _definition_names(src, module))
    return frozenset(used)


def _definition_names(src: SourceFile, module: cst.Module) -> frozenset[str]:
    """The names of the module's functions and classes, and the names they read from the
    module: a parameter or a local of theirs (a layer's ``call(self, inputs)``) is theirs alone,
    and a model at module level may bind the same name."""
    names = {statement.name.value for statement in module.body if isinstance(statement, (cst.FunctionDef, cst.ClassDef))}
    for scope in {id(scope): scope for scope in src.scopes()}.values():
        if isinstance(scope, GlobalScope):
            continue
        for access in scope.accesses:
            # Unresolved, a module global or a builtin (which a module-level binding would shadow).
            if not access.referents or any(isinstance(each.scope, (GlobalScope, BuiltinScope)) for each in access.referents):
                names |= _root_name(access.node)
    return frozenset(names)


def _root_name(node: cst.CSTNode) -> set[str]:
    """``{"os"}`` for ``os.path``; nothing for a string annotation."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return {node.value} if isinstance(node, cst.Name) else set()
