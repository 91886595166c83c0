"""Reading the ``__init__`` of a ``keras.Model`` subclass.

The constructor says which layers exist, under which attribute, and with which
arguments; which constructor parameters there are (they become the builder's
parameters); and what ``super().__init__`` passes on (``name=``, ``**kwargs``).
Layers are recognised only later, by being called in ``call``: here every
``self.attr = <expr>`` is simply recorded.  ``self.attr`` reads in layer
arguments and in ``call`` are replaced by what was assigned (``self.units``
→ ``units``), so the lifted model reads the parameters themselves.  A tail from
``self.compile(...)``, or another statement run for its effect after ``super().__init__``,
on sets the model up (parse/model_setup.py).  What ``super().__init__`` passes on is read in
super_init.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from ...ir.model_parts import Param, Setup
from ...ir.source_text import Loc
from ..builder import refuse
from ..init_lists import LayerList, appended, changed_attribute, comprehension, grown_attribute, made_where_called, self_attribute
from ..model_setup import setup_start, setup_statements, stores_param
from ..names_in import bound_names, identifiers, self_attributes_in
from ..params import source_param
from ..source import SourceFile
from .init_branches import calls_in_node, read_branches
from .learned import learning_guard
from .super_init import default_name, is_super_init, super_args


@dataclass
class Init:
    """What ``__init__`` defines."""

    params: tuple[Param, ...] = ()
    name: cst.BaseExpression | None = None
    extra: tuple[cst.Arg, ...] = ()
    # self.attr = <expression>, in order: layers, config values and literal lists alike.
    attrs: dict[str, cst.BaseExpression] = field(default_factory=dict)
    lists: dict[str, LayerList] = field(default_factory=dict)
    # Local statements (``units = hidden * 2``, an ``if`` that picks them) that layer arguments may read.
    locals: list[cst.BaseStatement] = field(default_factory=list)
    # ``self.compile(...)`` and what follows it: run on the model once its layers are made.
    setup: tuple[Setup, ...] = ()


def read_init(src: SourceFile, cls: cst.ClassDef, init: cst.FunctionDef | None) -> Init:
    found = Init()
    if init is None:
        return found
    found.params = constructor_params(src, init)
    body = tuple(init.body.body)
    if body and _bare_return(body[-1]):
        # ``return`` as __init__'s last line (dragen1860's DCGAN) does nothing.
        body = body[:-1]
    start = setup_start(body)
    for statement in body[:start]:
        _statement(src, cls, statement, found)
    found.setup = setup_statements(src, body[:start], body[start:], {param.name for param in found.params})
    _check_setup_makes_no_layer(src, cls, found.setup)
    return found


def _bare_return(statement: cst.BaseStatement) -> bool:
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    return isinstance(small, cst.Return) and small.value is None


def _check_setup_makes_no_layer(src: SourceFile, cls: cst.ClassDef, setup: tuple[Setup, ...]) -> None:
    """An attribute set after the setup starts (``self.compile(...)``) that ``call`` reads is a layer made late."""
    calls = [item for item in cls.body.body if isinstance(item, cst.FunctionDef) and item.name.value == "call"]
    read = self_attributes_in(calls[0]) if calls else set()
    for statement in setup:
        late = sorted(statement.sets & read)
        if late:
            start = _call_shape(setup[0].first_line.strip())
            raise refuse(
                statement.loc,
                f"`self.{late[0]}`, which call() uses, is made after `{start}`; kconvert reads the"
                " layers `__init__` makes before it sets the model up",
                f"make `self.{late[0]}` before `{start}`, or keep the model a subclass",
            )


def _stores(src: SourceFile, init: cst.FunctionDef) -> dict[str, Loc]:
    """Where ``__init__`` stores each parameter it keeps as given (``self.units = units``), first."""
    names = {param.name.value for param in [*init.params.params, *init.params.kwonly_params]}
    stores: dict[str, Loc] = {}
    body = init.body.body if isinstance(init.body, cst.IndentedBlock) else ()
    for statement in body:
        if stores_param(statement, names):
            stores.setdefault(statement.body[0].value.value, src.loc(statement))
    return stores


def _call_shape(line: str) -> str:
    """``self.compile(...)`` for ``self.compile(loss="mse")``: the statement, short enough for a message."""
    return line.split("(", 1)[0] + "(...)" if "(" in line else line


def constructor_params(src: SourceFile, init: cst.FunctionDef) -> tuple[Param, ...]:
    params = init.params
    if params.posonly_params:
        raise refuse(src.loc(init), "positional-only constructor parameters cannot be converted")
    found = []
    stores = _stores(src, init)
    for position, param in enumerate([*params.params, *params.kwonly_params]):
        if position == 0:
            continue
        found.append(replace(source_param(src, param), loc=stores.get(param.name.value)))
    if isinstance(params.star_arg, cst.Param):
        raise refuse(
            src.loc(params.star_arg),
            "`*args` in the constructor cannot become a builder parameter",
            "name the parameters the model needs",
        )
    if params.star_kwarg is not None:
        found.append(Param(params.star_kwarg.name.value, star="**"))
    return tuple(found)


def _statement(src: SourceFile, cls: cst.ClassDef, statement: cst.BaseStatement, found: Init) -> None:
    learning = learning_guard(cls, statement, {param.name for param in found.params})
    if learning is not None:
        for inner in learning:
            _statement(src, cls, inner, found)
        return
    if not isinstance(statement, cst.SimpleStatementLine) and "self" not in identifiers(statement):
        # ``if num_classes == 2: units = 1 else: ...``: plain code that prepares layer arguments.
        found.locals.append(statement)
        return
    if isinstance(statement, cst.If):
        read_branches(src, cls, statement, found, _statement)
        return
    if isinstance(statement, cst.For):
        _appended(src, statement, found)
        return
    if not isinstance(statement, cst.SimpleStatementLine):
        raise refuse(
            src.loc(statement),
            f"a `{type(statement).__name__.lower()}` statement in __init__ cannot be converted",
        )
    if all(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body):
        # ``from keras import layers`` in __init__: a local the layer constructors read.
        found.locals.append(statement)
        return
    for small in statement.body:
        if is_super_init(small):
            super_args(src, small.value, found)
        elif default_name(small, found.params) is not None:
            found.name = default_name(small, found.params)
        elif isinstance(small, cst.Expr) and isinstance(
            small.value, (cst.SimpleString, cst.ConcatenatedString)
        ):
            continue
        elif isinstance(small, cst.Raise) and len(statement.body) == 1:
            # ``else: raise ValueError(...)`` beside the branches that make layers: it runs where it stands.
            found.locals.append(statement)
        elif isinstance(small, cst.Assert) and len(statement.body) == 1 and "self" not in identifiers(small):
            # ``assert channels % dim == 0, "..."`` on the parameters: it runs where it stands, as a raise.
            found.locals.append(statement)
        elif grown_attribute(small) and _legacy_added(src, small):
            pass  # refused there
        elif (changed := grown_attribute(small) or changed_attribute(small)) and _named_locally(src, cls, changed, statement, found):
            # ``self.cnn.add(Dense(8))`` after ``self.cnn = Sequential()``: read as ``cnn.add(...)``;
            # ``self.norm.adapt(data)`` so too.
            continue
        elif (_plain_expression(small) or _calls_local(small, found)) and len(statement.body) == 1:
            # ``print(...)`` (a Functional model's line, moved here by to-subclass) runs where it
            # stands, and so does ``word_model(keras.Input(shape=(self.maxlen,)))``, which builds a
            # model made above (a nested model to-subclass made a class of).
            found.locals.append(statement)
        elif isinstance(small, cst.Assign) and all("self" not in identifiers(t.target) for t in small.targets):
            # ``units = 64``, ``width = depth = 8`` (a builder's locals, moved here by to-subclass),
            # or ``backbone.trainable = False`` on a local layer.
            found.locals.append(statement)
        elif isinstance(small, cst.AnnAssign) and small.value is not None and self_attribute(small.target):
            # ``self.encoder: Model = self._create_encoder()``: the annotation says nothing of the layer.
            _assign(src, self_attribute(small.target), small.value, found)
        elif isinstance(small, cst.AnnAssign) and small.value is not None and "self" not in identifiers(small.target):
            # ``rate: float = 1e-4``: a local, as its unannotated twin is.
            found.locals.append(statement)
        elif (
            isinstance(small, cst.Assign)
            and len(small.targets) > 1
            and all(self_attribute(t.target) for t in small.targets)
            and not calls_in_node(small.value)
        ):
            # ``self.num_features = self.hidden_size = hidden_size``: one value under two names.
            # Not a call's result: two attributes of one layer would be one layer under two names.
            for target in small.targets:
                _assign(src, self_attribute(target.target), small.value, found)
        elif isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            attr = self_attribute(target)
            if attr is not None:
                _assign(src, attr, small.value, found)
            elif _pairs(target, small.value) is not None:
                # ``self.a, self.b = Dense(8), Dense(2)``: one assignment per attribute.
                for element, value in _pairs(target, small.value):
                    _assign(src, self_attribute(element), value, found)
            elif isinstance(target, cst.Attribute) and self_attribute(target.value) is not None:
                # ``self.base.trainable = False``: the layer is changed where only its attribute names it.
                layer = self_attribute(target.value)
                if _named_locally(src, cls, layer, statement, found):
                    continue
                raise refuse(
                    src.loc(small),
                    f"`{src.code(target)} = ...` in __init__ cannot be converted",
                    f"make the layer a local first (`{layer} = ...`, `{layer}.{target.attr.value} = ...`,"
                    f" `self.{layer} = {layer}`), which every style can write",
                )
            else:
                raise refuse(
                    src.loc(small),
                    f"`{src.code(target)} = ...` in __init__ cannot be converted",
                    "assign each attribute on its own line (`self.a = ...`)",
                )
        else:
            raise refuse(
                src.loc(small),
                f"`{src.code(small).strip()}` in __init__ cannot be converted",
                "keep __init__ to layer and parameter assignments",
            )


def _legacy_added(src: SourceFile, small: cst.BaseSmallStatement) -> bool:
    """Refuses ``self.decoder.add(Conv2DTranspose(...))`` where the layer comes from a Keras 2
    internal path (``tensorflow.python.keras.layers``), as every layer the model's own code makes
    is: every style writes the Sequential so grown as ``decoder.add(...)``, a model of its own
    that kconvert reads back, and Keras 3 has no such path.  False when the layer is another."""
    layer = small.value.args[0].value
    legacy = src.legacy_keras(layer.func) if isinstance(layer, cst.Call) else None
    if legacy is None:
        return False
    raise refuse(
        src.loc(layer.func),
        f"`{legacy}` is a Keras 2 internal path that Keras 3 does not have",
        "import layers from `keras` or `tensorflow.keras` instead",
    )


def _named_locally(
    src: SourceFile, cls: cst.ClassDef, attr: str, statement: cst.SimpleStatementLine, found: Init
) -> bool:
    """``self.base.trainable = False`` after ``self.base = ResNet50(...)``, as the Keras transfer
    learning guide writes it, read as what every style can write: ``base = ResNet50(...)``,
    ``base.trainable = False``, ``self.base = base`` (and ``self.cnn.add(...)`` as ``cnn.add(...)``).  Only for a layer made by a call, under an
    attribute no name of the class spells (the local would stand for another value)."""
    value = found.attrs.get(attr)
    if isinstance(value, cst.Name) and value.value == attr:
        pass  # named so by an earlier statement on it
    elif not isinstance(value, cst.Call) or attr in identifiers(cls):
        return False
    else:
        made = cst.SimpleStatementLine(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(attr))], value=value)])
        # Where the layer was made, which the comments above that line are about.
        assigned = src.parent(src.parent(value))
        found.locals.append(src.stand_in(made, assigned if isinstance(assigned, cst.SimpleStatementLine) else statement))
        found.attrs[attr] = src.stand_in(cst.Name(attr), value)
    found.locals.append(src.stand_in(statement.visit(_SelfToLocal(attr)), statement))
    return True


class _SelfToLocal(cst.CSTTransformer):
    """``self.<attr>`` written as the local ``<attr>``."""

    def __init__(self, attr: str) -> None:
        self.attr = attr

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        return cst.Name(self.attr) if self_attribute(updated) == self.attr else updated


def _pairs(target: cst.BaseExpression, value: cst.BaseExpression):
    """``(self.a, value_a), ...`` for ``self.a, self.b = x, y``; None unless both sides are such tuples."""
    if not isinstance(target, (cst.Tuple, cst.List)) or not isinstance(value, (cst.Tuple, cst.List)):
        return None
    targets = [element.value for element in target.elements]
    values = [element.value for element in value.elements]
    starred = any(isinstance(element, cst.StarredElement) for element in (*target.elements, *value.elements))
    if starred or len(targets) != len(values) or any(self_attribute(t) is None for t in targets):
        return None
    return list(zip(targets, values))


def _assign(src: SourceFile, attr: str, value: cst.BaseExpression, found: Init) -> None:
    if isinstance(value, cst.ListComp):
        found.lists[attr] = comprehension(src, attr, value)
        return
    # ``self.proj = Dense(16) if project else None``: call() calls it under the same test.
    found.attrs[attr] = made_where_called(value)


def _appended(src: SourceFile, loop: cst.For, found: Init) -> None:
    for attr, made in appended(src, loop, found.attrs).items():
        del found.attrs[attr]
        found.lists[attr] = made


def _plain_expression(small: cst.BaseSmallStatement) -> bool:
    """An expression statement that does not touch the model (``print("built")``)."""
    return isinstance(small, cst.Expr) and not identifiers(small) & {"self", "super"}


def _calls_local(small: cst.BaseSmallStatement, found: Init) -> bool:
    """An expression statement that calls a name ``__init__``'s own statements bound above."""
    call = small.value if isinstance(small, cst.Expr) else None
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Name)
        and any(call.func.value in bound_names(statement) for statement in found.locals)
    )
