"""Finding ``keras.Model`` subclasses and lifting each one into the IR.

A module-level class whose base resolves to ``keras.Model`` (however Keras was
imported) is a model site.  Its graph is read from ``__init__`` (parse/
subclass_init.py) and ``call`` (parse/subclass_call.py); its constructor
parameters become the graph's ``params``.  The input shape is not in the class:
it comes from where the class is used (``model.build((None, 20))``, a call on
data or on ``keras.Input``) or from ``--input-shape``.

Methods other than ``__init__``, ``call`` and the configuration methods have no
place in the other styles, so a class with one is refused, naming the method.
"""

from __future__ import annotations

import libcst as cst

from ..ir.graph import Arg, Code, Graph, Input
from ..ir.reads import names_read
from ..types import Options, Style
from .builder import GraphBuilder, Refusal, refuse
from .functional import check_connected, input_statement
from .keras_names import INPUT, MODEL
from .names_in import bound_names
from .sites import Binding, ModelSite
from .source import SourceFile
from .subclass_call import CallLifter
from .subclass_init import extra_args, read_init

# Methods whose work the builder parameters (or Keras itself) already do.
DROPPED_METHODS = frozenset({"__init__", "call", "get_config", "from_config", "compute_output_shape"})


def subclass_sites(src: SourceFile, options: Options) -> list[ModelSite]:
    sites = []
    for index, statement in enumerate(src.module.body):
        if not isinstance(statement, cst.ClassDef):
            continue
        base = _model_base(src, statement)
        if base is None:
            continue
        expr, root = base
        site = ModelSite(
            statement.name.value, Style.SUBCLASS, src.loc(statement), None, Binding(None), src.module, index, index + 1
        )
        site.root, site.constructor = root, expr
        try:
            site.graph = lift_subclass(src, statement, options)
            site.used_names = names_read(site.graph)
        except Refusal as refusal:
            site.problem = refusal.diagnostic
        sites.append(site)
    return sites


def _model_base(src: SourceFile, cls: cst.ClassDef):
    for base in cls.bases:
        keras = src.keras(base.value)
        if keras is not None and keras.path in MODEL:
            return base.value, keras.root
    return None


def lift_subclass(src: SourceFile, cls: cst.ClassDef, options: Options) -> Graph:
    methods = _methods(src, cls)
    if "call" not in methods:
        raise refuse(src.loc(cls), f"`{cls.name.value}` has no call() method, so it has no graph to convert")
    call = methods["call"]
    init = read_init(src, cls, methods.get("__init__"))
    builder = GraphBuilder(src)
    lifter = CallLifter(src, builder, init, call)
    statements = list(call.body.body)
    if statements and _is_docstring(statements[0]):
        statements.pop(0)
    names = _input_names(src, call, statements)
    shapes = input_shapes(src, cls, options, len(names))
    for name, args in zip(names, shapes):
        out = builder.new_value()
        lifter.nodes.append(Input(out, args, src.loc(call), name))
        lifter.env[name] = out
    inputs = [lifter.env[name] for name in names]
    lifter.statements(init.locals)
    prelude = len(lifter.nodes)
    lifter.statements(statements)
    if lifter.outputs is None:
        raise refuse(src.loc(call), "call() does not return the model's outputs")
    body = lifter.nodes[:prelude] + lifter.defines + lifter.nodes[prelude:]
    placeholders = [f"_kc_{value}" for value in inputs]
    graph = Graph(
        layers=tuple(builder.layers),
        body=tuple(body),
        inputs=Code(
            placeholders[0] if len(inputs) == 1 else f"[{', '.join(placeholders)}]",
            tuple(zip(placeholders, inputs)),
        ),
        outputs=lifter.outputs,
        name=Code(lifter.text(init.name)) if init.name is not None else None,
        extra=extra_args(src, init, lambda expr: Code(lifter.text(expr))),
        loc=src.loc(cls),
        params=init.params,
    )
    check_connected(graph)
    return graph


def _methods(src: SourceFile, cls: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    methods = {}
    for statement in cls.body.body:
        if isinstance(statement, cst.FunctionDef):
            if statement.name.value not in DROPPED_METHODS:
                raise refuse(
                    src.loc(statement),
                    f"the method `{statement.name.value}` would be lost: Functional and Sequential"
                    " models have no place for it",
                    "keep this model a subclass",
                )
            methods[statement.name.value] = statement
        elif not _is_docstring(statement):
            raise refuse(
                src.loc(statement),
                f"the class attribute `{src.code(statement).strip()}` would be lost in a Functional model",
                "keep this model a subclass",
            )
    return methods


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _input_names(src: SourceFile, call: cst.FunctionDef, statements: list[cst.BaseStatement]) -> list[str]:
    """The call() parameter, or the names ``a, b = inputs`` unpacks it into (that line is consumed)."""
    params = call.params.params
    if len(params) < 2:
        raise refuse(src.loc(call), "call() takes no inputs")
    name = params[1].name.value
    if statements and isinstance(statements[0], cst.SimpleStatementLine):
        small = statements[0].body[0]
        if (
            isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Name)
            and small.value.value == name
            and isinstance(small.targets[0].target, (cst.Tuple, cst.List))
        ):
            elements = small.targets[0].target.elements
            if all(isinstance(element.value, cst.Name) for element in elements):
                statements.pop(0)
                return [element.value.value for element in elements]
    return [name]


# --- input shapes -------------------------------------------------------------------


