"""What a Sequential model's source says, before it is lifted.

The items a model is read into (layers, loops and ``if`` blocks of them, plain statements between
them), the elements of the list constructor (``Sequential([...])``, ``layers=[...]``,
``*[Dense(4) for _ in range(n)]``), the ``name = Layer(...)`` definitions just before it, and a
``model.build(shape)`` just after it.  The ``.add()`` statements after the constructor are read
in parse/sequential/adds.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import libcst as cst

from ...ir.reads import attribute_set_on, changed_by_method, layer_added_to
from ...ir.source_text import Loc
from ..builder import refuse
from ..keras_names import INPUT, INPUT_LAYER, MODEL, SEQUENTIAL
from ..layer_lists import first_layer, is_layer_list, list_names, listed_literals, loop_variable
from ..source import SourceFile
from .loop_target import check_loop_target
from .unseen import other_models_layers, unseen_layers

STRINGS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


@dataclass(frozen=True)
class Element:
    """One layer of the stack, as an expression of the source.

    ``loc`` is set for an expression kconvert wrote itself (a loop variable), which has no place
    of its own in the source.
    """

    expr: cst.BaseExpression
    loc: Loc | None = None


@dataclass(frozen=True)
class Repeat:
    """Layers added once per item of ``iterable``.

    ``first`` is the layer the first pass adds when the source shows it (the
    first element of a named list literal): its ``input_shape=`` is the model's.
    """

    target: str
    iterable: str
    elements: tuple["Element | Repeat", ...]
    loc: Loc
    first: cst.BaseExpression | None = None


@dataclass(frozen=True)
class When:
    """Layers added only when ``test`` (a builder parameter such as ``use_bn``) holds, and
    ``orelse`` the ones added when it does not (an ``elif`` is one ``When`` there)."""

    test: str
    elements: tuple["Element | Repeat | When", ...]
    loc: Loc
    orelse: tuple["Element | Repeat | When | Plain", ...] = ()


@dataclass(frozen=True)
class Plain:
    """A statement among the ``.add()`` calls that does not touch the model (``prev_filters = filters``)."""

    statement: cst.BaseStatement


@dataclass(frozen=True)
class ShapeRead:
    """A statement among the ``.add()`` calls that reads the model only as ``target.output_shape``
    (the DCGAN tutorial's ``assert model.output_shape == (None, 7, 7, 256)``): the shape of the
    last layer's output at that point."""

    statement: cst.SimpleStatementLine
    target: str


Item = Element | Repeat | When | Plain | ShapeRead


def layers_arg(ctor: cst.Call) -> cst.BaseExpression | None:
    """What ``Sequential(...)`` is given as its layers."""
    for position, arg in enumerate(ctor.args):
        keyword = arg.keyword.value if arg.keyword else None
        if keyword == "layers" or (keyword is None and not arg.star and position == 0):
            return arg.value
    return None


def constructor_items(
    src: SourceFile, ctor: cst.Call, before=(), owned: Mapping[str, cst.BaseExpression] = {}
) -> tuple[list[Item], cst.Arg | None, list[cst.Arg]]:
    """The layers given to ``Sequential(...)``, its ``name=`` and its other keywords;
    ``before``: the statements of its block before it, which may make its layer lists;
    ``owned``: the lists of the names that are the model's own (``layer_lists.owned_lists``)."""
    items: list[Item] = []
    name = None
    extra = []
    for position, arg in enumerate(ctor.args):
        keyword = arg.keyword.value if arg.keyword else None
        positional = keyword is None and not arg.star
        if keyword == "name" or (positional and position == 1 and isinstance(arg.value, STRINGS)):
            # Keras 2's ``Sequential(layers, name)``.
            name = arg
        elif keyword == "layers" or (positional and position == 0):
            items.extend(_list_items(src, arg.value, before, owned))
        elif positional:
            # ``Sequential([Input(...)], Dense(64), ...)``: Keras would take it for ``trainable``.
            raise refuse(
                src.loc(arg),
                f"`{src.code(arg.value).strip()}` is passed to the Sequential constructor after its layer list;"
                " Keras takes the layers in one list, and no other argument by position",
                "move it into the list, or pass it by keyword",
            )
        else:
            extra.append(arg)
    return items, name, extra


def _list_items(src: SourceFile, value: cst.BaseExpression, before=(), owned: Mapping[str, cst.BaseExpression] = {}) -> list[Item]:
    if isinstance(value, cst.Name) and value.value == "None":
        return []
    if isinstance(value, cst.Name) and value.value in owned:
        return _list_items(src, owned[value.value], before, owned)
    names = list_names(value)
    literals = listed_literals(names, before) if names is not None and not set(owned) & {name.value for name in names} else None
    if literals:
        # ``Sequential(feature_layers + head_layers)``: a loop over those very layer objects.
        for literal in literals:
            _refuse_looped_input(src, literal, value)
        target = loop_variable(src.module)
        first = first_layer(literals[0])
        return [Repeat(target, src.code(value), (Element(cst.Name(target), src.loc(value)),), src.loc(value), first)]
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add) and not value.lpar:
        # ``[GRU(8) for i in range(n)] + [Dense(1)]``: the layers of one list, then of the other.
        return _list_items(src, value.left, before, owned) + _list_items(src, value.right, before, owned)
    if isinstance(value, cst.ListComp) and is_layer_list(value):
        return [_comprehension(src, value, src.loc(value))]
    if not isinstance(value, (cst.List, cst.Tuple)):
        raise refuse(src.loc(value), *unseen_layers(src, value, before))
    items: list[Item] = []
    for element in value.elements:
        if isinstance(element, cst.StarredElement) and isinstance(element.value, cst.IfExp):
            items.append(_starred_choice(src, element, element.value))
        elif isinstance(element, cst.StarredElement) and isinstance(element.value, cst.ListComp):
            items.append(_starred_comprehension(src, element))
        elif isinstance(element, cst.StarredElement):
            # ``[*blocks, Dense(1)]``: the layers of that list, where it stands.
            items.extend(_list_items(src, element.value, before, owned))
        else:
            items.append(Element(element.value))
    return items


