"""Lifting a Sequential model into the IR.

Turns the items parse/sequential/items.py reads (list elements, ``.add()``
calls, loops and ``if`` blocks of them) into a chain of calls.  The input comes
from a ``keras.Input`` / ``InputLayer`` first element, or from ``input_shape=``
/ ``input_dim=`` / ``batch_input_shape=`` (an ``Embedding``'s ``input_length=``) on the first layer (also
when it is made apart and listed by name, as Keras reads it from the layer object), or from a
``model.build(shape)`` after the model, or from ``--input-shape``; a model that starts
with an ``Embedding`` and says no length takes any (parse/sequential/any_length.py).
Which arguments give that input is read in parse/sequential/input_args.py.
"""

from __future__ import annotations

import libcst as cst

from ...ir.control import Carried, Cond, Loop
from ...ir.graph import Graph
from ...ir.nodes import Call, Define, Input, Node, Stmt
from ...ir.reads import identifiers_of
from ...ir.source_text import Arg, Code, placeholder, ref
from ...types import Options
from ..builder import GraphBuilder, refuse
from ..keras_names import INPUT, INPUT_LAYER
from .any_length import with_any_length
from .input_args import (
    INPUT_LAYER_ARGS,
    branches_input,
    first_layer_input,
    input_of,
    input_args_of,
    made_layer,
    nested_input_args,
    renamed,
)
from .items import Element, Item, Plain, Repeat, ShapeRead, When
from ..names_in import identifiers
from ..prelude import verbatim
from ..reaching import reaching_call
from ..source import SourceFile


def lift_sequential(
    src: SourceFile,
    builder: GraphBuilder,
    ctor: cst.Call,
    items: list[Item],
    name: cst.Arg | None,
    extra: list[cst.Arg],
    options: Options,
    definitions: list[cst.SimpleStatementLine] = (),
    built: tuple[Arg, ...] | None = None,
    prepared: list[cst.SimpleStatementLine] = (),
) -> Graph:
    """The graph of a Sequential model; ``definitions`` are ``name = Layer(...)``
    statements just before it whose names the model lists (and those that set an attribute of
    one or add a layer to it), ``built`` the shape a
    ``model.build(shape)`` after it gives, used when the layers give none, and
    ``prepared`` the statements before both that prepare their arguments."""
    if not items:
        raise refuse(src.loc(ctor), "this Sequential model has no layers", "add layers to it first")
    body: list[Node] = [verbatim(src, statement) for statement in prepared]
    named: dict[str, str] = {}
    for statement in definitions:
        assign = statement.body[0]
        if not isinstance(assign, cst.Assign) or not isinstance(assign.targets[0].target, cst.Name):
            # ``features.trainable = False`` or ``features.add(...)`` after the layer it changes.
            body.append(verbatim(src, statement))
            continue
        layer_name = assign.targets[0].target.value
        if _makes_input(src, assign.value):
            # ``inputs = keras.Input(...)`` right before ``Sequential([inputs, ...])``: no layer,
            # the model's input (``_input_made``).
            continue
        layer = builder.constructed_layer(assign.value, "named", layer_name)
        named[layer_name] = layer.id
        body.append(Define(layer.id, src.loc(statement)))
    builder.named = named
    # Statements before the first add run before the input is made, as they did.
    # ``added_items`` keeps a statement only when an add follows it, so a layer comes.
    leading = next(index for index, item in enumerate(items) if not isinstance(item, Plain))
    if isinstance(items[leading], ShapeRead):
        raise refuse(
            src.loc(items[leading].statement),
            f"`{src.code(items[leading].statement).strip()}` reads the output shape of a model with no layer yet",
            f"move it after the first `{items[leading].target}.add(...)`",
        )
    body += [_statement(src, item) for item in items[:leading]]
    items = items[leading:]
    made = _layers_made_among(src, builder, items)
    first = items[0]
    if isinstance(first, Element):
        expr = _input_made(src, builder, first.expr) or first.expr
        current, rest = _input(src, builder, expr, options, body, built), items[1:]
    elif isinstance(first, Repeat) and (args := first_layer_input(src, builder, first.first)):
        # The loop's first layer says the input shape; it keeps the argument, which Keras ignores
        # on a layer called on a tensor.
        body.append(Input(builder.new_value(), args, src.loc(first.first)))
        current, rest = body[-1].out, items
    elif isinstance(first, When) and (args := branches_input(src, builder, first)):
        # ``if K.image_data_format() == ...:`` adds the first layer in either order, each branch
        # with the same input shape; the layers keep the argument, as a loop's first layer does.
        body.append(Input(builder.new_value(), args, first.loc))
        current, rest = body[-1].out, items
    else:
        current, rest = _unknown_input(src, builder, ctor, options, body, built), items
    current = _stack(src, builder, rest, current, body, made)
    body = with_any_length(body, builder.layers)
    return Graph(
        layers=tuple(builder.layers),
        body=tuple(body),
        inputs=ref(next(node.out for node in body if isinstance(node, Input))),
        outputs=ref(current),
        name=Code(src.code(name.value)) if name is not None else None,
        extra=tuple(builder.arg(arg, Code(src.code(arg.value))) for arg in extra),
        loc=src.loc(ctor),
    )