def input_shapes(src: SourceFile, cls: cst.ClassDef, options: Options, count: int) -> list[tuple[Arg, ...]]:
    """The ``keras.Input`` arguments of each input, from --input-shape or from the class's uses."""
    if options.input_shape is not None:
        if count != 1:
            raise refuse(src.loc(cls), f"the model has {count} inputs, but --input-shape gives one shape")
        return [(Arg(Code(_tuple_text([_dim(dim) for dim in options.input_shape])), "shape"),)]
    found: dict[str, list[tuple[Arg, ...]]] = {}
    for use in _uses(src, cls.name.value):
        shapes = _use_shapes(src, use)
        if shapes is not None:
            found.setdefault(repr(shapes), shapes)
    if len(found) > 1:
        raise refuse(
            src.loc(cls),
            f"`{cls.name.value}` is used with different input shapes, but the converted model has one",
            "pass --input-shape, or convert one use at a time",
        )
    if not found:
        raise refuse(
            src.loc(cls),
            f"no input shape for `{cls.name.value}`: it is never built, called or given a keras.Input",
            "pass --input-shape (e.g. --input-shape 28,28) or add `model.build((None, 28, 28))`",
        )
    shapes = next(iter(found.values()))
    if len(shapes) != count:
        raise refuse(src.loc(cls), f"call() reads {count} inputs but the model is built with {len(shapes)}")
    return shapes


def _dim(dim: int | None) -> str:
    return "None" if dim is None else str(dim)


def _tuple_text(parts: list[str]) -> str:
    return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"


def _uses(src: SourceFile, name: str) -> list[cst.Call]:
    calls = []

    class Visitor(cst.CSTVisitor):
        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return node.name.value != name

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == name:
                calls.append(node)

    src.module.visit(Visitor())
    return calls


def _use_shapes(src: SourceFile, use: cst.Call):
    """Input arguments from ``Cls()(x)``, or from ``m.build(...)`` / ``m(x)`` after ``m = Cls()``."""
    parent = src.parent(use)
    statement, block = _statement_of(src, use)
    if block is None:
        return None
    following = list(block.body)
    index = following.index(statement)
    if isinstance(parent, cst.Call) and parent.func is use and parent.args:
        return _data_shapes(src, parent.args[0].value, following[:index])
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if not (isinstance(small, cst.Assign) and small.value is use and isinstance(small.targets[0].target, cst.Name)):
        return None
    target = small.targets[0].target.value
    for later in following[index + 1 :]:
        for call in _calls(later):
            func = call.func
            if not call.args:
                continue
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == target:
                if func.attr.value == "build":
                    return _build_shapes(call.args[0].value)
            elif isinstance(func, cst.Name) and func.value == target:
                return _data_shapes(src, call.args[0].value, following[: following.index(later)])
        if target in bound_names(later):
            return None
    return None


def _build_shapes(expr: cst.BaseExpression):
    """``(None, 32, 32, 3)`` → shape ``(32, 32, 3)``; a list of such tuples, one per input."""
    if not isinstance(expr, (cst.Tuple, cst.List)) or not expr.elements:
        return None
    if all(isinstance(element.value, (cst.Tuple, cst.List)) for element in expr.elements):
        shapes = [_build_shapes(element.value) for element in expr.elements]
        return None if None in shapes else [shape[0] for shape in shapes]
    return [_shape_without_batch(expr)]


def _shape_without_batch(expr: cst.Tuple | cst.List) -> tuple[Arg, ...]:
    parts = [cst.Module([]).code_for_node(element.value) for element in expr.elements[1:]]
    return (Arg(Code(_tuple_text(parts) if parts else "()"), "shape"),)


def _data_shapes(src: SourceFile, expr: cst.BaseExpression, before: list[cst.BaseStatement]):
    """Input arguments for what the model is called on: Inputs, or arrays made with a literal shape."""
    if isinstance(expr, (cst.List, cst.Tuple)):
        shapes = [_data_shapes(src, element.value, before) for element in expr.elements]
        return None if None in shapes or not shapes else [shape[0] for shape in shapes]
    if isinstance(expr, cst.Name):
        for statement in reversed(before):
            if input_statement(src, statement) == expr.value:
                call = statement.body[0].value
                return [GraphBuilder(src).args(call)]
            if expr.value in bound_names(statement):
                return None
        return None
    if isinstance(expr, cst.Call):
        keras = src.keras(expr.func)
        if keras is not None and keras.path in INPUT:
            return [GraphBuilder(src).args(expr)]
        # tf.zeros((1, 32, 32, 3)), np.random.random(size=...): the first axis is the batch.
        first = expr.args[0] if expr.args else None
        if (
            first is not None
            and (first.keyword is None or first.keyword.value in ("shape", "size"))
            and isinstance(first.value, (cst.Tuple, cst.List))
            and len(first.value.elements) > 1
        ):
            return [_shape_without_batch(first.value)]
    return None


def _statement_of(src: SourceFile, node: cst.CSTNode):
    """The statement holding ``node`` and the block (module or indented block) holding that."""
    child, parent = node, src.parent(node)
    while parent is not None and not isinstance(parent, (cst.Module, cst.IndentedBlock)):
        child, parent = parent, src.parent(parent)
    return child, parent


def _calls(node: cst.CSTNode) -> list[cst.Call]:
    calls: list[cst.Call] = []

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            calls.append(call)

    node.visit(Visitor())
    return calls