def _refuse_looped_input(src: SourceFile, listed: cst.BaseExpression, value: cst.BaseExpression) -> None:
    """A list the model loops over holds layers only: ``keras.Input(...)`` there is a tensor, not a layer."""
    if isinstance(listed, cst.BinaryOperation):
        _refuse_looped_input(src, listed.left, value)
        _refuse_looped_input(src, listed.right, value)
        return
    for element in listed.elements if isinstance(listed, (cst.List, cst.Tuple)) else ():
        keras = src.keras(element.value.func) if isinstance(element.value, cst.Call) else None
        if keras is not None and (keras.path in INPUT or keras.path in INPUT_LAYER):
            raise refuse(
                src.loc(element),
                f"`{src.code(element.value)}` is in `{src.code(value)}`, which the other styles call item by item"
                " as layers (the list is read elsewhere, or made away from the model), and an input is not a layer",
                "make the input the model's own (`keras.Sequential([keras.Input(...), *the_list])`), or keep this model Sequential",
            )


def _starred_choice(src: SourceFile, element: cst.StarredElement, choice: cst.IfExp) -> When:
    """``*([LSTM(8), Attention()] if use_attention else [LSTM(8)])``: the layers of one list or of
    the other, as ``if use_attention: model.add(...) else: model.add(...)`` would add them."""
    for side in (choice.body, choice.orelse):
        if not isinstance(side, (cst.List, cst.Tuple)):
            raise refuse(
                src.loc(side),
                f"`{src.code(side)}` is not a list literal of layers",
                "write both sides of the `if ... else ...` as lists of layers, or use model.add(...) in an if block",
            )
    body, orelse = _list_items(src, choice.body), _list_items(src, choice.orelse)
    return When(src.code(choice.test), tuple(body), src.loc(element), tuple(orelse))


