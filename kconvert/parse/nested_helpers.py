"""A layer-building function a builder defines inside itself, read as the module's own helper.

``def d_percsr(filters, input_shape)`` that first defines ``def conv2d_block(input, filters,
strides=1, bn=True)`` and then calls it on its tensors (jlfilho's super-resolution
discriminators, ResUNet++'s ``build_model``): the inner function reads only its parameters
and the module's names, so it is the helper it would be at module level, put where it is
used.  The Functional parser reads its calls as a module-level helper's (parse/helpers.py):
a subclass then makes a Layer class of it, Sequential writes its layers out.  A class that
builds a graph calls it from its ``__init__`` at module level, so it is written there, above
the class (``graph.functions``), unless the module already has the name.  A function that
reads a local of its builder (a closure) is none of these: kconvert refuses it where it is; nor,
for a class, is one whose default reads one (``conv_filter=conv_filter``), which only the builder
can evaluate.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import Assignment

from .memo import once
from .names_in import assigned_anywhere, name_nodes
from .source import SourceFile
from .walk import of_kind


def local_definition(src: SourceFile, func: cst.Name) -> tuple[bool, cst.FunctionDef | None]:
    """Whether the function calling ``func`` binds that name itself, and then the ``def`` it
    defines above the call when that reads none of the function's locals (else None: no helper
    kconvert can read, and not the module's function of that name either)."""
    statement, builder = _enclosing(src, func)
    if builder is None or func.value not in once("assigned_in", builder, lambda node: assigned_anywhere(node.body.body)):
        return False, None
    found = None
    for item in builder.body.body:
        if item is statement:
            break
        if isinstance(item, cst.FunctionDef) and item.name.value == func.value:
            found = item
    return True, found if found is not None and closure_free(src, found) else None


def closure_free(src: SourceFile, definition: cst.FunctionDef) -> bool:
    """Whether no name the nested ``definition`` reads, in its body or a lambda or comprehension
    there, is bound by the function around it."""
    outer = src.scope(definition)
    scopes = {src.scope(name) for name in name_nodes(definition.body)} - {None, outer}
    if outer is None or not scopes:
        return False
    return not any(
        isinstance(referent, Assignment) and referent.scope is outer
        for scope in scopes
        for access in scope.accesses
        for referent in access.referents
    )


def defined_free(src: SourceFile, definition: cst.FunctionDef) -> bool:
    """Whether nothing Python evaluates where the nested ``definition`` runs (a default,
    ``conv_filter=conv_filter``, an annotation or a decorator) reads a name the function around it
    binds.  Written out where it is called, such a helper reads the builder's value; written at
    module level, or made a Layer class there, it would read the module's (or none)."""
    outer = src.scope(definition)
    if outer is None:
        return False
    params = definition.params
    every = (*params.posonly_params, *params.params, *params.kwonly_params)
    every += tuple(param for param in (params.star_arg, params.star_kwarg) if isinstance(param, cst.Param))
    parts = [decorator.decorator for decorator in definition.decorators]
    parts += [part for param in every for part in (param.default, param.annotation) if part is not None]
    parts += [definition.returns] if definition.returns is not None else []
    at_def = {id(name) for part in parts for name in name_nodes(part)}
    return not any(
        isinstance(referent, Assignment) and referent.scope is outer
        for access in outer.accesses
        if id(access.node) in at_def
        for referent in access.referents
    )


def _enclosing(src: SourceFile, node: cst.CSTNode) -> tuple[cst.CSTNode | None, cst.FunctionDef | None]:
    """The statement of the innermost function's own body that holds ``node``, and that function."""
    child, parent = node, src.parent(node)
    while parent is not None:
        if isinstance(parent, cst.IndentedBlock):
            owner = src.parent(parent)
            if isinstance(owner, cst.FunctionDef):
                return child, owner
        child, parent = parent, src.parent(parent)
    return None, None


def function_defs(module: cst.Module) -> list[cst.FunctionDef]:
    """Every ``def`` of the module, at any depth (each model of the file asks it of its helpers)."""
    return once("function_defs", module, lambda node: of_kind(node, cst.FunctionDef))
