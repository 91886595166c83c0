"""Where a subclass's input shape comes from.

The class may say, building itself in ``__init__`` (``self.build((None, 20))``,
``self.call(keras.Input(shape=input_shape))``); else its uses do: ``Cls()(x)`` on a ``keras.Input``,
``m = Cls()`` followed by ``m.build((None, 20))`` or ``m(data)`` with data of
a literal shape (``tf.zeros((1, 20))``), a dict or list of those, or another
subclass that makes it in ``__init__`` and calls it on its own input.  Else
``--input-shape``, else a refusal that says so.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.source_text import Arg, Code
from ...types import Options
from ..builder import GraphBuilder, Refusal, refuse
from ..init_lists import grown_attribute
from ..keras_names import INPUT, MODEL, SEQUENTIAL
from ..model_classes import local_base
from ..names_in import calls_in, self_attributes_in
from ..sequential.input_args import item_input_args, nested_input_args
from ..reaching import statement_of
from ..source import SourceFile
from ..walk import walk
from .constructor import self_attribute
from .used_on import build_shapes, data_shapes, dim_text, later_shapes, tuple_text


def model_base(src: SourceFile, cls: cst.ClassDef):
    """The base that makes ``cls`` a Keras model, and the Keras root it is spelled from.

    The base is ``keras.Model`` or one of the file's classes that only customise
    training (parse/model_classes.py).
    """
    for base in cls.bases:
        keras = src.keras(base.value)
        if keras is not None and keras.path in MODEL:
            return base.value, keras.root
        root = local_base(src, base.value)
        if root is not None:
            return base.value, root
    return None


def input_shapes(
    src: SourceFile, cls: cst.ClassDef, options: Options, count: int, seen: frozenset[str] = frozenset(), own=None
) -> list[tuple[Arg, ...]]:
    """The ``keras.Input`` arguments of each input, from --input-shape or from the class's uses.
    ``own(text, at)`` writes an expression of the class's ``__init__`` in the lifted model's terms
    (``self.max_seq_len`` -> ``args.max_seq_len``): a first block's Input is written there."""
    if options.input_shape is not None:
        if count != 1:
            raise refuse(src.loc(cls), f"the model has {count} inputs, but --input-shape gives one shape")
        return [(Arg(Code(tuple_text([dim_text(dim) for dim in options.input_shape])), "shape"),)]
    found: dict[str, list[tuple[Arg, ...]]] = {}
    for use in _reached_uses(src, cls):
        # Data the use reads (``shape=X.shape[1:]``) is in the class's reach only in its own scope.
        reach = _scope(src, use) is _scope(src, cls)
        shapes = _in_class_terms(src, use, _use_shapes(src, use, options, seen | {cls.name.value}, reach))
        if shapes is not None:
            found.setdefault(repr(shapes), shapes)
    if len(found) > 1:
        raise refuse(
            src.loc(cls),
            f"`{cls.name.value}` is used with different input shapes, but the converted model has one",
            "pass --input-shape, or convert one use at a time",
        )
    if not found:
        block = (_built_in_init(src, cls, own) or _first_block_input(src, cls, own)) if count == 1 else None
        # A subclass needs no shape until it runs; the styles that do refuse then.
        return [block] if block else [()] * count
    shapes = next(iter(found.values()))
    if len(shapes) != count:
        raise refuse(src.loc(cls), f"call() reads {count} inputs but the model is built with {len(shapes)}")
    return shapes


def _built_in_init(src: SourceFile, cls: cst.ClassDef, own=None) -> tuple[Arg, ...] | None:
    """The input the class builds itself on in its own ``__init__``, a statement of its own:
    ``self.build((None, width))``, or ``self.call(keras.Input(shape=input_shape))`` or
    ``self(keras.Input(...))`` (hep-ml-lab's subclasses), in the lifted model's terms as ``own``
    writes them."""
    init = next(
        (item for item in cls.body.body if isinstance(item, cst.FunctionDef) and item.name.value == "__init__"),
        None,
    )
    if init is None or not isinstance(init.body, cst.IndentedBlock):
        return None
    for statement in init.body.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        call = small.value if isinstance(small, cst.Expr) else None
        if not isinstance(call, cst.Call) or len(call.args) != 1:
            continue
        func, given = call.func, call.args[0].value
        method = func.attr.value if isinstance(func, cst.Attribute) and _is_name(func.value, "self") else None
        keyword = call.args[0].keyword
        if keyword is not None and not (method == "build" and keyword.value == "input_shape"):
            continue
        if _is_name(func, "self") or method == "call":
            keras = src.keras(given.func) if isinstance(given, cst.Call) else None
            if keras is None or keras.path not in INPUT:
                continue
            args = GraphBuilder(src).args(given)
        elif method == "build":
            # ``(None,) + obs_shape`` of a constructor argument: the shape is that argument, read in
            # the lifted model's terms (``own``), where the argument is bound.
            shapes = build_shapes(src, given) or (_batch_before(given) if own is not None else None)
            if shapes is None or len(shapes) != 1:
                continue
            args = shapes[0]
        else:
            continue
        if own is None:
            return args
        return tuple(replace(arg, value=replace(arg.value, text=own(arg.value.text, given))) for arg in args)
    return None


