"""One conversion of one file's text: parse → IR → emit → splice → imports.

This is the whole pipeline in one place; the CLI and the library API call
``convert_source`` and only decide what to do with its result value.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from .deep import on_deep_stack
from .emit import EMITTERS
from .emit.builder import as_builder
from .emit.context import EmitContext, EmitRefusal
from .emit.subclass import builds_on_inputs, builds_on_zeros
from .ir.graph import Graph, Input
from .parse.finder import find_sites
from .parse.names_in import identifiers
from .parse.sites import ModelSite
from .parse.source import SourceFile
from .rewrite.classes import builder_class, class_placement
from .rewrite.splice import Replacement, splice
from .rewrite.symbols import ImportRequest, imports_read, symbols_for
from .types import ConversionResult, Converted, Diagnostic, ModelChange, Options, Refused, Style


@on_deep_stack
def convert_source(text: str, target: Style, options: Options = Options(), path: str = "<string>") -> ConversionResult:
    src = SourceFile.parse(text)
    if isinstance(src, Diagnostic):
        return Refused((src.at(path),))
    sites = select(find_sites(src, options), options)
    if isinstance(sites, Diagnostic):
        return Refused((sites.at(path),))
    replacements: list[Replacement] = []
    imports: set[ImportRequest] = set()
    removals: set[ImportRequest] = set()
    changes: list[ModelChange] = []
    problems: list[Diagnostic] = []
    taken: set[str] = set()  # classes emitted so far: one name each
    notes: list[Diagnostic] = []
    for site in sites:
        # A block such as a data-augmentation Sequential used inside another
        # model cannot stand alone without a shape, but the file's other models
        # can still be converted; it is left as it is, like a training container.
        left = site.style is not target and (site.container or (len(sites) > 1 and _shapeless(site)))
        changed = site.style is not target and not left
        changes.append(ModelChange(site.name, site.loc.line, site.style, target, changed))
        if left:
            notes.append((site.problem if site.container else _shapeless_note(site)).at(path))
        if not changed:
            continue
        outcome = _convert_site(src, site, target, options, taken)
        if isinstance(outcome, Diagnostic):
            problems.append(outcome.at(path))
            continue
        replaced, needed = outcome
        replacements.extend(replaced)
        imports |= needed
        removals |= imports_read(src, _statements(site)[site.start : site.end])
    if problems:
        return Refused(tuple(problems))
    if not replacements:
        return Converted(text, tuple(changes), tuple(notes))
    module = splice(src.module, replacements)
    module = _fix_imports(module, imports, removals)
    return Converted(module.code, tuple(changes), tuple(notes))


def _shapeless(site: ModelSite) -> bool:
    return site.graph is not None and any(not node.args for node in site.graph.inputs_in_order())


def _shapeless_note(site: ModelSite) -> Diagnostic:
    return Diagnostic(
        site.loc.line,
        site.loc.col,
        f"`{site.name}` has no input shape, so it stays {site.style} while the other models are converted",
        f"to convert it too, pass --model {site.name} --input-shape D1,D2,...",
        severity="note",
    )


def select(sites: list[ModelSite], options: Options) -> list[ModelSite] | Diagnostic:
    """The models to convert: all of them, or the one ``--model`` names."""
    if not sites:
        return Diagnostic(
            1,
            1,
            "no Keras model found in this file",
            "kconvert looks for `x = keras.Sequential(...)`, `x = keras.Model(inputs, outputs)`"
            " and `return` of either, at module level or in functions",
        )
    if options.model is None:
        return sites
    chosen = [site for site in sites if options.model in (site.name, site.scope)]
    if not chosen:
        names = ", ".join(sorted({site.name for site in sites}))
        return Diagnostic(1, 1, f"no model named `{options.model}` in this file", f"models found: {names}")
    return chosen


def _convert_site(src: SourceFile, site: ModelSite, target: Style, options: Options, taken: set[str]):
    if site.problem is not None:
        return site.problem
    if site.escaping and target is not Style.FUNCTIONAL:
        name, loc = site.escaping[0]
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{name}` from the model's code is still used here, but the {target} form has no such variable",
            "convert to Functional instead, or stop using the model's tensors after building it",
        )
    symbols, requests = symbols_for(src, site.root)
    indent = src.loc(_statements(site)[site.start]).col - 1
    # A subclass becomes a builder function named like the class, so every
    # instantiation (``MLP(use_bn=True)``) stays as it is.
    builder = site.style is Style.SUBCLASS
    function = builder_class(src, site) if target is Style.SUBCLASS else None
    if target is Style.SUBCLASS and function is None and options.class_name in site.used_names | taken:
        return Diagnostic(
            site.loc.line,
            site.loc.col,
            f"--class-name {options.class_name}: this file already uses that name",
            "choose a class name the file does not use",
        )
    ctx = EmitContext(
        None if builder else site.binding.target,
        symbols,
        site.used_names | taken,
        indent + 4 if builder else indent,
        function.name.value if function is not None else options.class_name,
    )
    try:
        code = EMITTERS[target](site.graph, ctx)
    except EmitRefusal as refusal:
        return refusal.diagnostic
    if builder:
        code = as_builder(site.name, site.graph.params, code, indent)
    needed = {requests[symbol] for symbol in _symbols_used(site.graph, target) if symbol in requests}
    new = tuple(cst.parse_module(code).body)
    if target is Style.SUBCLASS:
        taken.update(statement.name.value for statement in new if isinstance(statement, cst.ClassDef))
        return class_placement(src, site, new), needed
    return (Replacement(site.block, site.start, site.end, new),), needed


def _statements(site: ModelSite):
    return site.block.body


def _symbols_used(graph: Graph, target: Style) -> set[str]:
    has_input = any(isinstance(node, Input) and node.args and node.factory is None for node in graph.walk())
    used = {"Input"} if has_input else set()
    if target is Style.FUNCTIONAL:
        used.add("Model")
    elif target is Style.SEQUENTIAL:
        used.add("Sequential")
    elif target is Style.SUBCLASS:
        used = {"Model", "Input"} if builds_on_inputs(graph) else {"Model"}
        if builds_on_zeros(graph):
            used = {"Model", "ops"}
    return used


def _fix_imports(module: cst.Module, imports: set[ImportRequest], removals: set[ImportRequest]) -> cst.Module:
    """Adds the imports the new code needs and removes those it made unused.

    libcst's import visitors analyse the module they are given, which costs more
    than the rest of a conversion; they get only the import section (up to the
    last top-level import), since that is where they add and remove, and the
    names read elsewhere are checked beforehand.
    """
    unused = _no_longer_read(module, removals - imports)
    if not imports and not unused:
        return module
    cut = _import_section_end(module)
    head = module.with_changes(body=module.body[:cut], footer=())
    if imports:
        context = CodemodContext()
        for request in sorted(imports, key=lambda r: (r.module, r.name)):
            AddImportsVisitor.add_needed_import(context, request.module, request.name)
        head = AddImportsVisitor(context).transform_module(head)
    if unused:
        context = CodemodContext()
        for request in unused:
            RemoveImportsVisitor.remove_unused_import(context, request.module, request.name, request.asname)
        head = RemoveImportsVisitor(context).transform_module(head)
    return module.with_changes(header=head.header, body=(*head.body, *module.body[cut:]))


def _import_section_end(module: cst.Module) -> int:
    """Index after the last top-level import (after the docstring when there is none)."""
    end = 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
        ):
            end = index + 1
    if end == 0 and module.body and _is_docstring(module.body[0]):
        end = 1
    return end


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _no_longer_read(module: cst.Module, candidates: set[ImportRequest]) -> set[ImportRequest]:
    """The candidates whose bound name nothing reads any more.

    A cheap pre-check: the scope analysis RemoveImportsVisitor runs costs more
    than the rest of a conversion, and most candidates (``keras``) are still used.
    """
    if not candidates:
        return set()
    read: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
        ):
            continue
        read |= identifiers(statement)
    return {request for request in candidates if _bound_name(request) not in read}


def _bound_name(request: ImportRequest) -> str:
    if request.asname:
        return request.asname
    return request.name if request.name else request.module.split(".")[0]
