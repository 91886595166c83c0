"""Lifting a call of the file's own layer-building function (a helper) where it is called.

``x = residual_block(x, 64)`` stays a call in Functional code, but a subclass
must make the helper's layers once, in ``__init__``.  So the helper's body is
lifted here as IR nodes, once per call, and its parameters are replaced by the
call's arguments on the libcst tree of each lifted expression
(``Conv2D(filters, 3)`` called with ``64`` becomes ``Conv2D(64, 3)``, substituted.py).  A body
that cannot be lifted keeps the reason, for the subclass emitter to report;
Functional code never needs the body.  Each call is also marked as a call of
the block the function stands for, read once (``helper_blocks.py``), which a
subclass writes as a Layer class instead of the body.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

import libcst as cst

from ..ir.dataflow import consumed
from ..ir.nodes import Helper, Input, LayerDef, Node, Op
from ..ir.returned import spread
from ..ir.source_text import Loc, placeholder
from .bound_late import early_read_in
from .builder import Refusal, refuse
from .helper_blocks import as_block, split_return
from .keras_names import MODEL, SEQUENTIAL
from .known_layers import KERAS_LAYERS
from .layer_factories import layer_factories, makes_layer_by_value
from .memo import once
from .method_helpers import method_definition, refuse_unsound_method, static_definition
from .module_index import bound_before, classes, functions
from .names_in import assigned_anywhere, calls_in
from .nested_helpers import local_definition
from .saved.defaults import is_default
from .shape_tests import shape_values
from .substituted import arg_with, node_with
from .source import SourceFile
from .walk import walk
from ..ir.weightless import WEIGHTLESS_LAYERS


def helper_definition(src: SourceFile, func: cst.BaseExpression, runs_at: int | None = None) -> cst.FunctionDef | None:
    """The module-level ``def`` that ``func`` names, when its body makes Keras layers: the last one
    above the statement ``runs_at`` (a module-level model's, where a notebook may define a helper
    again, changed, for its next model), else the first; or the calling function's own
    (parse/nested_helpers.py).  ``self.<name>`` names a plain class's method (method_helpers.py)."""
    if isinstance(func, cst.Attribute):
        method = method_definition(src, func) or static_definition(src, func)
        return method if method is not None and makes_layers(src, method) else None
    if not isinstance(func, cst.Name):
        return None
    local, statement = local_definition(src, func)  # a name it binds hides the module's
    if not local:
        statement = functions(src.module).get(func.value)
        statement = bound_before(src.module, runs_at).get(func.value, statement) if runs_at is not None else statement
    return statement if statement is not None and makes_layers(src, statement) else None


def lift_helper(lifter, call: cst.Call, definition: cst.FunctionDef) -> Helper:
    """The helper's body lifted at ``call``; ``lifter`` is the FunctionalLifter of the caller."""
    name = definition.name.value
    early = once("early read", definition, lambda found: early_read_in(lifter.src, lifter.src.lines(found.body)))
    if early is not None:
        # The model is never made: Python stops the helper there (an UnboundLocalError), in
        # every style, and a conversion would read another value of that name, or none.
        raise refuse(Loc(early.line, early.col), early.message, early.hint)
    try:
        return _lift(lifter, call, definition)
    except Refusal as refusal:
        found = refusal.diagnostic
        return Helper(name, problem=(Loc(found.line, found.col), found.message, found.hint))