def _stack(src: SourceFile, builder: GraphBuilder, items, current: str, body: list[Node], made=None) -> str:
    made = made or {}
    for item in items:
        if isinstance(item, Plain) and item.statement in made:
            body.append(Define(made[item.statement].id, src.loc(item.statement)))
            continue
        if isinstance(item, Plain):
            body.append(_statement(src, item))
            continue
        if isinstance(item, ShapeRead):
            body.append(_shape_read(src, item, current))
            continue
        if isinstance(item, Repeat):
            param = builder.new_value()
            inner: list[Node] = []
            builder.loop_entered(identifiers_of(f"({item.target})"), item.iterable)
            result = _stack(src, builder, item.elements, param, inner, made)
            out = builder.new_value()
            carried = (Carried(current, param, result, out),)
            body.append(Loop(item.target, Code(item.iterable), carried, tuple(inner), item.loc))
            current = out
            continue
        if isinstance(item, When):
            param = builder.new_value()
            inner, other = [], []
            result = _stack(src, builder, item.elements, param, inner, made)
            # The ``else`` starts from the same tensor as the body, in place of it.
            otherwise = _stack(src, builder, item.orelse, param, other, made) if item.orelse else None
            out = builder.new_value()
            carried = (Carried(current, param, result, out, other=otherwise),)
            body.append(Cond(Code(item.test), carried, tuple(inner), item.loc, tuple(other)))
            current = out
            continue
        out = builder.new_value()
        # ``item.loc`` only for an expression kconvert wrote: a name of the source is looked up.
        layer = _layer(src, builder, item.expr, loc=item.loc)
        body.append(Call(out, layer.id, (Arg(ref(current)),), item.loc or src.loc(item.expr)))
        current = out
    return current


def _layers_made_among(src: SourceFile, builder: GraphBuilder, items: list[Item]) -> dict:
    """A ``name = Layer(...)`` among the adds that one later add lists (``crf = CRF(...)``, then
    ``model.add(crf)``) makes a layer of the model, as the Functional parser reads it: the other
    styles make it where the model makes its layers, not as a statement of its own. Only when no
    other statement of the model binds or reads the name, and the add follows it in the same block
    (the top of the model's code, or the body of one of its loops or ``if`` branches: a VGG's
    ``conv2d = Conv2D(v, ...)`` then ``model.add(conv2d)`` for each number of its ``cfg``)."""
    made = {}
    listed = [name for block in _blocks(items) for name in _listed(block)]
    for block in _blocks(items):
        made.update(_made_in(src, builder, items, block, listed))
    return made


