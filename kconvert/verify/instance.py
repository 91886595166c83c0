"""The expression that builds a model made by a method of a plain class, without its constructor.

An agent or GAN class (``class DQNAgent: def _build_model(self)``) makes its models
in methods, and its ``__init__`` does much more than hold values: it makes an
environment (``gym.make``), a replay memory, every model and optimizer, loads
weights. The verifier needs only what the method reads, so the instance is made
with ``object.__new__`` and given just the ``self.x = value`` lines of ``__init__``
that the method reads (also through the methods it calls on ``self``, and what
those values read in turn, local names of ``__init__`` included), in their order.
A value that calls a method of ``self`` is left out: it builds something else.
What is left out and still read fails the build with the attribute's name.

The constructor's parameters those lines read take, in order of preference, the
value the user gives (``--set state_size=4``), their default, or the literal
argument of a call of the class in the file. When one has none, the expression
calls ``__init__`` with the values it has, which fails before running a line of
it with Python's own "missing required argument" message, and the verdict names
what to give. The method's own parameters are filled the same way from a call
``self.method(...)`` in the class.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Mapping, Sequence

import libcst as cst
import libcst.matchers as m

_CODE = cst.Module(body=[])


@dataclass(frozen=True)
class MethodModel:
    """How the slice builds a method's model."""

    expr: str
    given: tuple[str, ...]  # the given names it uses
    # The names the code that runs mentions: the slice follows only these of the class's reads.
    names: frozenset[str]


def method_model(
    file: Sequence[cst.CSTNode],
    node: cst.ClassDef,
    method: str,
    given: Mapping[str, str],
) -> MethodModel:
    """The model of ``node``'s ``method``; ``file`` holds the calls of the class."""
    cls = node.name.value
    methods = {
        f.name.value: f for f in node.body.body if isinstance(f, cst.FunctionDef)
    }
    lines = _init_lines(methods.get("__init__"))
    chosen, ran = _needed(methods, method, lines, cls)
    parameters = _parameters(methods.get("__init__"))
    read = set().union(*(_names(value) for _, _, value in chosen))
    values, used, missing = {}, [], []
    calls = _literal_calls(file, cls, parameters)
    for name, default in parameters:
        if name not in read:
            continue
        if name in given:
            values[name] = f"({given[name]})"
            used.append(name)
        elif default is not None:
            values[name] = _code(default)
        elif name in calls:
            values[name] = calls[name]
        else:
            missing.append(name)
    names = _defined(node) | read
    if missing:
        listed = "".join(f", {k}={v}" for k, v in values.items())
        return MethodModel(
            f"{cls}.__init__(object.__new__({cls}){listed})",
            tuple(used),
            frozenset(names),
        )
    steps = [
        (
            f"({target} := {_code(value)})"
            if kind == "local"
            else f"setattr(self, {target!r}, {_code(value)})"
        )
        for kind, target, value in chosen
    ]
    signature = "".join(f", {k}={v}" for k, v in values.items())
    made = f"(lambda self{signature}: ({''.join(s + ', ' for s in steps)}self,)[-1])(object.__new__({cls}))"
    arguments, own = _method_arguments(file, methods[method], given)
    names |= set().union(*(_names(methods[name]) for name in ran))
    names |= _names(cst.parse_expression(made)) | _names(
        cst.parse_expression(f"f({arguments})")
    )
    return MethodModel(
        f"{made}.{method}({arguments})", tuple(used + own), frozenset(names)
    )


def _init_lines(
    init: cst.FunctionDef | None,
) -> list[tuple[str, str, cst.BaseExpression]]:
    """``("attribute", x, value)`` for ``self.x = value``, ``("local", n, value)`` for
    ``n = value``: the plain assignments at the top of ``__init__``'s body, in order."""
    found = []
    body = (
        init.body.body
        if init is not None and isinstance(init.body, cst.IndentedBlock)
        else ()
    )
    for line in body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                continue
            target = small.targets[0].target
            if m.matches(target, m.Attribute(value=m.Name("self"), attr=m.Name())):
                found.append(
                    (
                        "attribute",
                        cst.ensure_type(target, cst.Attribute).attr.value,
                        small.value,
                    )
                )
            elif isinstance(target, cst.Name):
                found.append(("local", target.value, small.value))
    return found


