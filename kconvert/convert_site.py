"""One model of a file in another style: the checks that may refuse it, the graph as the target
writes it, the emitted code, and the replacements that put it in place (convert.py runs this for
each model and splices the file)."""

from __future__ import annotations

import os
from dataclasses import replace

import libcst as cst

from .emit import EMITTERS
from .emit.builder import as_builder
from .emit.context import EmitContext, EmitRefusal, NoInputShape, no_shape_hint
from .emit.docstrings import joined
from .ir.block_params import assigned_in
from .ir.graph import Graph
from .emit.render import Layout
from .emit.subclass.build import builds_on_inputs, without_shape_params
from .ir.reads import names_read
from .later_uses import later_use_problem, parameter_use_problem, statement_read_later
from .parse.call_time_reads import call_time_problem
from .parse.first_use import first_use
from .parse.function_locals import lifted_function_locals
from .parse.handed_modules import handed_problem
from .parse.imported_callables import imported_callable_problem
from .parse.module_index import module_bindings
from .parse.module_rebinding import kept_rebinding_problem, module_rebinding_problem
from .parse.data_params import lifted_data_params
from .parse.params import source_param
from .parse.self_reads import lifted_self_reads
from .parse.sites import ModelSite, owner_class
from .parse.source import SourceFile
from .parse.unseen_bases import unseen_base
from .rewrite.builds import build_insertions, build_reach_problem, build_removals
from .rewrite.class_imports import (
    bound_in_time,
    class_line_reads,
    graph_line_reads,
    imported_after_class,
    runs_where_written,
)
from .rewrite.classes import builder_class, class_placement
from .rewrite.builder_site import builder_replacements, only_builder, passed_on
from .rewrite.helpers import own_comments
from .rewrite.tensor_reaches import tensor_reaches
from .rewrite.instance_shapes import shape_params_out
from .rewrite.instance_site import at_instance, instance_replacements, single_instance
from .rewrite.splice import Replacement, comments_in
from .site_refusals import site_problem
from .rewrite.shared_classes import LayerClasses, clashes, without_copies
from .rewrite.shape_params import shape_out_of_reach, with_shape_params
from .rewrite.symbols import lacking, layer_classes, symbols_for, symbols_used
from .types import CLASSES, Diagnostic, Options, Style