def _made_in(src: SourceFile, builder: GraphBuilder, items: list[Item], block: list[Item], listed: list[str]) -> dict:
    made = {}
    for index, item in enumerate(block):
        if not isinstance(item, Plain):
            continue
        statement = item.statement
        simple = isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
        assign = statement.body[0] if simple else None
        if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1):
            continue
        target, value = assign.targets[0].target, assign.value
        if not (isinstance(target, cst.Name) and isinstance(value, cst.Call)):
            continue
        # What the model adds is a layer, whoever makes it (keras-contrib's ``CRF``); of Keras'
        # own names only a layer class (``keras.Input(...)`` added is no layer it makes).
        keras = src.keras(value.func)
        if keras is not None and not keras.is_layer_class:
            continue
        name = target.value
        later = _listed(block[index + 1 :])
        if listed.count(name) == 1 and name in later and sum(_mentions(other, name, statement) for other in items) == 1:
            made[statement] = builder.constructed_layer(value, "named", name)
            builder.named[name] = made[statement].id
    return made


def _blocks(items: list[Item]) -> list[list[Item]]:
    """``items`` and the items of each loop and ``if`` branch among them, nested ones too."""
    found = [list(items)]
    for item in items:
        if isinstance(item, (Repeat, When)):
            found += _blocks(list(item.elements))
        if isinstance(item, When) and item.orelse:
            found += _blocks(list(item.orelse))
    return found


def _listed(block: list[Item]) -> list[str]:
    """The names a block adds as they are (``model.add(crf)``), not counting nested blocks."""
    return [item.expr.value for item in block if isinstance(item, Element) and isinstance(item.expr, cst.Name)]


def _mentions(item: Item, name: str, definition: cst.BaseStatement) -> bool:
    """Whether ``item`` (other than the definition itself) names ``name``."""
    if isinstance(item, Plain):
        return item.statement is not definition and name in identifiers(item.statement)
    if isinstance(item, Element):
        return name in identifiers(item.expr)
    if isinstance(item, ShapeRead):
        return name in identifiers(item.statement)
    return any(_mentions(inner, name, definition) for inner in (*item.elements, *getattr(item, "orelse", ())))


def _statement(src: SourceFile, item: Plain) -> Stmt:
    """The statement kept verbatim, without the blank lines and comments above it."""
    return Stmt(src.code(item.statement.with_changes(leading_lines=())).rstrip("\n"), src.loc(item.statement))


def _shape_read(src: SourceFile, item: ShapeRead, current: str) -> Stmt:
    """``model.output_shape`` among the adds is the shape of the last layer's output, ``x.shape``."""
    name = placeholder(current)
    statement = item.statement.with_changes(leading_lines=()).visit(_OutputShape(item.target, name))
    return Stmt(src.code(statement).rstrip("\n"), src.loc(item.statement), ((name, current),))


class _OutputShape(cst.CSTTransformer):
    def __init__(self, target: str, name: str) -> None:
        self.target = target
        self.name = name

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if isinstance(original.value, cst.Name) and original.value.value == self.target:
            return updated.with_changes(value=cst.Name(self.name), attr=cst.Name("shape"))
        return updated


def _makes_input(src: SourceFile, expr: cst.BaseExpression) -> bool:
    """Whether ``expr`` is a ``keras.Input(...)`` or ``InputLayer(...)`` call."""
    keras = src.keras(expr.func) if isinstance(expr, cst.Call) else None
    return keras is not None and (keras.path in INPUT or keras.path in INPUT_LAYER)


def _input_made(src: SourceFile, builder: GraphBuilder, expr: cst.BaseExpression) -> cst.Call | None:
    """The ``keras.Input(...)`` / ``InputLayer(...)`` call ``expr`` is, or that makes the tensor it
    names (``inputs = keras.Input(...)`` then ``Sequential([inputs, ...])``, which Keras reads as
    that input layer): read as that call written in the list, not as a layer called on the input."""
    if isinstance(expr, cst.Name):
        expr = builder.made_by(expr) or reaching_call(src, expr)
    return expr if expr is not None and _makes_input(src, expr) else None


