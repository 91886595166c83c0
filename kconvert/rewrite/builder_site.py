"""The one function that makes a class's model, where a graph style can write the model's own code.

``def build_model(num_classes=10): model = Classifier(num_classes=num_classes);
model(keras.Input(shape=(20,))); return model`` is what to-subclass writes for a Functional
builder.  When that function is the only use of the class in the file, the Functional (or
Sequential) model is that function's own code, each parameter of the class the argument the
function passes it (its default when not passed): the round trip builder → subclass → builder
ends where it started, and there is no second function named like the class.  Anything else
in the function, a comment among those lines, arguments that are not the class's parameters,
keep the builder function named like the class (convert.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..parse.module_index import call_assignment
from ..parse.model_classes import is_docstring
from ..parse.names_in import assigned_anywhere, name_nodes
from ..parse.sites import ModelSite
from ..emit.string_lines import indented
from ..parse.source import SourceFile
from ..parse.subclass.build_lines import built_on_inputs
from .splice import Replacement, comment_key, comments_in


@dataclass(frozen=True)
class BuilderSite:
    """The module-level function ``index`` that makes, builds and returns the class's model."""

    index: int
    function: cst.FunctionDef
    # Each class parameter the function passes, as the argument's text.
    given: dict[str, str]
    # The function's docstring line, kept first in its body.
    doc: tuple[cst.BaseStatement, ...]

    @property
    def params(self) -> frozenset[str]:
        """The function's parameter names, which the model's code must not bind."""
        params = self.function.params
        named = [*params.posonly_params, *params.params, *params.kwonly_params]
        named += [star for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)]
        return frozenset(param.name.value for param in named)


def only_builder(src: SourceFile, site: ModelSite) -> BuilderSite | None:
    """The function whose whole body (its docstring aside) makes ``site``'s class, builds it on
    ``keras.Input``, and returns it, when nothing else in the file names the class."""
    graph = site.graph
    if site.block is not src.module or graph is None or graph.has_docs() or site.end != site.start + 1:
        return None
    found = None
    for index, statement in enumerate(src.module.body):
        uses = 0 if index == site.start else sum(name.value == site.name for name in name_nodes(statement))
        if not uses:
            continue
        if found is not None or uses > 1 or not isinstance(statement, cst.FunctionDef):
            return None
        found = index, statement
    if found is None or found[1].decorators or found[1].asynchronous:
        return None
    index, function = found
    body = list(function.body.body) if isinstance(function.body, cst.IndentedBlock) else []
    doc = tuple(body[:1]) if body and is_docstring(body[0]) else ()
    call = _made_and_returned(src, body[len(doc) :], site.name)
    given = _given(site, call) if call is not None else None
    if given is None:
        return None
    return BuilderSite(index, function, given, doc)


def builder_replacements(
    src: SourceFile, site: ModelSite, found: BuilderSite, code: str
) -> tuple[Replacement, ...] | None:
    """The class gone and the function's body the model's code ``code`` (ending in ``return``);
    None when the code would bind one of the function's parameters, or a comment of the class
    would have nowhere to go."""
    module = cst.parse_module(code)
    new = list(module.body)
    if assigned_anywhere(new) & found.params - passed_on(found):
        return None
    # A comment on the code's first line is the parsed module's header, not a statement's.
    placed = comments_in([module])
    left = set(map(comment_key, comments_in(src.module.body[site.start : site.end]))) - set(map(comment_key, placed))
    if left:
        return None
    function = _with_body(found, code)
    return (
        Replacement(src.module, site.start, site.end, ()),
        Replacement(src.module, found.index, found.index + 1, (function,), placed),
    )


def passed_on(found: BuilderSite) -> set[str]:
    """The function's parameters it hands to the class under their own names (``units=units``):
    the model's code assigning to one (``units = units * 2``) assigns to the function's as it did
    to the class's, so the function's body can be that code."""
    return {param for param, value in found.given.items() if value == param and param in found.params}


def _with_body(found: BuilderSite, code: str) -> cst.FunctionDef:
    """The function as written down to its docstring, then ``code``, indented as black would
    (a blank line between the model's steps stays blank, with no indentation on it)."""
    stub = cst.IndentedBlock(body=[*found.doc, cst.SimpleStatementLine([cst.Pass()])])
    head = cst.Module([]).code_for_node(found.function.with_changes(body=stub, leading_lines=()))
    text = head[: head.rindex("pass\n")].rstrip(" ") + indented(code, "    ")
    return cst.ensure_type(cst.parse_module(text).body[0], cst.FunctionDef).with_changes(
        leading_lines=found.function.leading_lines
    )


def _made_and_returned(src: SourceFile, rest: list[cst.BaseStatement], name: str) -> cst.Call | None:
    """The call of ``name`` in ``return name(...)``, or in ``model = name(...)`` followed by
    ``model(keras.Input(...))`` and ``return model``, lines with no comment to lose."""
    if comments_in(rest):
        return None
    if len(rest) == 1:
        small = rest[0].body[0] if isinstance(rest[0], cst.SimpleStatementLine) and len(rest[0].body) == 1 else None
        value = small.value if isinstance(small, cst.Return) else None
        return value if isinstance(value, cst.Call) and _calls(value, name) else None
    if len(rest) not in (2, 3):
        return None
    made = call_assignment(rest[0])
    if made is None or not _calls(made[1], name) or len(rest[0].body) != 1:
        return None
    if len(rest) == 3 and not built_on_inputs(src, rest[1], made[0]):
        return None
    last = rest[-1].body[0] if isinstance(rest[-1], cst.SimpleStatementLine) and len(rest[-1].body) == 1 else None
    returned = last.value if isinstance(last, cst.Return) else None
    return made[1] if isinstance(returned, cst.Name) and returned.value == made[0] else None


def _given(site: ModelSite, call: cst.Call) -> dict[str, str] | None:
    """Each class parameter the call passes, by position or keyword; None when it passes
    anything else (``**options``, a keyword that only ``**kwargs`` takes) or leaves out a
    parameter that has no default."""
    params = [param for param in site.graph.params if not param.star]
    named = {param.name for param in params}
    given: dict[str, str] = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            return None
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword is None and position >= len(params):
            return None
        name = keyword if keyword is not None else params[position].name
        if name not in named or name in given:
            return None
        given[name] = cst.Module([]).code_for_node(arg.value)
    if any(param.default is None and param.name not in given for param in params):
        return None
    return given


def _calls(call: cst.Call, name: str) -> bool:
    return isinstance(call.func, cst.Name) and call.func.value == name
