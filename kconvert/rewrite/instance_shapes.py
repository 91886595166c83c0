"""A graph class's parameter only its ``Input`` reads, given to each instance's build line instead.

``class Classifier(keras.Model)`` whose ``__init__`` makes ``keras.Input(shape=input_shape)``
takes the shape because a graph model is built when it is made.  A subclass is built by the
line after its instance, so the shape is that line's and the class has no use for it: an expert
writes ``model = Classifier(3)`` then ``model(keras.Input(shape=(20,)))``.  The parameter leaves
the class only where the class's own code reads it only in its ``Input``, and every use of the
class in the file is an instance line (``name = Cls(...)``, ``return Cls(...)``) whose value for
it is known (passed, or the default), the same for every instance (a subclass is read back on
one input shape), and calls nothing (moved to the build line, or dropped where the file builds
the model itself, a call's effects would move or vanish); else the class keeps it (builds.py
``build_reach_problem``).
"""

from __future__ import annotations

import libcst as cst

from ..ir.code import Substitute
from ..ir.model_parts import Param
from ..ir.input_reads import params_read_only_by_inputs
from ..ir.reads import params_of
from ..parse.keras_names import INPUT
from ..parse.names_in import calls_in, name_nodes
from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from ..parse.walk import of_kind, walk
from ..parse.instances import instance_call, instantiations

Values = dict[str, cst.BaseExpression]


def shape_params_out(src: SourceFile, site: ModelSite) -> tuple[str, ...]:
    """The parameters of the graph class ``site`` that each instance's build line takes instead."""
    graph = site.graph
    candidates = params_read_only_by_inputs(graph) - {param.name for param in graph.params if param.given}
    klass = site.block.body[site.start]
    if not candidates or not isinstance(klass, cst.ClassDef):
        return ()
    names = tuple(param.name for param in graph.params if param.name in candidates and _only_in_inputs(src, klass, param.name))
    found = instantiations(src.module, site.name)
    if not names or not found or _uses(src.module, klass, site.name) != len(found):
        return ()
    values = [passed_values(instance_call(block.body[index]), graph.params, names) for block, index, _ in found]
    if any(each is None for each in values):
        return ()
    # A subclass is read back on one input shape: instances of several keep the parameter.
    if len({tuple(_text(each[name]) for name in names) for each in values}) > 1:
        return ()
    return names


def passed_values(call: cst.Call, params: tuple[Param, ...], names: tuple[str, ...]) -> Values | None:
    """What ``call`` gives each of ``names``, the default where it gives nothing; None where a
    value is unknown (``*args``, missing) or calls something."""
    # ``*args`` in the call or the signature: which parameter a positional value fills is unknown.
    if any(arg.star for arg in call.args) or any(param.star == "*" for param in params):
        return None
    order = [param.name for param in params if not param.star]
    given = {order[at]: arg.value for at, arg in enumerate(a for a in call.args if a.keyword is None) if at < len(order)}
    given |= {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    defaults = {param.name: param.default for param in params if param.default is not None}
    values: Values = {}
    for name in names:
        value = given.get(name) or (cst.parse_expression(defaults[name].text) if name in defaults else None)
        if value is None or _calls(value):
            return None
        values[name] = value
    return values


def without_args(call: cst.Call, params: tuple[Param, ...], names: tuple[str, ...]) -> cst.Call:
    """``call`` without its arguments for ``names``, the rest written as they were."""
    order = [param.name for param in params if not param.star]
    positional = [arg for arg in call.args if arg.keyword is None]
    filled = {id(arg): order[at] for at, arg in enumerate(positional) if at < len(order)}
    filled |= {id(arg): arg.keyword.value for arg in call.args if arg.keyword is not None}
    kept = [arg for arg in call.args if filled.get(id(arg)) not in names]
    if kept and call.args and kept[-1] is not call.args[-1]:
        kept[-1] = kept[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(args=kept)


def with_values(statement: cst.BaseStatement, values: Values) -> cst.BaseStatement:
    """The build line reading each instance's own values where it read the class's parameters."""
    return statement.visit(Substitute({name: _text(value) for name, value in values.items()}))


def _only_in_inputs(src: SourceFile, klass: cst.ClassDef, name: str) -> bool:
    """Whether the class reads ``name`` only in its ``keras.Input(...)`` calls (not in ``self.n =
    n``, a ``get_config`` or a method), besides declaring it."""
    inside: set[int] = set()

    class Inputs(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            keras = src.keras(node.func)
            if keras is not None and keras.path in INPUT:
                inside.update(id(each) for each in name_nodes(node))

    walk(klass.body, Inputs())
    functions = of_kind(klass, cst.FunctionDef)
    declared = {id(param.name) for function in functions for param in params_of(function)}
    return all(id(node) in inside or id(node) in declared for node in name_nodes(klass.body) if node.value == name)


def _uses(module: cst.Module, klass: cst.ClassDef, name: str) -> int:
    """How many times the file names the class outside the class itself."""
    own = {id(node) for node in name_nodes(klass)}
    return sum(node.value == name and id(node) not in own for node in name_nodes(module))


def _text(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _calls(value: cst.BaseExpression) -> bool:
    """Whether ``value`` calls something or binds a name (``n := 4``): moved, it would do so elsewhere."""
    return bool(calls_in(value)) or bool(of_kind(value, cst.NamedExpr))