def _batch_before(expr: cst.BaseExpression) -> list[tuple[Arg, ...]] | None:
    """The shape ``(None,) + shape`` builds on: ``shape``, a name or an attribute (``self.obs_shape``)."""
    if not (isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add)):
        return None
    batch, shape = expr.left, expr.right
    if not (
        isinstance(batch, cst.Tuple)
        and len(batch.elements) == 1
        and not isinstance(batch.elements[0], cst.StarredElement)
        and _is_name(batch.elements[0].value, "None")
        and isinstance(shape, (cst.Name, cst.Attribute))
    ):
        return None
    return [(Arg(Code(cst.Module([]).code_for_node(shape)), "shape"),)]


def _first_block_input(src: SourceFile, cls: cst.ClassDef, own=None) -> tuple[Arg, ...] | None:
    """The input a ``self.encoder = keras.Sequential([keras.Input(...), ...])`` that call() first
    applies to its input declares: the model's input, as it is when the Sequential is written out,
    its ``self.attr`` reads as ``own`` writes them (the Input is made outside ``__init__``)."""
    methods = {item.name.value: item for item in cls.body.body if isinstance(item, cst.FunctionDef)}
    call, init = methods.get("call"), methods.get("__init__")
    if call is None or init is None or len(call.params.params) < 2:
        return None
    inputs = call.params.params[1].name.value
    first = next(
        (node for node in calls_in(call) if node.args and _is_name(node.args[0].value, inputs)), None
    )
    attr = self_attribute(first.func) if first is not None else None
    statements = list(init.body.body)
    for at, statement in enumerate(statements):
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if isinstance(small, cst.Assign) and attr is not None and self_attribute(small.targets[0].target) == attr:
            made = small.value
            args = nested_input_args(src, GraphBuilder(src), made)
            if args is None and _empty_sequential(src, made):
                # ``self.encoder = Sequential()`` grown by ``self.encoder.add(Input(shape=...))``
                # on the next lines: its first ``.add`` declares the input.
                made = _first_added(statements[at + 1 :], attr)
                args = item_input_args(src, GraphBuilder(src), made) if made is not None else None
            if args is None or own is None:
                return args
            return tuple(replace(arg, value=replace(arg.value, text=own(arg.value.text, made))) for arg in args)
    return None


def _empty_sequential(src: SourceFile, value: cst.BaseExpression) -> bool:
    """``Sequential()``: a model its ``.add`` calls grow."""
    keras = src.keras(value.func) if isinstance(value, cst.Call) else None
    return keras is not None and keras.path in SEQUENTIAL and not value.args


def _first_added(statements: list[cst.BaseStatement], attr: str) -> cst.BaseExpression | None:
    """The layer of the first ``self.<attr>.add(layer)`` among ``statements``, if a line of
    them adds to ``self.<attr>`` before any other line names it."""
    for statement in statements:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if small is not None and len(statement.body) == 1 and grown_attribute(small) == attr:
            return small.value.args[0].value
        if attr in self_attributes_in(statement):
            return None
    return None


def _reached_uses(src: SourceFile, cls: cst.ClassDef) -> list[cst.Call]:
    """The calls of ``cls``'s name that make this class: all of them, or, when the module defines
    a class of that name again (a notebook that writes ``class MyModel`` in three cells), those
    between this definition and the next, which is what the name means there."""
    name = cls.name.value
    defined = [
        src.loc(node).line for node in src.module.body if isinstance(node, cst.ClassDef) and node.name.value == name
    ]
    uses = _uses(src, name)
    if len(defined) < 2 or src.loc(cls).line not in defined:
        return uses
    start = src.loc(cls).line
    end = next((line for line in defined if line > start), None)
    return [use for use in uses if start < src.loc(use).line and (end is None or src.loc(use).line < end)]


