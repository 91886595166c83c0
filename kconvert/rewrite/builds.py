"""The line that builds each instance of a graph class once it becomes a ``keras.Model`` subclass.

A class whose ``__init__`` builds a Functional graph is built as soon as it is made;
a subclass only by its first call.  When nothing in the file calls the model with a
shape kconvert can read (only ``fit`` on data it cannot see), each ``name = Cls(...)``
gets the build line the subclass emitter writes after its own instance, so that
``summary()``, the weights and the way back still see the model's layers.  A
``model.build(shape)`` right after the instance, which built the source's model
but builds no layer of a Keras 3 subclass, is replaced by that line.

The way back drops that line, or a ``model.build(shape)`` the source had: a graph
model is built when it is made, and the line would only trace it once more or do
nothing (``build_removals``).
"""

from __future__ import annotations

import libcst as cst

from ..emit.render import Layout, format_block
from ..ir.reads import identifiers_of, params_of
from ..parse.names_in import assigned_anywhere, identifiers
from ..parse.sites import ModelSite
from ..parse.source import SourceFile
from ..parse.subclass.shapes import input_shapes
from ..types import Diagnostic, Options, Style
from ..parse.instances import instance_call, instantiations
from ..parse.subclass.build_lines import built_on_inputs, has_comment, is_build
from .instance_shapes import passed_values, with_values, without_args
from .splice import Replacement, comments_in


def build_insertions(
    src: SourceFile,
    site: ModelSite,
    emitted: tuple[cst.BaseStatement, ...],
    recast: bool = True,
    taken: tuple[str, ...] = (),
) -> tuple[Replacement, ...]:
    """Replacements inserting the build line after each instantiation of the class, if one is
    needed, and putting it in place of a ``model.build(shape)`` right after one.  ``recast``:
    the site is a class, else a builder function the class replaces, whose instances are built
    unless the line after them already builds them.  ``taken``: the graph class's parameters the
    build line takes from each instance, which no longer passes them (instance_shapes.py)."""
    rest = [statement for statement in emitted if not isinstance(statement, cst.ClassDef)]
    if len(rest) < 2 or not is_build(rest[1]):
        return ()
    instance = rest[0].body[0].targets[0].target.value
    # The file already calls the model on something of a known shape; an instance that gave the
    # shape (``taken``) is built on its own, and so is an input data do not say all of (a ``dtype=``).
    inputs = site.graph.inputs_in_order()
    called = recast and not taken and all(
        input_shapes(src, site.block.body[site.start], Options(), len(inputs))
    ) and all(arg.keyword in (None, "shape") for node in inputs for arg in node.args)
    found = []
    # The model class is the last one written (a block's Layer classes come before it).
    model_class = [statement for statement in emitted if isinstance(statement, cst.ClassDef)][-1].name.value
    for block, index, name in instantiations(src.module, model_class):
        statement, build = block.body[index], rest[1].with_changes(leading_lines=())
        if taken:
            statement, build = _taking(statement, build, site.graph.params, taken)
        here = _built(src, site, block, index, name, statement, build, instance, called)
        if taken and not any(each.start == index for each in here):
            # No build line goes with it, but the line passes less.
            line = statement.with_changes(leading_lines=())
            here.append(Replacement(block, index, index + 1, (line,), comments_in((line,))))
        found += here
    return tuple(found)


def _built(src, site, block, index, name, statement, build, instance, called) -> list[Replacement]:
    """The replacements that build the instance ``block.body[index]`` (as ``statement`` now
    writes it) with ``build``, if it needs building."""
    if name is None:
        # ``return Cls(...)``: the instance is named, built, then returned.
        if not called and not has_comment(statement.with_changes(leading_lines=())):
            return [_built_return(block, index, statement, build, instance)]
        return []
    build = build.visit(_Renamed(instance, name))
    after = block.body[index + 1] if index + 1 < len(block.body) else None
    if after is not None and site.style is not Style.SUBCLASS and _builds_by_shape(after, name):
        # ``model.build((None, 16))`` built the source's model; it builds none of a subclass's
        # layers in Keras 3, and warns.  A subclass's own line is the user's to keep.
        return [Replacement(block, index + 1, index + 2, (build.with_changes(leading_lines=after.leading_lines),))]
    if called or (after is not None and _calls(after, name)):
        return []
    line = statement.with_changes(leading_lines=())
    if has_comment(line) and statement is block.body[index]:
        # The line as it was, with a comment the splicer would lift above it: the build line goes in
        # on its own.
        return [Replacement(block, index + 1, index + 1, (build,))]
    # Replaced by itself and the build line, which then follows it directly; the splicer keeps the
    # blank lines and comments above it, which would otherwise come twice.
    return [Replacement(block, index, index + 1, (line, build), comments_in((line,)))]


def _taking(statement, build, params, taken):
    """The instance line without its values for ``taken``, and the build line reading them."""
    call = instance_call(statement)
    values = passed_values(call, params, taken)
    return statement.deep_replace(call, without_args(call, params, taken)), with_values(build, values)


def build_removals(
    src: SourceFile, site: ModelSite, passed: tuple[str, ...] = (), order: tuple[str, ...] = (), layout: Layout = Layout()
) -> tuple[Replacement, ...]:
    """Replacements removing ``name(keras.Input(...))`` right after each ``name = Cls(...)`` of the
    subclass ``site``, which becomes a graph model built by its own constructor; with a
    ``return name`` right after, the three lines become ``return Cls(...)``.  ``passed``: names
    of the builder the call now passes, as keywords of the same names (rewrite/shape_params.py),
    in the class's parameter ``order`` when the call gives every argument by keyword, laid out with
    the file's black settings ``layout``."""
    found = []
    for block, index, name in built_instances(src, site, said=True):
        then = block.body[index + 2] if index + 2 < len(block.body) else None
        statement = _passing(src, block.body[index], passed, order, layout)
        if then is not None and _returns(then, name) and not has_comment(statement.with_changes(leading_lines=())):
            returned = cst.SimpleStatementLine(body=[cst.Return(value=statement.body[0].value)])
            found.append(Replacement(block, index, index + 3, (returned,)))
        elif passed:
            found.append(Replacement(block, index, index + 2, (statement,)))
        else:
            found.append(Replacement(block, index + 1, index + 2, ()))
    return tuple(found)