def _refuse_input_not_first(src: SourceFile, expr: cst.BaseExpression) -> None:
    raise refuse(
        src.loc(expr),
        "an input can only be the first element of a Sequential model",
        "move it to the front, or build this model with the Functional API",
    )


def _layer(src: SourceFile, builder: GraphBuilder, expr: cst.BaseExpression, args=None, loc=None):
    if _input_made(src, builder, expr) is not None:
        _refuse_input_not_first(src, expr)
    if isinstance(expr, cst.Call):
        return builder.constructed_layer(expr, "inline", args=args)
    if isinstance(expr, cst.Name) and expr.value in builder.named:
        return builder.layer_by_id(builder.named[expr.value])
    return builder.external_layer(expr, loc)


def _input(src, builder, expr, options: Options, body: list[Node], built: tuple[Arg, ...] | None) -> str:
    """The model input from the first element; appends it (and maybe that layer) to ``body``."""
    loc = src.loc(expr)
    keras = src.keras(expr.func) if isinstance(expr, cst.Call) else None
    if keras is not None and keras.path in INPUT:
        body.append(Input(builder.new_value(), builder.args(expr), loc, factory=Code(src.code(expr.func))))
        return body[-1].out
    if keras is not None and keras.path in INPUT_LAYER:
        args = tuple(renamed(arg, INPUT_LAYER_ARGS, positional="shape") for arg in builder.args(expr))
        body.append(Input(builder.new_value(), args, loc))
        return body[-1].out
    if isinstance(expr, cst.Call):
        layer_args = builder.args(expr)
        moved = input_args_of(builder, expr, layer_args)
        if moved:
            body.append(Input(builder.new_value(), input_of(builder, moved, layer_args, loc), loc))
            # A Keras Application keeps its ``input_shape=``: it sizes the network it makes.
            kept = tuple(arg for arg in layer_args if arg not in moved) if builder.is_layer_class(expr.func) else None
            return _stack_one(src, builder, expr, kept, body)
    made = made_layer(src, builder, expr)
    moved = input_args_of(builder, made, builder.args(made)) if made is not None else ()
    if moved:
        # ``norm = Normalization(input_shape=(1,))`` made apart (it is adapted), then listed first.
        body.append(Input(builder.new_value(), input_of(builder, moved, builder.args(made), loc), loc))
        return _stack_one(src, builder, expr, None, body)
    nested = nested_input_args(src, builder, expr)
    if nested is not None:
        # ``Sequential([Sequential([Input(shape=(4,)), ...]), ...])``: the inner model's input is the model's.
        body.append(Input(builder.new_value(), nested, loc))
    else:
        _unknown_input(src, builder, expr, options, body, built)
    return _stack_one(src, builder, expr, None, body)


def _stack_one(src, builder, expr, args, body: list[Node]) -> str:
    out = builder.new_value()
    layer = _layer(src, builder, expr, args)
    body.append(Call(out, layer.id, (Arg(ref(body[-1].out)),), src.loc(expr)))
    return out


def _unknown_input(src, builder, anchor, options: Options, body: list[Node], built: tuple[Arg, ...] | None) -> str:
    args: tuple[Arg, ...] = ()
    if built is not None:
        args = built
    elif options.input_shape is not None:
        args = (Arg(Code(_shape_text(options.input_shape)), "shape"),)
    body.append(Input(builder.new_value(), args, src.loc(anchor)))
    return body[-1].out


def _shape_text(shape: tuple[int | None, ...]) -> str:
    parts = ", ".join("None" if dim is None else str(dim) for dim in shape)
    return f"({parts},)" if len(shape) == 1 else f"({parts})"