def _lift(lifter, call: cst.Call, definition: cst.FunctionDef) -> Helper:
    src = lifter.src
    name = definition.name.value
    method = method_definition(src, call.func) is not None
    if method:
        refuse_unsound_method(src, definition)
    arguments = bind_arguments(src, call, definition, method=method)
    tensors, constants = {}, {}
    # ``n = x.shape[-1]`` then ``gate(skip, x, n)``: a number Python knows while it builds the
    # graph, passed as any constant is; written out, the body reads the value ``n`` is.
    sizes = shape_values(lifter.nodes)
    shaped: dict[str, str] = {}
    bound: list[Node] = []
    for param, value in arguments.items():
        if isinstance(value, cst.Name) and lifter.env.get(value.value) in sizes:
            constants[param] = value
            shaped[param] = placeholder(lifter.env[value.value])
        elif isinstance(value, cst.Name) and value.value in lifter.env:
            tensors[param] = lifter.env[value.value]
        elif id(value) in lifter.lifted:
            # ``block(block(x), 64)``: the inner call, which the caller lifted first, as Python runs it.
            tensors[param] = lifter.lifted[id(value)]
        elif isinstance(value, cst.Subscript) and lifter.reads_tensor(value) and not calls_in(value):
            # ``down_block(pair[0], 64)``: bound where Python binds the parameter, so the
            # written-out body starts with ``inputs = pair[0]``.
            bound.append(Op(lifter.builder.new_value(), lifter.code(value), src.loc(value), param))
            tensors[param] = bound[-1].out
        elif lifter.reads_tensor(value):
            raise refuse(
                src.loc(value),
                f"`{src.code(value)}` is an expression of tensors passed to `{name}`",
                f"compute it on a line of its own and pass `{name}` the tensor's name",
            )
        else:
            constants[param] = value
    statements, returned = split_return(src, definition, "the model")
    statements = [*_parameter_bindings(src, _rebound(statements, constants, shaped), constants), *statements]
    nested = next((statement for statement in statements if isinstance(statement, (cst.FunctionDef, cst.ClassDef))), None)
    if nested is not None:
        # A subclass makes the helper's layers in __init__ and calls them in call(): a function
        # the helper defines for itself would be a local of one, read by the other.
        raise refuse(
            src.loc(nested),
            f"`{name}` defines `{nested.name.value}` inside itself; a subclass would make it in __init__"
            " and need it in call()",
            f"define `{nested.name.value}` at module level, where kconvert reads it as a helper of its own",
        )
    first_layer = len(lifter.builder.layers)
    inner = lifter.sub_lifter(definition)
    inner.env.update(tensors)
    inner.constants = constants
    layer_args = _layer_arguments(lifter, definition, arguments, constants)
    inner.named.update(layer_args)
    inner.statements(statements)
    elements = returned.elements if isinstance(returned, cst.Tuple) else ()
    results = tuple(inner.value_of(element.value) for element in elements) or (inner.value_of(returned),)
    read = {value for node in inner.nodes for value in consumed(node)} | set(results)
    stray = next((node for node in inner.nodes if isinstance(node, Input) and node.out not in read), None)
    if stray is not None:
        # Keras ignores an Input nothing uses; a block or a subclass has no place to make it.
        raise refuse(
            stray.loc,
            f"`{name}` makes an Input, `{stray.name}`, that nothing it computes reads",
            "remove it, or make the model's Input in the function that makes the model",
        )
    spread_out = None if elements else spread(tuple(inner.nodes), results[0])
    if spread_out is not None:
        # ``outputs = [a, b]; return outputs`` returns ``a`` and ``b``, as ``return a, b`` does.
        inner.nodes[:], packed, results = spread_out
    replacements = {
        param: shaped.get(param) or cst.Module([]).code_for_node(value)
        for param, value in constants.items()
        if param not in layer_args
    }
    layers = lifter.builder.layers
    own = frozenset(classes(src.module))
    layers[first_layer:] = [_layer_with(layer, replacements, own) for layer in layers[first_layer:]]
    body = (*bound, *(node_with(node, replacements) for node in inner.nodes))
    helper = Helper(name, body, results, packed=None if spread_out is None else packed)
    # A layer object passed in is made by the caller: the block's instance is made with it.
    return as_block(lifter, helper, call, definition, arguments, tensors, frozenset(layer_args))


def _rebound(statements, constants: dict, shaped: dict) -> list[str]:
    """The parameters the body assigns to (``if size is None: size = 3``): names of the written-out
    body, bound where Python binds them, not the argument pasted where they are read (``None = 3``)."""
    return sorted(assigned_anywhere(statements) & set(constants) - set(shaped))


def _parameter_bindings(src: SourceFile, rebound: list[str], constants: dict) -> list[cst.BaseStatement]:
    """``size = None``, located at the argument, for each ``rebound`` parameter; taken out of
    ``constants``."""
    bindings = []
    for param in rebound:
        value = constants.pop(param)
        line = cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(param))], value)])
        bindings.append(src.stand_in(line, value))
    return bindings


def _layer_arguments(lifter, definition: cst.FunctionDef, arguments, constants) -> dict[str, str]:
    """``{param: layer id}`` for each argument that is a layer object made right there
    (``block(x, act=layers.LeakyReLU(0.2))``): a layer of this call.  A default
    (``act=layers.ReLU()`` in the ``def``) is made once, when Python reads the
    ``def``, so every call that leaves it out shares that one layer: the same as
    a layer per call only for a layer without weights or state."""
    src = lifter.src
    defaults = {
        param.name.value: param.default
        for param in (*definition.params.posonly_params, *definition.params.params, *definition.params.kwonly_params)
        if param.default is not None
    }
    found = {}
    for param, value in constants.items():
        keras = src.keras(value.func) if isinstance(value, cst.Call) else None
        if keras is None or not keras.is_layer_class:
            continue
        if value is defaults.get(param) and keras.last not in WEIGHTLESS_LAYERS:
            raise refuse(
                src.loc(value),
                f"the default `{param}={src.code(value)}` of `{definition.name.value}` is one layer object,"
                " shared by every call that leaves it out",
                f"pass `{param}` at each call, or make the layer inside `{definition.name.value}`",
            )
        found[param] = lifter.builder.constructed_layer(value, "inline").id
    return found


