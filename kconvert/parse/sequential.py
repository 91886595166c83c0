"""Lifting a Sequential model into the IR.

Reads the list constructor (``Sequential([...])``, ``Sequential(layers=[...])``,
with ``*[Dense(4) for _ in range(n)]`` elements), ``.add()`` calls after it, and
``for`` loops and ``if`` blocks (on builder parameters) of ``.add()`` calls.  The input comes from a ``keras.Input`` /
``InputLayer`` first element, or from ``input_shape=`` / ``input_dim=`` /
``batch_input_shape=`` on the first layer, or from ``--input-shape``.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..ir.graph import Arg, Call, Carried, Code, Cond, Define, Graph, Input, Loc, Loop, Node, Stmt, ref
from ..types import Options
from .builder import GraphBuilder, refuse
from .keras_names import INPUT, INPUT_LAYER, MODEL, SEQUENTIAL
from .names_in import identifiers
from .source import SourceFile

FIRST_LAYER_INPUT_ARGS = {"input_shape": "shape", "batch_input_shape": "batch_shape", "batch_size": "batch_size"}
# Layers whose ``input_dim`` is a parameter of their own (the vocabulary size),
# not Keras 2's shorthand for the input shape.
LAYERS_WITH_INPUT_DIM = frozenset({"Embedding", "ReversibleEmbedding"})
OWN_INPUT_DIM = ("input_dim",)
INPUT_LAYER_ARGS = {"input_shape": "shape", "batch_input_shape": "batch_shape", "input_tensor": "tensor"}


@dataclass(frozen=True)
class Element:
    """One layer of the stack, as an expression of the source."""

    expr: cst.BaseExpression


@dataclass(frozen=True)
class Repeat:
    """Layers added once per item of ``iterable``."""

    target: str
    iterable: str
    elements: tuple["Element | Repeat", ...]
    loc: Loc


@dataclass(frozen=True)
class When:
    """Layers added only when ``test`` (a builder parameter such as ``use_bn``) holds."""

    test: str
    elements: tuple["Element | Repeat | When", ...]
    loc: Loc


@dataclass(frozen=True)
class Plain:
    """A statement among the ``.add()`` calls that does not touch the model (``prev_filters = filters``)."""

    statement: cst.BaseStatement


Item = Element | Repeat | When | Plain


def constructor_items(src: SourceFile, ctor: cst.Call) -> tuple[list[Item], cst.Arg | None, list[cst.Arg]]:
    """The layers given to ``Sequential(...)``, its ``name=`` and its other keywords."""
    items: list[Item] = []
    name = None
    extra = []
    for position, arg in enumerate(ctor.args):
        keyword = arg.keyword.value if arg.keyword else None
        positional = keyword is None and not arg.star
        if keyword == "name" or (positional and position == 1):
            name = arg
        elif keyword == "layers" or (positional and position == 0):
            items.extend(_list_items(src, arg.value))
        else:
            extra.append(arg)
    return items, name, extra


def _list_items(src: SourceFile, value: cst.BaseExpression) -> list[Item]:
    if isinstance(value, cst.Name) and value.value == "None":
        return []
    if not isinstance(value, (cst.List, cst.Tuple)):
        raise refuse(
            src.loc(value),
            f"the layers are given as `{src.code(value)}`, which kconvert cannot see into",
            "write the layers as a list literal in the Sequential(...) call, or use model.add(...)",
        )
    items: list[Item] = []
    for element in value.elements:
        if isinstance(element, cst.StarredElement):
            items.append(_starred_comprehension(src, element))
        else:
            items.append(Element(element.value))
    return items


def _starred_comprehension(src: SourceFile, element: cst.StarredElement) -> Repeat:
    comp = element.value
    if (
        isinstance(comp, cst.ListComp)
        and comp.for_in.inner_for_in is None
        and not comp.for_in.ifs
        and comp.for_in.asynchronous is None
    ):
        return Repeat(
            src.code(comp.for_in.target),
            src.code(comp.for_in.iter),
            (Element(comp.elt),),
            src.loc(element),
        )
    raise refuse(
        src.loc(element),
        f"`{src.code(element)}` is not a plain list comprehension of layers",
        "write `*[Layer(...) for _ in range(n)]` or use a for loop of model.add(...)",
    )


def lift_sequential(
    src: SourceFile,
    builder: GraphBuilder,
    ctor: cst.Call,
    items: list[Item],
    name: cst.Arg | None,
    extra: list[cst.Arg],
    options: Options,
    definitions: list[cst.SimpleStatementLine] = (),
    built: Code | None = None,
) -> Graph:
    """The graph of a Sequential model; ``definitions`` are ``name = Layer(...)``
    statements just before it whose names the model lists, ``built`` the shape a
    ``model.build(shape)`` after it gives, used when the layers give none."""
    if not items:
        raise refuse(src.loc(ctor), "this Sequential model has no layers", "add layers to it first")
    body: list[Node] = []
    named: dict[str, str] = {}
    for statement in definitions:
        assign = statement.body[0]
        layer_name = assign.targets[0].target.value
        layer = builder.constructed_layer(assign.value, "named", layer_name)
        named[layer_name] = layer.id
        body.append(Define(layer.id, src.loc(statement)))
    builder.named = named
    # Statements before the first add run before the input is made, as they did.
    # ``added_items`` keeps a statement only when an add follows it, so a layer comes.
    leading = next(index for index, item in enumerate(items) if not isinstance(item, Plain))
    body += [_statement(src, item) for item in items[:leading]]
    items = items[leading:]
    first = items[0]
    if isinstance(first, Element):
        current, rest = _input(src, builder, first.expr, options, body, built), items[1:]
    else:
        current, rest = _unknown_input(src, builder, ctor, options, body, built), items
    current = _stack(src, builder, rest, current, body)
    return Graph(
        layers=tuple(builder.layers),
        body=tuple(body),
        inputs=ref(next(node.out for node in body if isinstance(node, Input))),
        outputs=ref(current),
        name=Code(src.code(name.value)) if name is not None else None,
        extra=tuple(builder.arg(arg, Code(src.code(arg.value))) for arg in extra),
        loc=src.loc(ctor),
    )


def _stack(src: SourceFile, builder: GraphBuilder, items, current: str, body: list[Node]) -> str:
    for item in items:
        if isinstance(item, Plain):
            body.append(_statement(src, item))
            continue
        if isinstance(item, Repeat):
            param = builder.new_value()
            inner: list[Node] = []
            result = _stack(src, builder, item.elements, param, inner)
            out = builder.new_value()
            carried = (Carried(current, param, result, out),)
            body.append(Loop(item.target, Code(item.iterable), carried, tuple(inner), item.loc))
            current = out
            continue
        if isinstance(item, When):
            param = builder.new_value()
            inner = []
            result = _stack(src, builder, item.elements, param, inner)
            out = builder.new_value()
            body.append(Cond(Code(item.test), (Carried(current, param, result, out),), tuple(inner), item.loc))
            current = out
            continue
        out = builder.new_value()
        body.append(Call(out, _layer(src, builder, item.expr).id, (Arg(ref(current)),), src.loc(item.expr)))
        current = out
    return current


def _statement(src: SourceFile, item: Plain) -> Stmt:
    """The statement kept verbatim, without the blank lines and comments above it."""
    return Stmt(src.code(item.statement.with_changes(leading_lines=())).rstrip("\n"), src.loc(item.statement))


def _layer(src: SourceFile, builder: GraphBuilder, expr: cst.BaseExpression, args=None):
    keras = src.keras(expr.func) if isinstance(expr, cst.Call) else None
    if keras is not None and (keras.path in INPUT or keras.path in INPUT_LAYER):
        raise refuse(
            src.loc(expr),
            "an input can only be the first element of a Sequential model",
            "move it to the front, or build this model with the Functional API",
        )
    if isinstance(expr, cst.Call):
        return builder.constructed_layer(expr, "inline", args=args)
    if isinstance(expr, cst.Name) and expr.value in builder.named:
        return builder.layer_by_id(builder.named[expr.value])
    return builder.external_layer(expr)


def _input(src, builder, expr, options: Options, body: list[Node], built: Code | None) -> str:
    """The model input from the first element; appends it (and maybe that layer) to ``body``."""
    loc = src.loc(expr)
    keras = src.keras(expr.func) if isinstance(expr, cst.Call) else None
    if keras is not None and keras.path in INPUT:
        body.append(Input(builder.new_value(), builder.args(expr), loc, factory=Code(src.code(expr.func))))
        return body[-1].out
    if keras is not None and keras.path in INPUT_LAYER:
        args = tuple(_renamed(arg, INPUT_LAYER_ARGS, positional="shape") for arg in builder.args(expr))
        body.append(Input(builder.new_value(), args, loc))
        return body[-1].out
    if isinstance(expr, cst.Call):
        layer_args = builder.args(expr)
        own = OWN_INPUT_DIM if builder.type_name(expr.func) in LAYERS_WITH_INPUT_DIM else ()
        moved = [
            arg
            for arg in layer_args
            if (arg.keyword in FIRST_LAYER_INPUT_ARGS or arg.keyword == "input_dim") and arg.keyword not in own
        ]
        if moved:
            input_args = tuple(_input_arg(arg) for arg in moved)
            body.append(Input(builder.new_value(), input_args, loc))
            kept = tuple(arg for arg in layer_args if arg not in moved)
            return _stack_one(src, builder, expr, kept, body)
    _unknown_input(src, builder, expr, options, body, built)
    return _stack_one(src, builder, expr, None, body)


def _stack_one(src, builder, expr, args, body: list[Node]) -> str:
    out = builder.new_value()
    layer = _layer(src, builder, expr, args)
    body.append(Call(out, layer.id, (Arg(ref(body[-1].out)),), src.loc(expr)))
    return out


def _unknown_input(src, builder, anchor, options: Options, body: list[Node], built: Code | None) -> str:
    args: tuple[Arg, ...] = ()
    if built is not None:
        args = (Arg(built, "batch_shape"),)
    elif options.input_shape is not None:
        args = (Arg(Code(_shape_text(options.input_shape)), "shape"),)
    body.append(Input(builder.new_value(), args, src.loc(anchor)))
    return body[-1].out


def _shape_text(shape: tuple[int | None, ...]) -> str:
    parts = ", ".join("None" if dim is None else str(dim) for dim in shape)
    return f"({parts},)" if len(shape) == 1 else f"({parts})"


def _input_arg(arg: Arg) -> Arg:
    if arg.keyword == "input_dim":
        return Arg(Code(f"({arg.value.text},)"), "shape")
    return _renamed(arg, FIRST_LAYER_INPUT_ARGS)


def _renamed(arg: Arg, names: dict[str, str], positional: str | None = None) -> Arg:
    if arg.keyword is None and positional is not None and not arg.star:
        return Arg(arg.value, positional)
    return Arg(arg.value, names.get(arg.keyword, arg.keyword), arg.star)


def added_items(src: SourceFile, statements, target: str) -> tuple[list[Item], int]:
    """Layers added by the ``target.add(...)`` statements (and loops of them) that follow.

    Statements that do not touch ``target`` may stand between them (Géron's
    ResNet-34 computes ``strides`` and ``prev_filters`` there); they are kept,
    in place, up to the last add.  Returns the items and how many statements
    they took; stops at the first statement that touches ``target`` otherwise.
    """
    items: list[Item] = []
    taken = 0
    pending: list[Item] = []
    for statement in statements:
        found = _adds_in(src, statement, target)
        if found is None and target not in identifiers(statement):
            pending.append(Plain(statement))
            continue
        if found is None:
            break
        items += pending + found
        taken += len(pending) + 1
        pending = []
    return items, taken


def _adds_in(src: SourceFile, statement: cst.BaseStatement, target: str) -> list[Item] | None:
    if isinstance(statement, cst.SimpleStatementLine):
        exprs = [_added_expr(small, target) for small in statement.body]
        if exprs and all(expr is not None for expr in exprs):
            return [Element(expr) for expr in exprs]
        return None
    if isinstance(statement, cst.For) and statement.orelse is None and statement.asynchronous is None:
        elements = _block_items(src, statement.body, target)
        if elements is None:
            return None
        return [
            Repeat(src.code(statement.target), src.code(statement.iter), tuple(elements), src.loc(statement))
        ]
    if isinstance(statement, cst.If) and statement.orelse is None:
        elements = _block_items(src, statement.body, target)
        return [When(src.code(statement.test), tuple(elements), src.loc(statement))] if elements else None
    return None


def _block_items(src: SourceFile, block: cst.BaseSuite, target: str) -> list[Item] | None:
    """The items of a loop's (or an ``if``'s) body, or None unless it adds layers and only adds them."""
    elements: list[Item] = []
    for child in block.body:
        found = _adds_in(src, child, target)
        if found is None and target in identifiers(child):
            return None
        elements += found if found is not None else [Plain(child)]
    return elements if any(not isinstance(item, Plain) for item in elements) else None


def _added_expr(small: cst.BaseSmallStatement, target: str) -> cst.BaseExpression | None:
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    call = small.value
    func = call.func
    if (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == target
        and func.attr.value == "add"
        and len(call.args) == 1
        and call.args[0].keyword is None
        and not call.args[0].star
    ):
        return call.args[0].value
    return None


def element_names(items: list[Item]) -> set[str]:
    """Names of layer objects the model lists (``Sequential([dense, ...])``)."""
    names: set[str] = set()
    for item in items:
        if isinstance(item, (Repeat, When)):
            names |= element_names(list(item.elements))
        elif isinstance(item, Plain):
            continue
        elif isinstance(item.expr, cst.Name):
            names.add(item.expr.value)
    return names


def layer_definitions(src: SourceFile, before, names: set[str]) -> list[cst.SimpleStatementLine]:
    """The ``name = Layer(...)`` statements right before the model that make its listed layers."""
    found: list[cst.SimpleStatementLine] = []
    for statement in reversed(before):
        if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
            break
        small = statement.body[0]
        if not (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.targets[0].target.value in names
            and isinstance(small.value, cst.Call)
            and not _makes_model(src, small.value)
        ):
            break
        found.insert(0, statement)
        names = names - {small.targets[0].target.value}
    return found


def _makes_model(src: SourceFile, call: cst.Call) -> bool:
    keras = src.keras(call.func)
    return keras is not None and (keras.path in SEQUENTIAL or keras.path in MODEL)


def build_shape(statement: cst.BaseStatement | None, target: str) -> cst.BaseExpression | None:
    """The shape of a ``target.build(shape)`` statement, if that is what ``statement`` is."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    call = small.value
    func = call.func
    if not (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == target
        and func.attr.value == "build"
        and len(call.args) == 1
        and not call.args[0].star
        and (call.args[0].keyword is None or call.args[0].keyword.value == "input_shape")
    ):
        return None
    return call.args[0].value