def convert_site(
    src: SourceFile,
    site: ModelSite,
    target: Style,
    options: Options,
    made: tuple[set[str], LayerClasses],
    path: str,
    in_place: bool = True,
):
    """The replacements that write ``site`` in the ``target`` style, the imports they need and the
    site as converted (its graph may read as parameters what the original read of an object); or
    why it cannot be.  With ``in_place``, a class made once (by one line, or by the one function
    that returns it) is written as that line's or that function's code, where it can be."""
    taken, made_layers = made
    given_site = site
    # Later code that reads the model's tensors can read them through a graph class's model.
    reachable = target is Style.FUNCTIONAL_SUBCLASS and site.escaping and tensor_reaches(src, site) is not None
    problem = (
        site_problem(replace(site, escaping=()) if reachable else site, target)
        or later_use_problem(site, target)
        or parameter_use_problem(site, target)
        or statement_read_later(site, target)
        or (unseen_base(src, site) if target is Style.SUBCLASS else None)
    )
    if problem is not None:
        return problem
    # ``self.encoder = Sequential(...)``, or a local ``model = Sequential()`` a method fills and
    # stores (dragen1860's VGG reads ``self.num_classes``, set just before it).
    # It takes what it reads of the object as parameters (``self.latent_dim`` as ``latent_dim``).
    in_method = site.scope is not None or (site.binding.target is not None and "." in site.binding.target)
    if target in CLASSES and site.style not in CLASSES and in_method and "self" in names_read(site.graph):
        graph = lifted_self_reads(src, site, target)
        if isinstance(graph, Diagnostic):
            return graph
        site = replace(site, graph=graph)
    local = call_time_problem(src, site, target)
    hoisted: frozenset = frozenset()  # the builder's own imports the class reads, made at module level
    if target in CLASSES and site.style not in CLASSES and local is None:
        # It takes the function's locals it reads as parameters (``seq_length`` in ``main()``).
        lifted = lifted_function_locals(src, site, target)
        if isinstance(lifted, Diagnostic):
            return lifted
        site, hoisted = replace(site, graph=lifted[0]), lifted[1]
        local = module_rebinding_problem(src, site, target)
        local = local or (kept_rebinding_problem(src, site) if target is Style.SUBCLASS else None)
    # A subclass's own layers are its attributes already; a Sequential model lists only layers.
    if site.style not in CLASSES or target is Style.SEQUENTIAL:
        local = local or imported_callable_problem(src, site, target)
    if local is not None:
        return local
    if target in CLASSES and site.style not in CLASSES:
        # ``Dense(y_train.shape[1])``: the class takes the size, not the training data.
        site = replace(site, graph=lifted_data_params(site.graph, target))
    # Code that reads its names as soon as it runs spells Keras with what is imported above it.
    in_time = (lambda name: bound_in_time(src, site, name, target)) if runs_where_written(src, site, target) else None
    symbols, requests = symbols_for(src, site.root, in_time)
    reads = class_line_reads(site.graph, symbols) if target in CLASSES else graph_line_reads(src, site, symbols, target)
    late = imported_after_class(src, site, reads, target)
    if late is not None:
        return late
    indent = src.loc(site.block.body[site.start]).col - 1
    # A class becomes a builder function named like the class, or a class of the
    # other kind with the same name, so every instantiation (``MLP(use_bn=True)``)
    # stays as it is.
    builder = site.style in CLASSES and target not in CLASSES
    # Made once at module level, the class's model is written there as module-level code.
    instance = single_instance(src, site) if builder and in_place else None
    # Made only by a function that returns it, the class's model is written as that function's code.
    made_by = only_builder(src, site) if builder and not instance and in_place else None
    if made_by is not None and (assigned_in(site.graph.body) - passed_on(made_by)) & {param.name for param in site.graph.params}:
        # ``units = units * 2`` in the model's code: an argument other than the function's own
        # ``units`` cannot be put where the parameter is read; the function calls a builder.
        made_by = None
    passed: tuple[str, ...] = ()
    if site.style is Style.SUBCLASS and target is not Style.SUBCLASS and not instance and not made_by:
        shaped = with_shape_params(src, site)
        if shaped is not None:
            # The ``input_shape`` its maker has, which only the line building the subclass read: the model's.
            site, passed = replace(site, graph=shaped[0]), shaped[1]
    # A class that builds a graph makes its Input in its own code, at module level, too; code
    # written in the function that builds the model reads that function's parameters.
    out_of_reach = builder and not instance or target is Style.FUNCTIONAL_SUBCLASS
    reach = shape_out_of_reach(src, site, target, made_by.params if made_by else frozenset()) if out_of_reach else None
    if reach is not None:
        return reach
    recast = site.style in CLASSES and target in CLASSES
    # A graph class's ``input_shape`` is then each instance's build line's, not the subclass's.
    from_instances = shape_params_out(src, site) if recast and target is Style.SUBCLASS and site.style is not Style.SUBCLASS else ()
    if recast and target is Style.SUBCLASS and site.style is not Style.SUBCLASS:
        reach = build_reach_problem(src, site, from_instances)
        if reach is not None:
            return reach
    function = builder_class(src, site, target) if target in CLASSES else None
    if target in CLASSES and function is None and options.class_name in site.used_names | taken:
        return Diagnostic(
            site.loc.line,
            site.loc.col,
            f"--class-name {options.class_name}: this file already uses that name",
            "choose a class name the file does not use",
        )
    ctx = EmitContext(
        instance[1] if instance else None if builder else site.binding.target,
        symbols,
        site.used_names | taken | (module_bindings(src.module) if instance else frozenset())
        | (made_by.params if made_by else frozenset()),
        indent if instance else indent + 4 if builder else indent,
        function.name.value if function is not None else site.name if recast else options.class_name,
        site.scope,
        _module_name(path),
        site.kept_layers,
        Layout(options.line_length, not options.skip_magic_trailing_comma),
        makes_no_instance=function is not None or recast,
        module_names=module_bindings(src.module),
        class_indent=indent if recast else 0,
        file_name=_file_stem(path),
        attributes=site.attributes_read,
        owner=owner_class(src, site),
    )
    graph = at_instance(site.graph) if instance else at_instance(site.graph, made_by.given) if made_by else site.graph
    if target in CLASSES and function is None and not builder and not recast:
        # The builder function stays, and its docstring with it: the new class is not its
        # replacement.  What its signature says of each parameter stays there too.
        graph = replace(graph, doc=None, params=tuple(replace(param, loc=None) for param in graph.params))
    if target is Style.SUBCLASS:
        graph = without_shape_params(graph, ctx, from_instances)
    try:
        code = _emitted(graph, ctx, target, made_layers)
    except NoInputShape as refusal:
        return replace(refusal.diagnostic, hint=no_shape_hint(site.name, first_use(src, site)))
    except EmitRefusal as refusal:
        return refusal.diagnostic
    in_function = made_by and not _deferred(site) and builder_replacements(src, site, made_by, code)
    if made_by and not in_function:
        # A comment of the class with nowhere to go in the function: the class becomes a builder
        # function of its own, which takes the class's parameters, not the function's arguments.
        return convert_site(src, given_site, target, options, made, path, in_place=False)
    if builder and not instance and not in_function:
        doc = joined(graph.doc, graph.init_doc, graph.call_doc)
        code = as_builder(site.name, graph.params, code, indent, ctx.layout, doc, graph.remarks)
    new = _statements(code) + _deferred(site)
    if target is Style.SUBCLASS:
        new = without_copies(new, symbols.layer, made_layers)
    used = symbols_used(site.graph, target) | layer_classes(new, ctx.symbols)
    missing = lacking(site.root, used, target, site.loc)
    if missing is not None:
        return missing
    needed = {requests[symbol] for symbol in used if symbol in requests} | hoisted
    handed = handed_problem(src, site, target, bool(needed))
    if handed is not None:
        return handed
    if in_function:
        # Read back, the model is the function's, which reads its own parameters (``name=name`` of
        # ``def build(..., name="classifier")``): the graph the check compares takes them.
        function = made_by.function.params
        read = names_read(graph)
        params = tuple(
            source_param(src, param)
            for param in (*function.posonly_params, *function.params, *function.kwonly_params)
            if param.name.value in read
        )
        return in_function, needed, replace(site, graph=replace(graph, params=params))
    replaced = range(src.loc(site.block.body[site.start]).line, src.end_line(site.block.body[site.end - 1]) + 1)
    placed = own_comments(src, graph, target, new, replaced)
    at_line = instance and instance_replacements(src, site, instance[0], new)
    if at_line:
        # Checked as what the line makes: each parameter its default.
        return (*at_line, *_unbuilt(src, site, target)), needed, replace(site, graph=graph)
    if instance:
        return convert_site(src, given_site, target, options, made, path, in_place=False)
    if recast:
        # The class is replaced by the class alone: the code that makes the model stays.
        classes = tuple(statement for statement in new if isinstance(statement, cst.ClassDef))
        taken.update(statement.name.value for statement in classes)
        builds = build_insertions(src, site, new, taken=from_instances) if target is Style.SUBCLASS else _unbuilt(src, site, target, passed, ctx.layout)
        return (Replacement(site.block, site.start, site.end, classes, comments_in(classes)), *builds), needed, site
    if target in CLASSES:
        taken.update(statement.name.value for statement in new if isinstance(statement, cst.ClassDef))
        placement = tuple(replace(each, placed=placed) for each in class_placement(src, site, new, target))
        if target is Style.SUBCLASS and function is not None:
            placement += build_insertions(src, site, new, recast=False)
        return placement, needed, replace(site, graph=graph)
    return (Replacement(site.block, site.start, site.end, new, placed), *_unbuilt(src, site, target, passed, ctx.layout)), needed, site