def _starred_comprehension(src: SourceFile, element: cst.StarredElement) -> Repeat:
    if is_layer_list(element.value):
        return _comprehension(src, element.value, src.loc(element))
    raise refuse(
        src.loc(element),
        f"`{src.code(element)}` is not a plain list comprehension of layers",
        "write `*[Layer(...) for _ in range(n)]` or use a for loop of model.add(...)",
    )


def _comprehension(src: SourceFile, comp: cst.ListComp, loc: Loc) -> Repeat:
    """``[GRU(8) for i in range(n)]``: the layer made once per item, as a loop of adds would."""
    shared = other_models_layers(src, comp.for_in.iter, comp)
    if shared is not None:
        # ``[MCDropout(l.rate) if ... else l for l in model.layers]``: that model's very layers.
        raise refuse(loc, *shared)
    check_loop_target(src, comp)
    return Repeat(src.code(comp.for_in.target), src.code(comp.for_in.iter), (Element(comp.elt),), loc)


def element_names(items: list[Item]) -> set[str]:
    """Names of layer objects the model lists (``Sequential([dense, ...])``)."""
    names: set[str] = set()
    for item in items:
        if isinstance(item, (Repeat, When)):
            names |= element_names(list(item.elements))
        elif isinstance(item, (Plain, ShapeRead)):
            continue
        elif isinstance(item.expr, cst.Name):
            names.add(item.expr.value)
    return names


def layer_definitions(
    src: SourceFile, before, names: set[str], sequentials: bool = False
) -> list[cst.SimpleStatementLine]:
    """The ``name = Layer(...)`` statements right before the model that make its listed layers.
    With ``sequentials`` (a graph made in a function), a ``keras.Sequential([...])`` the model calls
    is one of its layers too (the Keras ACGAN's ``cnn = Sequential()`` in ``build_generator``,
    then ``cnn(...)``), and so are the statements that grow one of them (``cnn.add(...)``) or set
    an attribute of one (``base.trainable = False``)."""
    taken: list[tuple[str, str, cst.SimpleStatementLine]] = []  # (kind, name, statement), last first
    for statement in reversed(before):
        if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
            break
        small = statement.body[0]
        set_on = (_constant_set_on(small) or layer_added_to(small) or changed_by_method(small)) if sequentials else None
        if set_on is not None and set_on in names:
            taken.append(("sets", set_on, statement))
            continue
        if not (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.targets[0].target.value in names
            and isinstance(small.value, cst.Call)
            and (not makes_model(src, small.value) or sequentials and _makes_sequential(src, small.value))
        ):
            break
        taken.append(("makes", small.targets[0].target.value, statement))
        names = names - {small.targets[0].target.value}
    found = list(reversed(taken))
    # A statement setting what no statement taken makes is the function's: those above it stay too.
    while True:
        made = {name for kind, name, _ in found if kind == "makes"}
        stray = [index for index, (kind, name, _) in enumerate(found) if kind == "sets" and name not in made]
        if not stray:
            return [statement for _, _, statement in found]
        found = found[stray[-1] + 1 :]


def _constant_set_on(small: cst.BaseSmallStatement) -> str | None:
    """``base`` of ``base.trainable = False``, set to a constant: a statement that reads nothing else."""
    constant = isinstance(small, cst.Assign) and (
        isinstance(small.value, (cst.Integer, cst.Float, cst.SimpleString))
        or isinstance(small.value, cst.Name) and small.value.value in ("True", "False", "None")
    )
    return attribute_set_on(small) if constant else None


def _makes_sequential(src: SourceFile, call: cst.Call) -> bool:
    keras = src.keras(call.func)
    return keras is not None and keras.path in SEQUENTIAL


def makes_model(src: SourceFile, call: cst.Call) -> bool:
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