def _needed(
    methods: dict[str, cst.FunctionDef],
    method: str,
    lines: list[tuple[str, str, cst.BaseExpression]],
    cls: str,
) -> tuple[list[tuple[str, str, cst.BaseExpression]], set[str]]:
    """The lines of ``__init__`` that what ``method`` reads needs, in their order, and the
    methods that run: ``method`` and those it calls on ``self`` or by the class's name
    (``ResNet.residual_module(x)`` in a static ``ResNet.build``)."""
    attributes, seen, work = set(), set(), [method]
    while work:
        name = work.pop()
        if name in seen or name not in methods:
            continue
        seen.add(name)
        work += [called for called in _self_reads(methods[name], cls) if called in methods]
        for attribute in _self_reads(methods[name]):
            if attribute in methods:
                work.append(attribute)
            else:
                attributes.add(attribute)
    locals_: set[str] = set()
    keep = [False] * len(lines)
    for k in reversed(range(len(lines))):
        kind, target, value = lines[k]
        wanted = attributes if kind == "attribute" else locals_
        if target not in wanted or _calls_self(value):
            continue
        keep[k] = True
        wanted.discard(target)
        attributes |= _self_reads(value)
        locals_ |= _names(value)
    return [line for line, kept in zip(lines, keep) if kept], seen


def _defined(node: cst.ClassDef) -> set[str]:
    """The names read when the class is made: its bases and decorators, the statements of
    its body that are not methods, and the methods' decorators, defaults and annotations.
    """
    names = set().union(
        *(_names(part) for part in (*node.bases, *node.keywords, *node.decorators))
    )
    for stmt in node.body.body:
        if isinstance(stmt, cst.FunctionDef):
            parts = (
                stmt.params,
                *stmt.decorators,
                *([stmt.returns] if stmt.returns else []),
            )
            names |= set().union(*(_names(part) for part in parts))
        else:
            names |= _names(stmt)
    return names


def _self_reads(node: cst.CSTNode, owner: str = "self") -> set[str]:
    pattern = m.Attribute(value=m.Name(owner), attr=m.Name())
    return {
        cst.ensure_type(a, cst.Attribute).attr.value for a in m.findall(node, pattern)
    }


def _calls_self(value: cst.CSTNode) -> bool:
    return bool(m.findall(value, m.Call(func=m.Attribute(value=m.Name("self")))))


def _names(node: cst.CSTNode) -> set[str]:
    return {cst.ensure_type(n, cst.Name).value for n in m.findall(node, m.Name())}


def _parameters(
    function: cst.FunctionDef | None,
) -> list[tuple[str, cst.BaseExpression | None]]:
    """A method's parameters after ``self`` (all of a ``@staticmethod``'s), with their defaults."""
    if function is None:
        return []
    params = function.params
    static = any(m.matches(d.decorator, m.Name("staticmethod")) for d in function.decorators)
    listed = [*params.posonly_params, *params.params][0 if static else 1 :]
    return [(p.name.value, p.default) for p in (*listed, *params.kwonly_params)]


def _literal_calls(
    file: Sequence[cst.CSTNode], callee: str, parameters: list
) -> dict[str, str]:
    """The arguments, by parameter, of the first call of ``callee`` (a name, or
    ``self.name``) in ``file`` whose arguments are all literals."""
    names = [name for name, _ in parameters]
    func = m.Name(callee) | m.Attribute(value=m.Name("self"), attr=m.Name(callee))
    for node in file:
        for call in m.findall(node, m.Call(func=func)):
            found = _literal(cst.ensure_type(call, cst.Call), names)
            if found is not None:
                return found
    return {}


def _literal(call: cst.Call, names: list[str]) -> dict[str, str] | None:
    found = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            return None
        try:
            code = repr(ast.literal_eval(_code(arg.value)))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
        if arg.keyword is not None:
            found[arg.keyword.value] = code
        elif position < len(names):
            found[names[position]] = code
    return found


def _method_arguments(
    file: Sequence[cst.CSTNode], method: cst.FunctionDef, given: Mapping[str, str]
) -> tuple[str, list[str]]:
    """The keyword arguments the method is called with, and the given names among them."""
    parameters = _parameters(method)
    calls = _literal_calls(file, method.name.value, parameters)
    parts, used = [], []
    for name, default in parameters:
        if name in given:
            parts.append(f"{name}=({given[name]})")
            used.append(name)
        elif default is None and name in calls:
            parts.append(f"{name}={calls[name]}")
    return ", ".join(parts), used


def _code(node: cst.CSTNode) -> str:
    # Parenthesized, a value written over several lines (with comments) stays one expression.
    code = _CODE.code_for_node(node)
    return f"({code}\n)" if "#" in code else f"({code})"