def bind_arguments(
    src: SourceFile, call: cst.Call, definition: cst.FunctionDef, method: bool = False
) -> dict[str, cst.BaseExpression]:
    """Each parameter of ``definition`` with the argument ``call`` gives it (or its default);
    a ``method``'s ``self`` is bound by the call's object, not by an argument."""
    params = definition.params
    if params.star_arg is not None and isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        raise refuse(
            src.loc(definition),
            f"`{definition.name.value}` takes `*args` or `**kwargs`",
            "name the parameters it takes, or keep the Functional API (functional-subclass too calls the function as written)",
        )
    ordered = [*params.posonly_params, *params.params, *params.kwonly_params][int(method) :]
    bound: dict[str, cst.BaseExpression] = {}
    positional = [arg for arg in call.args if arg.keyword is None]
    if any(arg.star for arg in call.args) or len(positional) > len(ordered) - len(params.kwonly_params):
        raise refuse(src.loc(call), f"the arguments of this `{definition.name.value}` call cannot be matched")
    for param, arg in zip(ordered, positional):
        bound[param.name.value] = arg.value
    for arg in call.args:
        if arg.keyword is not None:
            bound[arg.keyword.value] = arg.value
    for param in ordered:
        if param.name.value not in bound:
            if param.default is None:
                raise refuse(src.loc(call), f"`{param.name.value}` of `{definition.name.value}` is not given")
            bound[param.name.value] = param.default
    return bound


def makes_layers(src: SourceFile, definition: cst.FunctionDef) -> bool:
    """Whether each call of ``definition`` makes Keras layers (see ``_visit_makes_layers``)."""
    return once("makes_layers", definition, lambda definition: _visit_makes_layers(src, definition, set()))


def _visit_makes_layers(src: SourceFile, definition: cst.FunctionDef, seen: set[str]) -> bool:
    """Whether the function makes a Keras layer or model, itself or through another function of
    the module it calls (``stage`` calling ``conv_block`` twice): either way each call makes layers."""
    seen.add(definition.name.value)
    found = False
    module_functions = functions(src.module)
    factories = layer_factories(src, definition)

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal found
            keras = src.keras(node.func)
            if keras is not None and (keras.is_layer_class or keras.is_merge_function or keras.path in SEQUENTIAL | MODEL):
                # ``layers.add([a, b])`` makes an Add layer each time it runs.
                found = True
            elif makes_layer_by_value(src, node, factories):
                # ``kind(units)`` of ``kind = layers.GRU if ... else layers.LSTM``, ``DefaultConv2D(8)``
                # of a module's ``partial(layers.Conv2D, ...)``, ``make(8)(x)``: a layer all the same.
                found = True
            elif isinstance(node.func, cst.Name) and _own_layer_class(src, node.func.value):
                # ``ResidualMain(filters)(x)``: a Layer class of the file's own.
                found = True
            elif isinstance(node.func, cst.Name) and node.func.value not in seen:
                called = module_functions.get(node.func.value)
                found = found or (called is not None and _visit_makes_layers(src, called, seen))
            elif isinstance(node.func, cst.Attribute) and src.code(node.func) not in seen:
                # ``self._unit(x)`` in a method: another method of the object, which may make them;
                # ``Net.unit(x)``, a static method of a class of the module, too.
                called = method_definition(src, node.func) or static_definition(src, node.func)
                seen.add(src.code(node.func))
                found = found or (called is not None and _visit_makes_layers(src, called, seen))

    walk(definition.body, Visitor())
    return found


def _own_layer_class(src: SourceFile, name: str, seen: frozenset[str] = frozenset()) -> bool:
    """Whether the module's class ``name`` derives from a Keras layer or model, itself or through
    another class of the module."""
    for statement in classes(src.module).get(name, ()):
        for base in statement.bases:
            keras = src.keras(base.value)
            if keras is not None and (keras.is_layer_class or keras.path in SEQUENTIAL | MODEL):
                return True
            if isinstance(base.value, cst.Name) and base.value.value not in seen | {name}:
                if _own_layer_class(src, base.value.value, seen | {name}):
                    return True
    return False


def _layer_with(layer: LayerDef, replacements: Mapping[str, str], own: frozenset[str]) -> LayerDef:
    """``layer`` with the call's arguments in place of the helper's parameters.  A keyword the
    helper passes on (``name=name``) that the call leaves at its default ``None`` is left out
    when a Keras layer has the same default (``name`` for every layer): written out, it is noise."""
    args = []
    for arg in layer.args:
        bound = arg_with(arg, replacements)
        passed_on = arg.value.text in replacements and bound.value.text == "None"
        if not (passed_on and arg.keyword is not None and _defaults_to_none(layer.type_name, arg.keyword, own)):
            args.append(bound)
    return replace(layer, args=tuple(args))


def _defaults_to_none(type_name: str, keyword: str, own: frozenset[str]) -> bool:
    """Whether the Keras layer ``type_name`` (not a class of the file's own) takes ``keyword=None`` by default."""
    if type_name not in KERAS_LAYERS or type_name in own:
        return False
    return keyword == "name" or is_default(f"layers.{type_name}", keyword, None)