def _uses(src: SourceFile, name: str) -> list[cst.Call]:
    calls = []

    class Visitor(cst.CSTVisitor):
        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return node.name.value != name

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == name:
                calls.append(node)

    walk(src.module, Visitor())
    return calls


def _in_class_terms(src: SourceFile, use: cst.Call, shapes: list[tuple[Arg, ...]] | None):
    """The shapes a use gives, as the class reads them: an attribute, or a size of one, the use
    passes by keyword as its parameter (``Generator(latent_dim=self.latent_dim)`` built on
    ``keras.Input(shape=(self.latent_dim,))`` has the input ``shape=(latent_dim,)``, which its own
    code can make; ``Net(x_dim=self.x.shape[1])`` on ``(self.x.shape[1],)`` has ``(x_dim,)``).  A
    plain name stays: ``latent_dim=LATENT_DIM`` does not make every ``LATENT_DIM`` the parameter."""
    given = {
        src.code(arg.value): arg.keyword.value
        for arg in use.args
        if arg.keyword is not None and _passed(arg.value)
    }
    if shapes is None or not given:
        return shapes

    class Given(cst.CSTTransformer):
        def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
            updated = super().on_leave(original, updated)
            if not isinstance(original, cst.BaseExpression) or not _passed(original):
                return updated
            param = given.get(cst.Module([]).code_for_node(original.with_changes(lpar=(), rpar=())))
            return cst.Name(param, lpar=updated.lpar, rpar=updated.rpar) if param is not None else updated

    def renamed(code: Code) -> Code:
        return replace(code, text=cst.Module([]).code_for_node(cst.parse_expression(code.text).visit(Given())))

    return [tuple(replace(arg, value=renamed(arg.value)) for arg in shape) for shape in shapes]


def _use_shapes(src: SourceFile, use: cst.Call, options: Options, seen: frozenset[str], reach: bool):
    """Input arguments from ``Cls()(x)``, or from ``m.build(...)`` / ``m(x)`` after ``m = Cls()``.

    A model made in another subclass's __init__ (``self.backbone = Cls()``) and
    called there on that model's own input has that model's input shape.
    """
    parent = src.parent(use)
    statement, block = statement_of(src, use)
    if block is None:
        return None
    following = list(block.body)
    index = following.index(statement)
    if isinstance(parent, cst.Call) and parent.func is use and parent.args:
        return data_shapes(src, parent.args[0].value, following, index, index if reach else None)
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if not (isinstance(small, cst.Assign) and small.value is use):
        return None
    target = small.targets[0].target
    if not isinstance(target, cst.Name) and not self_attribute(target):
        return None
    shapes = later_shapes(src, src.code(target), following, index, reach)
    if shapes is None and self_attribute(target):
        return _member_shapes(src, use, self_attribute(target), options, seen)
    return shapes


def _member_shapes(src: SourceFile, use: cst.Call, attr: str, options: Options, seen: frozenset[str]):
    owner = use
    while owner is not None and not isinstance(owner, cst.ClassDef):
        owner = src.parent(owner)
    if owner is None or owner.name.value in seen or model_base(src, owner) is None:
        return None
    call = next(
        (item for item in owner.body.body if isinstance(item, cst.FunctionDef) and item.name.value == "call"),
        None,
    )
    if call is None or len(call.params.params) < 2:
        return None
    inputs = call.params.params[1].name.value
    called_on_inputs = any(
        self_attribute(node.func) == attr and node.args and _is_name(node.args[0].value, inputs)
        for node in calls_in(call)
    )
    if not called_on_inputs:
        return None
    try:
        return input_shapes(src, owner, options, 1, seen)
    except Refusal:
        return None


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _scope(src: SourceFile, node: cst.CSTNode) -> cst.CSTNode | None:
    """The function (or module) whose names ``node``'s code sees as its own."""
    parent = src.parent(node)
    while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.Module)):
        parent = src.parent(parent)
    return parent


def _passed(value: cst.BaseExpression) -> bool:
    """Whether a use's argument reads what it passes the same way each time its build line reads it
    again: an attribute (``self.latent_dim``), or a subscript or ``len`` of one (``self.x.shape[1]``,
    ``len(self.vocab)``), not a call that may give another value."""
    if isinstance(value, cst.Call):
        measured = isinstance(value.func, cst.Name) and value.func.value == "len" and len(value.args) == 1
        return measured and _passed(value.args[0].value)
    if isinstance(value, cst.Subscript):
        return _passed(value.value)
    return isinstance(value, cst.Attribute)
