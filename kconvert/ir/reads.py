"""The names a graph's own code reads: what generated names must never shadow.

``Code`` keeps expressions as text, so reading them back is a parse of each
text; placeholders are included, which is harmless (no source name starts
with ``_kc_``).
"""

from __future__ import annotations

import libcst as cst

from .graph import Graph
from .nodes import Input, Op, Stmt
from .source_text import Code


def names_read(graph: Graph) -> frozenset[str]:
    """Identifiers read by layer constructors, call arguments, expressions, statements and the
    model's own arguments (``name=``), plus parameters."""
    codes = graph_codes(graph)
    names = {param.name for param in graph.params}
    for code in codes:
        # A loop over tensors alone has no static iterable (``Loop.iterable`` is empty).
        if code.text:
            names |= _identifiers(cst.parse_expression(code.text))
    for node in graph.walk():
        if isinstance(node, Stmt):
            names |= statement_names(node.code)
        elif isinstance(node, Input) and node.choice is not None:
            # ``if input_tensor is None: ...`` reads what the caller may give.
            names |= statement_names(node.choice)
    return frozenset(names)


def expression_names(graph: Graph) -> frozenset[str]:
    """Identifiers read by the graph's own expressions (``graph_codes``): layer arguments, calls,
    tests, iterables, what it returns; not by its plain statements nor its parameters."""
    names: set[str] = set()
    for code in graph_codes(graph):
        if code.text:
            names |= _identifiers(cst.parse_expression(code.text))
    return frozenset(names)


def graph_codes(graph: Graph) -> list[Code]:
    """Every expression of the graph's own code: layer arguments, calls, tests, iterables, and
    what it returns (``keras.Model(inputs, x * scale)`` reads ``scale``)."""
    codes: list[Code] = [arg.value for layer in graph.layers for arg in layer.args]
    codes.append(graph.outputs)
    codes += [code for layer in graph.layers for code in (layer.factory, layer.reference) if code is not None]
    codes += [code for code in (graph.name, graph.base) if code is not None]
    codes += [arg.value for arg in graph.extra]
    for node in graph.walk():
        codes += [arg.value for arg in getattr(node, "args", ())]
        codes += [getattr(node, field) for field in ("expr", "test", "iterable") if hasattr(node, field)]
        if isinstance(node, Op) and node.helper is not None:
            # A block's instance is made with them, ``self.<attr>`` of a method's block among them.
            codes += [arg.value for arg in node.helper.args]
    return codes


# libcst parses these constants as names; they are keywords, never bound nor read from a scope.
_CONSTANTS = frozenset({"None", "True", "False"})


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in _CONSTANTS:
            self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        # ``lambda x: x * 2`` reads no ``x`` of the code around it: its parameters are its own.
        for param in params_of(node):
            if param.default is not None:
                param.default.visit(self)
        self.names |= _identifiers(node.body) - lambda_parameters(node)
        return False


def params_of(node: cst.Lambda | cst.FunctionDef) -> list[cst.Param]:
    """Every parameter of a ``lambda`` or ``def``, the starred ones too."""
    params = node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    return every + [star for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)]


def lambda_parameters(node: cst.Lambda) -> frozenset[str]:
    """The names a lambda binds: inside its body they are not the enclosing scope's."""
    return frozenset(param.name.value for param in params_of(node))


def _identifiers(node: cst.CSTNode) -> set[str]:
    visitor = _Names()
    node.visit(visitor)
    return visitor.names


def statement_names(code: str) -> set[str]:
    """The names a statement's text reads or binds."""
    return _identifiers(cst.parse_module(code + "\n"))


def identifiers_of(expression: str) -> set[str]:
    """The names an expression's text reads."""
    return _identifiers(cst.parse_expression(expression))


def computed_name(graph: Graph) -> str | None:
    """The model's ``name=`` as written when it is computed from other values
    (``"mobilenet_%s" % alpha``, ``MODEL_NAME``), not a literal or a parameter's name.

    A class cannot take it as a parameter's default (the values are not bound where the
    ``def`` runs), so it is given where they are: first thing in ``__init__``, or by the line
    that makes the model, through ``**kwargs`` (``emit/serializable.py`` decides)."""
    if graph.name is None or not identifiers_of(graph.name.text):
        return None
    if graph.name.text in {param.name for param in graph.params}:
        return None
    return graph.name.text


def statement_binds(code: str) -> set[str]:
    """The plain names a statement's text assigns or imports (``a = b = 1``, ``a, b = ...``, ``import k``)."""
    bound: set[str] = set()
    for statement in cst.parse_module(code + "\n").body:
        if isinstance(statement, cst.SimpleStatementLine):
            bound |= line_binds(statement)
    return bound


def line_binds(statement: cst.SimpleStatementLine) -> set[str]:
    """The names one line binds: assignment targets (unpacked too) and imports; ``import *`` binds none we can name."""
    bound: set[str] = set()
    for small in statement.body:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                bound |= target_names(target.target)
        elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
            bound |= target_names(small.target)
        elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
            for alias in small.names:
                if alias.asname is not None:
                    bound |= target_names(alias.asname.name)
                else:
                    bound.add(_head(alias.name).value)
    return bound


