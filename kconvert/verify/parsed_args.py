"""A builder's or model class's ``args`` from the file's own argparse parser, at its defaults.

Course and research files build their model from the command line's options: the
parser is made at module level (``parser.add_argument("--rnn_dim", default=10)``),
``main(args)`` calls ``Model(args)``, and ``args = parser.parse_args()`` runs under
the main guard. The verifier gives such a parameter what running the file with no
options gives, ``parser.parse_args([])``: every option at its ``default=``. The
attributes the calling function sets on it before the call
(``args.logdir = os.path.join(...)``) are set the same way, in order; anything
else that function does (loading data, training) does not run. A required option
makes ``parse_args`` exit, and the build fails saying so: nothing is made up.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from .source import SourceIndex

_CODE = cst.Module(body=[])
_PARSER = frozenset({"argparse.ArgumentParser"})


def parsed_arguments(
    index: SourceIndex, callee: str, parameters: list[str]
) -> str | None:
    """Keyword arguments for the ``parameters`` of ``callee`` that a call of it in the file
    passes the parsed options, as code; None when there is no such call."""
    parsers = _parsers(index)
    if not parsers:
        return None
    parsed = _parsed_names(index, parsers)
    for stmt in index.statements:
        for body, call in _calls(stmt.node, callee):
            chosen = {
                name: value.value
                for name, value in _by_parameter(call, parameters).items()
                if isinstance(value, cst.Name) and value.value in parsed
            }
            if not chosen:
                continue
            return ", ".join(
                f"{name}={_options(parsed[options], options, _settings(body, call, options))}"
                for name, options in chosen.items()
            )
    return None


def _parsers(index: SourceIndex) -> set[str]:
    """Module-level names bound to ``argparse.ArgumentParser(...)``."""
    found = set()
    for stmt in index.statements:
        if not isinstance(stmt.node, cst.SimpleStatementLine):
            continue
        for small in stmt.node.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
                and index.names_of(small.value.func) & _PARSER
            ):
                found.add(small.targets[0].target.value)
    return found


def _parsed_names(index: SourceIndex, parsers: set[str]) -> dict[str, str]:
    """Names bound anywhere in the file to ``<parser>.parse_args(...)``, with the parser."""
    pattern = m.Assign(
        targets=[m.AssignTarget(target=m.Name())],
        value=m.Call(func=m.Attribute(value=m.Name(), attr=m.Name("parse_args"))),
    )
    found = {}
    for stmt in index.statements:
        for assign in m.findall(stmt.node, pattern):
            assign = cst.ensure_type(assign, cst.Assign)
            parser = cst.ensure_type(
                cst.ensure_type(assign.value, cst.Call).func, cst.Attribute
            )
            if isinstance(parser.value, cst.Name) and parser.value.value in parsers:
                found[cst.ensure_type(assign.targets[0].target, cst.Name).value] = (
                    parser.value.value
                )
    return found


def _calls(
    node: cst.CSTNode, callee: str
) -> list[tuple[tuple[cst.BaseStatement, ...], cst.Call]]:
    """Calls of ``callee`` under ``node``, each with the statements of the body it is in."""
    found = []
    bodies = [node] + [
        cst.ensure_type(f, cst.FunctionDef) for f in m.findall(node, m.FunctionDef())
    ]
    for body in bodies:
        lines = (
            tuple(body.body.body)
            if isinstance(body, cst.FunctionDef)
            and isinstance(body.body, cst.IndentedBlock)
            else (body,)
        )
        for line in lines:
            if isinstance(line, (cst.FunctionDef, cst.ClassDef)):
                continue
            for call in m.findall(line, m.Call(func=m.Name(callee))):
                found.append(
                    (lines[: lines.index(line)], cst.ensure_type(call, cst.Call))
                )
    return found


def _by_parameter(
    call: cst.Call, parameters: list[str]
) -> dict[str, cst.BaseExpression]:
    found = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            break
        if arg.keyword is not None:
            found[arg.keyword.value] = arg.value
        elif position < len(parameters):
            found[parameters[position]] = arg.value
    return found


def _settings(
    before: tuple[cst.BaseStatement, ...], call: cst.Call, name: str
) -> list[tuple[str, str]]:
    """``(attribute, value code)`` of each ``name.attribute = value`` above the call."""
    target = m.Attribute(value=m.Name(name), attr=m.Name())
    found = []
    for line in before:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and m.matches(small.targets[0].target, target)
            ):
                attribute = cst.ensure_type(
                    small.targets[0].target, cst.Attribute
                ).attr.value
                found.append((attribute, _CODE.code_for_node(small.value)))
    return found


def _options(parser: str, name: str, settings: list[tuple[str, str]]) -> str:
    """The parsed options, with the settings applied; ``name`` is what the values call them."""
    steps = "".join(
        f"setattr({name}, {attr!r}, ({code}\n)), " for attr, code in settings
    )
    return f"(lambda {name}: ({steps}{name},)[-1])({parser}.parse_args([]))"