def _emitted(graph: Graph, ctx: EmitContext, target: Style, made: LayerClasses) -> str:
    """The model's code; a subclass's blocks are the Layer classes earlier models made where it
    writes them alike, classes of their own names where not."""
    shared = frozenset(made.made.values()) if target is Style.SUBCLASS else frozenset()
    while True:
        code = EMITTERS[target](graph, replace(ctx, shared_classes=shared))
        clash = clashes(tuple(cst.parse_module(code).body), ctx.symbols.layer, made) if shared else frozenset()
        if not clash:
            return code
        shared -= clash


def _unbuilt(
    src: SourceFile, site: ModelSite, target: Style, passed: tuple[str, ...] = (), layout: Layout = Layout()
) -> tuple[Replacement, ...]:
    """A subclass that becomes a graph model with input shapes of its own needs no build line;
    its instance passes what that line read (``passed``) when the class takes it."""
    if site.style is not Style.SUBCLASS or target is Style.SUBCLASS or not builds_on_inputs(site.graph):
        return ()
    return build_removals(src, site, passed, tuple(param.name for param in site.graph.params), layout)


def _statements(code: str) -> tuple[cst.BaseStatement, ...]:
    """The statements of emitted ``code``; a comment above the first (``# three features`` said of
    the Input) is libcst's module header, which goes with that statement."""
    module = cst.parse_module(code)
    if not module.body or not any(line.comment is not None for line in module.header):
        return tuple(module.body)
    first = module.body[0].with_changes(leading_lines=(*module.header, *module.body[0].leading_lines))
    return (first, *module.body[1:])


def _deferred(site: ModelSite) -> tuple[cst.BaseStatement, ...]:
    """The statements that looked at the model between its ``.add()`` calls, now after it."""
    return tuple(statement.with_changes(leading_lines=()) for statement in site.deferred)


def _file_stem(path: str) -> str | None:
    # ``<string>``, ``<stdin>``: Python's names for text that has no file, so no name for a class.
    return None if path.startswith("<") else os.path.splitext(os.path.basename(path))[0]


def _module_name(path: str) -> str | None:
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem if stem.isidentifier() else None