def target_names(target: cst.BaseExpression) -> set[str]:
    """``a``, ``a, (b, *c)``: the plain names an assignment target binds (not ``x.attr`` or ``x[i]``)."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        names: set[str] = set()
        for element in target.elements:
            names |= target_names(element.value)
        return names
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return set()


# Methods that change a list, dict or set in place.
MUTATORS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update", "popitem", "setdefault", "add", "discard"}
)


def changed_in_place(code: str) -> set[str]:
    """The names a statement's text changes by a list, dict or set method, on the name or an item
    of it (``groups.pop(0)``, ``groups[50].pop(0)``)."""
    changed: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in MUTATORS:
                value = func.value
                while isinstance(value, cst.Subscript):
                    value = value.value
                if isinstance(value, cst.Name):
                    changed.add(value.value)

    cst.parse_module(code + "\n").visit(Visitor())
    return changed


def statement_binds_anywhere(code: str, in_place: bool = True) -> set[str]:
    """The names a statement's text assigns at any depth (``if i == 0: strides = 2`` binds
    ``strides``), loop targets included, and (``in_place``) those it may change in place
    (``sizes.append(4)``, ``cfg["k"] = 1``, ``base.trainable = False``); what it only reads is not
    among them."""
    bound: set[str] = set()
    changed = _changed_names if in_place else target_names

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if in_place and isinstance(node.func, cst.Attribute):
                bound.update(_base_name(node.func.value))

        def visit_Del(self, node: cst.Del) -> None:
            bound.update(_base_name(node.target) if in_place else target_names(node.target))

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            bound.update(changed(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            bound.update(changed(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            bound.update(changed(node.target))

        def visit_For(self, node: cst.For) -> None:
            bound.update(changed(node.target))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            bound.update(changed(node.target))

    cst.parse_module(code + "\n").visit(Visitor())
    return bound | statement_binds(code)


def _changed_names(target: cst.BaseExpression) -> set[str]:
    """The variables an assignment target binds or changes (``a``, ``cfg`` of ``cfg["k"]``)."""
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(_changed_names(element.value) for element in target.elements))
    if isinstance(target, cst.StarredElement):
        return _changed_names(target.value)
    return _base_name(target)


def _base_name(node: cst.BaseExpression) -> set[str]:
    """``cfg`` for ``cfg``, ``cfg["k"]``, ``cfg.items[0]``: the variable an assignment to it changes."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return {node.value} if isinstance(node, cst.Name) else set()


def is_import(code: str) -> bool:
    """Whether a statement's text only imports: it may run earlier, and nothing of a model is in it."""
    statement = cst.parse_statement(code)
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _head(name: cst.BaseExpression) -> cst.Name:
    """``import keras.layers`` binds ``keras``."""
    while isinstance(name, cst.Attribute):
        name = name.value
    return name


def self_attributes(code: str) -> set[str]:
    """``attr`` of every ``self.attr`` the statements of ``code`` read or write."""
    visitor = SelfAttributes()
    cst.parse_module(code).visit(visitor)
    return visitor.found


class SelfAttributes(cst.CSTVisitor):
    """Collects ``attr`` of every ``self.attr`` it passes."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            self.found.add(node.attr.value)


def only_imports(statement: cst.BaseStatement) -> bool:
    """Whether the statement is a line of imports and nothing else."""
    simple = isinstance(statement, cst.SimpleStatementLine)
    return simple and all(isinstance(part, (cst.Import, cst.ImportFrom)) for part in statement.body)


def attribute_set_on(small: cst.BaseSmallStatement) -> str | None:
    """``base`` of ``base.trainable = False``: one assignment to an attribute of a name, whose value
    reads that name no other way (the freeze a layer gets after it is made)."""
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)):
        return None
    return None if target.value.value in _identifiers(small.value) else target.value.value


def added_to(small: cst.BaseSmallStatement) -> cst.BaseExpression | None:
    """The object of ``<object>.add(<one layer>)`` (``cnn``, ``self.cnn``): a layer added to a Sequential."""
    call = small.value if isinstance(small, cst.Expr) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "add"):
        return None
    single = len(call.args) == 1 and call.args[0].keyword is None and not call.args[0].star
    return call.func.value if single else None


def layer_added_to(small: cst.BaseSmallStatement) -> str | None:
    """``cnn`` of ``cnn.add(Dense(8))``: one layer added to a named Sequential, by an argument that
    reads that name no other way (the Keras ACGAN grows its ``cnn`` so before the model calls it)."""
    owner = added_to(small)
    if not isinstance(owner, cst.Name):
        return None
    return None if owner.value in _identifiers(small.value.args[0].value) else owner.value


# Methods that change a layer's weights or state: its weights, its build, what a preprocessing
# layer learned from data (``norm.adapt(x)``, a vocabulary), an RNN's kept state.  ``.add()``
# grows a Sequential: how it is made, which a conversion may write above the model's lines,
# compared as that model.
LAYER_MUTATORS = frozenset(
    {
        "set_weights",
        "load_weights",
        "load_own_variables",
        "build",
        "adapt",
        "set_vocabulary",
        "reset_state",
        "reset_states",
    }
)


def changed_by_method(small: cst.BaseSmallStatement) -> str | None:
    """``norm`` of ``norm.adapt(data)``: a call of a method that changes the layer a name holds,
    whose arguments read that name no other way."""
    call = small.value if isinstance(small, cst.Expr) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name)):
        return None
    name = call.func.value.value
    if call.func.attr.value not in LAYER_MUTATORS or any(name in _identifiers(arg.value) for arg in call.args):
        return None
    return name


def layer_statement_on(small: cst.BaseSmallStatement) -> str | None:
    """The layer a statement after its making changes (``base.trainable = False``, ``cnn.add(...)``,
    ``norm.adapt(data)``)."""
    return attribute_set_on(small) or layer_added_to(small) or changed_by_method(small)
