"""Where an emitted subclass goes in the file.

A class belongs at module level.  A model built at module level is replaced by
the class and the line that makes the model; a model built in a function gets
the class above that function and the line in the function.  A function named
like a class (``def LeNet5(): ... return Model(...)``, as a subclass turned
Functional by kconvert is) whose body is only the model *is* the class: it is
replaced by the class of the same name, so its callers stay as they are, unless a subclass's
inputs read the function's parameters (``keras.Input((atom_dim,))``) or a local only they read
(``shape = (28, 28, 1)``): the function then stays, to build the model it makes with them, which
its callers do not have.
"""

from __future__ import annotations

import libcst as cst

from ..ir.input_reads import read_only_by_inputs
from ..ir.reads import identifiers_of, statement_names
from ..parse.model_classes import is_docstring
from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from ..types import Style
from .splice import Replacement


def builder_class(src: SourceFile, site: ModelSite, target: Style) -> cst.FunctionDef | None:
    """The module-level CamelCase function that only builds and returns this model, if there is
    one and the ``target`` class can stand for it."""
    function = src.parent(site.block)
    if not (
        isinstance(function, cst.FunctionDef)
        and isinstance(src.parent(function), cst.Module)
        and function.name.value[:1].isupper()
    ):
        return None
    if target is Style.SUBCLASS and _inputs_read_params(site):
        return None
    body = list(site.block.body)
    if body and is_docstring(body[0]):
        body.pop(0)
    model = list(site.block.body[site.start : site.end])
    if body[: len(model)] != model:
        return None
    rest = body[len(model) :]
    if site.binding.is_return and not rest:
        return function
    if site.binding.target is not None and len(rest) == 1 and _returns(rest[0], site.binding.target):
        return function
    return None


def _inputs_read_params(site: ModelSite) -> bool:
    """Whether the inputs read the function's parameters, or its locals that only they read (which
    stay with the line that builds the instance, in the function)."""
    params = {param.name for param in site.graph.params} | read_only_by_inputs(site.graph)
    return any(identifiers_of(arg.value.text) & params for node in site.graph.inputs_in_order() for arg in node.args)


def _returns(statement: cst.BaseStatement, name: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    return isinstance(small, cst.Return) and isinstance(small.value, cst.Name) and small.value.value == name


def class_placement(src: SourceFile, site: ModelSite, statements: tuple[cst.BaseStatement, ...], target: Style):
    """Replacements that put the emitted class and the statements that make the model in place."""
    # A ``def`` beside the class is a function the class calls (parse/method_functions.py): above it.
    classes = tuple(statement for statement in statements if isinstance(statement, (cst.ClassDef, cst.FunctionDef)))
    rest = tuple(statement for statement in statements if not isinstance(statement, (cst.ClassDef, cst.FunctionDef)))
    if isinstance(site.block, cst.Module):
        return (Replacement(site.block, site.start, site.end, statements),)
    top = _top_level_index(src, site.block)
    if builder_class(src, site, target) is not None:
        return (Replacement(src.module, top, top + 1, classes),)
    returned = _returned_instance(src, site, rest)
    if returned is not None:
        # ``model = Critic(...)`` then ``return model``: the builder returns the instance it makes.
        return (Replacement(src.module, top, top, classes), Replacement(site.block, site.start, site.end + 1, (returned,)))
    return (Replacement(src.module, top, top, classes), Replacement(site.block, site.start, site.end, rest))


def _returned_instance(
    src: SourceFile, site: ModelSite, rest: tuple[cst.BaseStatement, ...]
) -> cst.BaseStatement | None:
    """``return Cls(...)`` for the one line that makes the model, when the statement after the
    model only returns it (and neither carries a comment)."""
    after = site.block.body[site.end] if site.end < len(site.block.body) else None
    if len(rest) != 1 or site.binding.target is None or after is None or not _returns(after, site.binding.target):
        return None
    # Code after the return is never run, but a second ``return model`` there (a notebook's
    # template left below the answer) would read a name nothing binds any more.
    if any(site.binding.target in statement_names(src.code(line)) for line in site.block.body[site.end + 1 :]):
        return None
    made = rest[0]
    if not (isinstance(made, cst.SimpleStatementLine) and isinstance(made.body[0], cst.Assign)):
        return None
    if any(line.comment for line in (*made.leading_lines, *after.leading_lines)):
        return None
    if made.trailing_whitespace.comment or after.trailing_whitespace.comment:
        return None
    return made.with_changes(body=[cst.Return(value=made.body[0].value)])


def _top_level_index(src: SourceFile, node: cst.CSTNode) -> int:
    while not isinstance(src.parent(node), cst.Module):
        node = src.parent(node)
    return src.module.body.index(node)