def built_instances(src: SourceFile, site: ModelSite, said: bool = False) -> list[tuple[cst.CSTNode, int, str]]:
    """``(block, index, variable)`` of each ``variable = Cls(...)`` of the subclass ``site`` that
    the next line builds on ``keras.Input`` (or by ``variable.build(shape)``), with no comment
    unless the graph ``said`` it (parse/subclass/build_lines.py)."""
    found = []
    for block, index, name in instantiations(src.module, site.name):
        after = block.body[index + 1] if name is not None and index + 1 < len(block.body) else None
        if after is not None and built_on_inputs(src, after, name, said):
            found.append((block, index, name))
    return found


def function_names(src: SourceFile, block: cst.CSTNode) -> set[str]:
    """The names the functions around ``block`` bind: parameters and what their bodies assign."""
    found: set[str] = set()
    node = src.parent(block)
    while node is not None:
        if isinstance(node, cst.FunctionDef):
            found |= {param.name.value for param in params_of(node)} | assigned_anywhere(node.body.body)
        node = src.parent(node)
    return found


def _passing(
    src: SourceFile, statement: cst.SimpleStatementLine, passed: tuple[str, ...], order: tuple[str, ...], layout: Layout
):
    """``model = Cls(...)`` passing ``passed`` too, laid out by black where it was."""
    if not passed:
        return statement
    small = statement.body[0]
    call = small.value
    args = [*call.args, *(cst.Arg(cst.Name(name), keyword=cst.Name(name)) for name in passed)]
    if all(arg.keyword is not None for arg in args):
        args.sort(key=lambda arg: order.index(arg.keyword.value) if arg.keyword.value in order else len(order))
    args = [arg.with_changes(comma=cst.MaybeSentinel.DEFAULT) for arg in args]
    line = statement.with_changes(body=[small.with_changes(value=call.with_changes(args=args))], leading_lines=())
    indent = src.loc(statement).col - 1
    code = format_block(cst.Module([]).code_for_node(line), indent, layout)
    return cst.parse_statement(code).with_changes(leading_lines=statement.leading_lines)


def _built_return(block, index: int, statement, build: cst.BaseStatement, instance: str) -> Replacement:
    """``return Cls(...)`` (``statement``, as the class now takes it) as ``model = Cls(...)``, the
    build line, ``return model``."""
    local = next(name for name in ("model", "model_", "built_model") if name not in identifiers(block))
    made = cst.SimpleStatementLine(body=[cst.Assign([cst.AssignTarget(cst.Name(local))], statement.body[0].value)])
    returned = cst.SimpleStatementLine(body=[cst.Return(value=cst.Name(local))])
    return Replacement(block, index, index + 1, (made, build.visit(_Renamed(instance, local)), returned))


def _returns(statement: cst.BaseStatement, name: str) -> bool:
    """``return name`` alone on its line, with no comment to lose."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Return)
        and isinstance(statement.body[0].value, cst.Name)
        and statement.body[0].value.value == name
        and not has_comment(statement)
    )


def _calls(statement: cst.BaseStatement, name: str) -> bool:
    """``name(...)`` or ``y = name(...)``: the statement calls the instance, which builds it."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body[0]
    value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
    return isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == name


def _builds_by_shape(statement: cst.BaseStatement, name: str) -> bool:
    """``name.build(...)`` alone on its line, with no comment to lose."""
    return (
        is_build(statement)
        and isinstance(func := statement.body[0].value.func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and (func.value.value, func.attr.value) == (name, "build")
        and len(statement.body) == 1
        and not has_comment(statement)
    )


def build_reach_problem(src: SourceFile, site: ModelSite, taken: tuple[str, ...] = ()) -> Diagnostic | None:
    """Why a class that builds a graph on a constructor parameter's value (``keras.Input(shape=(n,))``)
    cannot become a subclass: the build line after an instance reads the Input as the class wrote
    it, so each instance must pass that parameter as a name of its own (``Net(n=n)``, ``Net(n)``),
    but for those the build line takes from each instance (``taken``)."""
    params = [param.name for param in site.graph.params if not param.star]
    read = set().union(*(identifiers_of(arg.value.text) for node in site.graph.inputs_in_order() for arg in node.args))
    needed = [name for name in params if name in read and name not in taken]
    if not needed:
        return None
    for block, index, _ in instantiations(src.module, site.name):
        call = instance_call(block.body[index])
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        passed = {params[at]: value for at, value in enumerate(positional) if at < len(params)}
        passed |= {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
        for name in needed:
            value = passed.get(name)
            if not (isinstance(value, cst.Name) and value.value == name):
                loc = src.loc(call)
                given = f"passes `{cst.Module([]).code_for_node(value)}` for it" if value is not None else "does not pass it"
                return Diagnostic(
                    loc.line,
                    loc.col,
                    f"the model's input shape reads the constructor parameter `{name}`, and this"
                    f" `{site.name}(...)` {given}; a subclass is built by a line after each instance,"
                    f" which reads `{name}` there",
                    f"pass it as `{name}={name}`, or keep this model functional-subclass",
                )
    return None


class _Renamed(cst.CSTTransformer):
    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.new) if original.value == self.old else updated
