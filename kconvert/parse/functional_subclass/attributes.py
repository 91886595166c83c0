"""Layers kept as attributes before ``super().__init__``, read as the local names they stand for.

keras-hub makes a backbone's layers as ``self.token_embedding = ...`` before
``super().__init__`` and calls them in the graph (``x = self.token_embedding(ids)``),
so that tasks can reach them later.  Before the graph exists, such an attribute is
only a name for a layer: the file is read again with ``self.`` taken off those
attributes, and the Functional lifter reads that constructor as plain Functional
code; so are a method's that ``__init__`` calls to build the graph (methods.py).  Lines
stay where they were, so diagnostics keep their line numbers.
"""

from __future__ import annotations

import libcst as cst

from ..builder import refuse
from ..names_in import identifiers
from ..source import SourceFile
from .form import GraphInit, graph_init
from .methods import builder_calls
from ..walk import walk


def without_self(src: SourceFile, cls: cst.ClassDef, form: GraphInit) -> tuple[SourceFile, cst.ClassDef, GraphInit]:
    """The file, class and constructor with the attributes set before ``super().__init__`` as locals."""
    found = _SelfUses()
    for statement in form.before:
        walk(statement, found)
    if not found.attributes and not found.bare:
        return src, cls, form
    set_here = {node.attr.value for node in found.assigned}
    methods = {item.name.value: item for item in cls.body.body if isinstance(item, cst.FunctionDef)}
    # ``inputs, outputs = self._build()``: the method is read in place (methods.py), its own
    # ``self.<attr>`` reads as ``__init__``'s; the call itself stays for the lifter to find.
    called = {methods[name] for name in builder_calls(form.before, methods).values()}
    calls = {
        id(small.value.func)
        for statement in form.before
        if id(statement) in builder_calls(form.before, methods)
        for small in statement.body
    }
    inside = _SelfUses()
    for method in called:
        walk(method.body, inside)
    if inside.assigned:
        node = inside.assigned[0]
        raise refuse(
            src.loc(node),
            f"this method, called before `super().__init__(...)`, sets `self.{node.attr.value}`; read in"
            " `__init__`, where it is called, that would be a local name",
            "set it in `__init__`, or keep this model in its current style",
        )
    found.attributes += inside.attributes
    found.bare += inside.bare
    if found.bare:
        raise refuse(
            src.loc(found.bare[0]),
            "this statement passes `self` on before `super().__init__(...)`; kconvert reads the graph"
            " from the layers and tensors `__init__` makes",
            "make the layer without `self`, or keep this model in its current style",
        )
    for node in found.attributes:
        if id(node) in calls:
            continue
        if node.attr.value in methods and node.attr.value not in set_here:
            # ``self.parse_architecture(args.cnn)``: code of the class's own, run while the graph is built.
            raise refuse(
                src.loc(node),
                f"`self.{node.attr.value}` is a method of this class, called before `super().__init__(...)`;"
                " kconvert reads the graph from `__init__`'s own code and the module's functions",
                f"make `{node.attr.value}` a function of the module (without `self`), or keep this model in its"
                " current style",
            )
        if node.attr.value not in set_here:
            raise refuse(
                src.loc(node),
                f"`self.{node.attr.value}` is read before `super().__init__(...)` but not set there;"
                " kconvert cannot see what the base class gives",
                "make that value a local name or a constructor parameter, or keep this model in its current style",
            )
    others = _param_names(form.init.params) | {name for statement in form.before for name in identifiers(statement)}
    others |= {name for method in called for name in identifiers(method.body) | _param_names(method.params)}
    clash = sorted(set_here & others)
    if clash:
        node = next(node for node in found.assigned if node.attr.value == clash[0])
        raise refuse(
            src.loc(node),
            f"`self.{clash[0]}` and the name `{clash[0]}` are both used in `__init__`; kconvert reads"
            " the attribute as that name",
            "rename one of them, or keep this model in its current style",
        )
    local = SourceFile.parse(_text_without_self(src, [node for node in found.attributes if id(node) not in calls]))
    index = src.module.body.index(cls)
    new_cls = local.module.body[index]
    return local, new_cls, graph_init(local, new_cls)


def _text_without_self(src: SourceFile, nodes: list[cst.Attribute]) -> str:
    """The file's text with ``self.`` cut from each attribute, last first so offsets hold."""
    starts = [0]
    for line in src.text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    text = src.text
    spans = []
    for node in nodes:
        begin, end = src.loc(node.value), src.loc(node.attr)
        spans.append((starts[begin.line - 1] + begin.col - 1, starts[end.line - 1] + end.col - 1))
    for begin, end in sorted(spans, reverse=True):
        text = text[:begin] + text[end:]
    return text


class _SelfUses(cst.CSTVisitor):
    """Every ``self.<attr>`` (the attributes, and those assigned), and every other ``self``."""

    def __init__(self) -> None:
        self.attributes: list[cst.Attribute] = []
        self.assigned: list[cst.Attribute] = []
        self.bare: list[cst.Name] = []

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if _is_self_attribute(node.target):
            self.assigned.append(node.target)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if _is_self_attribute(node):
            self.attributes.append(node)
            return False
        return True

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "self":
            self.bare.append(node)


def _param_names(params: cst.Parameters) -> frozenset[str]:
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [star for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)]
    return frozenset(param.name.value for param in every)


def _is_self_attribute(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self"
