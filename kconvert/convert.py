"""One conversion of one file's text: parse → IR → emit → splice → imports.

This is the whole pipeline in one place; the CLI and the library API call
``convert_source`` and only decide what to do with its result value.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace

import libcst as cst

from .deep import on_deep_stack
from .emit import EMITTERS
from .emit.builder import as_builder
from .emit.context import EmitContext, EmitRefusal, NoInputShape, no_shape_hint, registers
from .emit.render import Layout
from .emit.subclass.build import builds_by_shape, builds_on_inputs, builds_on_zeros
from .ir.graph import Graph, Input, Node, Op, walk
from .ir.reads import names_read, only_imports
from .later_uses import later_use_problem, layer_moves, picked_inside_model
from .parse.finder import find_sites
from .parse.function_locals import function_local_problem
from .parse.names_in import bound_names, identifiers, remembered
from .parse.sequential.any_length import guessed
from .parse.module_index import module_bindings
from .parse.shared_inputs import made_among, shared_input_problem
from .parse.sites import ModelSite
from .parse.source import SourceFile
from .parse.unseen_models import unseen_models
from .rewrite.builds import build_insertions, build_removals
from .rewrite.classes import builder_class, class_placement
from .rewrite.splice import Replacement, comments_in, splice
from .safety import check_conversion
from .selection import describe, pick
from .slicing import among_models, convert_sliced
from .rewrite.helpers import without_unused_helpers
from .rewrite.imports import fix_imports
from .rewrite.layer_indexes import reindex
from .rewrite.symbols import ImportRequest, imports_read, merge_classes, symbols_for
from .types import ConversionResult, Converted, Diagnostic, ModelChange, Options, Refused, Style


# The styles that write a class: a model in one of them is made by instantiating the class.
CLASSES = frozenset({Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS})

# The refusal of a file without models: a file found in a folder is only counted.
NO_MODEL = "no Keras model found in this file"


@on_deep_stack
def convert_source(text: str, target: Style, options: Options = Options(), path: str = "<string>") -> ConversionResult:
    # Only the statements that can matter are parsed (slicing.py); the whole text when that cannot be shown safe.
    with remembered():
        result = convert_sliced(text, lambda part, markers: _convert_source(part, target, options, path, markers))
    if result is not None:
        return result
    with remembered():
        return _convert_source(text, target, options, path)


def _convert_source(
    text: str, target: Style, options: Options, path: str, markers: str | None = None
) -> ConversionResult | None:
    """The conversion of ``text``; None when ``markers`` (slicing.py) stand among a model's statements."""
    src = SourceFile.parse(text)
    if isinstance(src, Diagnostic):
        return None if markers else Refused((src.at(path),))
    found = find_sites(src, options)
    if markers and among_models(found, markers):
        return None
    unseen = unseen_models(src) if not found else None
    if unseen is not None:
        return Refused((unseen.at(path),))
    sites = select(found, options)
    if isinstance(sites, Diagnostic):
        return Refused((sites.at(path),))
    replacements: list[Replacement] = []
    imports: set[ImportRequest] = set()
    removals: set[ImportRequest] = set()
    changes: list[ModelChange] = []
    problems: list[Diagnostic] = []
    taken: set[str] = set()  # classes emitted so far: one name each
    notes: list[Diagnostic] = []
    converted: list[ModelSite] = []
    moves: dict = {}
    for site in sites:
        # A block such as a data-augmentation Sequential used inside another
        # model cannot stand alone without a shape, but the file's other models
        # can still be converted; it is left as it is, like a training container.
        left = site.style is not target and (
            site.container or (options.model is None and _shapeless_block(site, found))
        )
        changed = site.style is not target and not left
        changes.append(ModelChange(site.name, site.loc.line, site.style, target, changed))
        if left:
            notes.append((site.problem if site.container else _shapeless_note(site)).at(path))
        if not changed:
            continue
        outcome = picked_inside_model(site, found, target) or made_among(src, site, found, target)
        outcome = outcome or _convert_site(src, site, target, options, taken, path)
        if isinstance(outcome, Diagnostic):
            problems.append(outcome.at(path))
            continue
        replaced, needed = outcome
        converted.append(site)
        notes.extend(_moved_note(src, statement).at(path) for statement in site.deferred)
        replacements.extend(replaced)
        moves.update(layer_moves(site, target))
        imports |= needed
        removals |= imports_read(src, _statements(site)[site.start : site.end])
    # A model whose input a later model that stays as it is still builds on is held back.
    blocked = {id(site): problem for site in converted if (problem := shared_input_problem(site, converted))}
    problems.extend(problem.at(path) for problem in blocked.values())
    converted = [site for site in converted if id(site) not in blocked]
    if problems:
        return Refused(tuple(problems) + _convertible_note(converted, path))
    if not replacements:
        return Converted(text, tuple(changes), tuple(notes))
    module = reindex(src, splice(src.module, replacements, src.parent), moves)
    if target in (Style.SUBCLASS, Style.SEQUENTIAL):
        # A subclass writes each helper as a Layer class, a Sequential lists its layers in place.
        blocks = {name for site in converted for name in _helpers_written(site.graph, target)}
        module = without_unused_helpers(module, blocks, Counter(comments_in(src.module.body)))
    converted_text = fix_imports(module, imports, removals).code
    unsafe = check_conversion(src, found, converted_text, options)
    if unsafe is not None:
        return Refused((unsafe.at(path),))
    return Converted(converted_text, tuple(changes), tuple(notes))


def _helpers_written(graph: Graph, target: Style) -> set[str]:
    """The helper functions whose code the model's new form holds instead of calling them."""
    if target is Style.SUBCLASS:
        return {block.name for block in graph.blocks}
    return _helper_names(graph.body)


def _helper_names(body: tuple[Node, ...]) -> set[str]:
    """The helpers ``body`` calls, and those their bodies call."""
    names = set()
    for node in walk(body):
        if isinstance(node, Op) and node.helper is not None:
            names |= {node.helper.name} | _helper_names(node.helper.body)
    return names


def _convertible_note(converted: list[ModelSite], path: str) -> tuple[Diagnostic, ...]:
    """When some models of a refused file do convert, which ones: each can be converted alone."""
    if not converted:
        return ()
    names = ", ".join(f"`{site.name}`" for site in converted)
    first = converted[0].loc
    return (
        Diagnostic(
            first.line,
            first.col,
            f"nothing was converted, though {names} would convert on {'its' if len(converted) == 1 else 'their'} own",
            "pass --model NAME (NAME:LINE when models share a name) to convert one model and leave the"
            " others as they are",
            path,
            "note",
        ),
    )


def _shapeless_block(site: ModelSite, sites: list[ModelSite]) -> bool:
    """A Sequential with no input shape that another model of the file uses as a layer; one
    only called on data (``y_pred = model(X_batch)`` in a training loop) is a model of its own."""
    if site.graph is None or all(node.args and not guessed(node) for node in site.graph.inputs_in_order()):
        return False
    name = site.binding.target
    return name is not None and any(name in _reads(other) for other in sites if other is not site)


def _reads(site: ModelSite) -> frozenset[str]:
    """The names a model's code reads; not the name it is bound to, which a tutorial gives
    each of its models (``model = ...``) without one using another."""
    if site.graph is not None:
        return names_read(site.graph)
    # A model kept as it is (a view of another model's graph): what its own statements mention.
    mentioned = frozenset().union(*map(identifiers, _statements(site)[site.start : site.end]))
    return mentioned - {site.binding.target}


def _shapeless_note(site: ModelSite) -> Diagnostic:
    return Diagnostic(
        site.loc.line,
        site.loc.col,
        f"`{site.name}` has no input shape and is used as a block inside another model,"
        f" so it stays {site.style}; the models that use it are converted",
        f"to convert it too, pass --model {site.name} --input-shape D1,D2,...",
        severity="note",
    )


def _statement_read_later(site: ModelSite, target: Style) -> Diagnostic | None:
    """A name a statement among the model's lines binds (``nb_conv += 2`` between blocks) that
    code after the model reads: a class target moves that statement into the class. Only a
    subclass written at module level keeps such a statement outside (emit/subclass/constructor.py)."""
    if target not in CLASSES or not site.statement_reads:
        return None
    if target is Style.SUBCLASS and site.scope is None:
        return None
    # A functional-subclass writes the model's imports above the class (emit/functional_subclass.py).
    imported = set().union(*(bound_names(s) for s in _statements(site)[site.start : site.end] if only_imports(s)))
    moved = [(name, loc) for name, loc in site.statement_reads if target is Style.SUBCLASS or name not in imported]
    if not moved:
        return None
    name, loc = moved[0]
    return Diagnostic(
        loc.line,
        loc.col,
        f"`{name}` is computed among the model's statements and read here, after the model;"
        f" a {target} model moves those statements into its class, where this code cannot read them",
        f"compute `{name}` after the model, or keep this model {site.style}",
    )


def select(sites: list[ModelSite], options: Options) -> list[ModelSite] | Diagnostic:
    """The models to convert: all of them, or the one ``--model`` names."""
    if not sites:
        return Diagnostic(
            1,
            1,
            NO_MODEL,
            "kconvert looks for `x = keras.Sequential(...)`, `x = keras.Model(inputs, outputs)`"
            " and `return` of either, at module level or in functions",
        )
    if options.model is None:
        return sites
    chosen = pick(options.model, sites, lambda site: ((site.name, site.scope), site.loc.line))
    if not chosen:
        names = ", ".join(sorted({site.name for site in sites}))
        return Diagnostic(1, 1, f"no model {describe(options.model)} in this file", f"models found: {names}")
    return chosen


def _convert_site(src: SourceFile, site: ModelSite, target: Style, options: Options, taken: set[str], path: str):
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
    if site.foreign_base is not None:
        # Functional code would make the model as ``Backbone(inputs, outputs)``, which nothing reads
        # back as a model; a subclass would need the base to work without a graph.
        base, loc = site.foreign_base
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{site.name}` is a `{base}`, a model class imported from elsewhere that kconvert cannot read;"
            f" a {target} model cannot be shown to be of that class",
            "keep this model a functional-subclass, or derive it from keras.Model to convert it",
        )
    # An attribute the class sets after making its model (``self.tb_callback = ...``) every style sets.
    set_up = {name for setup in (site.graph.setup if site.graph is not None else ()) for name in setup.sets}
    attribute_uses = [(what, loc) for what, loc in site.attribute_uses if what.split(".", 1)[1] not in set_up]
    if attribute_uses and target is not Style.SUBCLASS:
        what, loc = attribute_uses[0]
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{what}` reads an attribute the subclass sets in __init__; a {target} model has no such attribute",
            f"keep this model a subclass, or reach the layer by its name (`{what.split('.')[0]}.get_layer(...)`)",
        )
    problem = later_use_problem(site, target) or _statement_read_later(site, target)
    if problem is not None:
        return problem
    # ``self.encoder = Sequential(...)``, or a local ``model = Sequential()`` a method fills and
    # stores (dragen1860's VGG reads ``self.num_classes``, set just before it).
    in_method = site.scope is not None or (site.binding.target is not None and "." in site.binding.target)
    if target in CLASSES and site.style not in CLASSES and in_method:
        if "self" in names_read(site.graph):
            return Diagnostic(
                site.loc.line,
                site.loc.col,
                f"`{site.name}` reads `self`, the object of the class that makes it;"
                " a subclass of its own, at module level, cannot",
                "pass the values in as parameters, or keep this model Sequential or Functional",
            )
    local = function_local_problem(src, site, target) if target in CLASSES and site.style not in CLASSES else None
    if local is not None:
        return local
    symbols, requests = symbols_for(src, site.root)
    if target in CLASSES:
        late = _imported_after_class(src, site, _class_line_reads(site.graph, symbols))
        if late is not None:
            return late
    indent = src.loc(_statements(site)[site.start]).col - 1
    # A class becomes a builder function named like the class, or a class of the
    # other kind with the same name, so every instantiation (``MLP(use_bn=True)``)
    # stays as it is.
    builder = site.style in CLASSES and target not in CLASSES
    recast = site.style in CLASSES and target in CLASSES
    function = builder_class(src, site, target) if target in CLASSES else None
    if target in CLASSES and function is None and options.class_name in site.used_names | taken:
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
        function.name.value if function is not None else site.name if recast else options.class_name,
        site.scope,
        _module_name(path),
        site.kept_layers,
        Layout(options.line_length, not options.skip_magic_trailing_comma),
        makes_no_instance=function is not None or recast,
        module_names=module_bindings(src.module),
    )
    graph = site.graph
    if target is Style.SUBCLASS and function is None and not builder:
        # The builder function stays, and its docstring with it: the new class is not its replacement.
        graph = replace(graph, doc=None)
    try:
        code = EMITTERS[target](graph, ctx)
    except NoInputShape as refusal:
        return replace(refusal.diagnostic, hint=no_shape_hint(site.name))
    except EmitRefusal as refusal:
        return refusal.diagnostic
    if builder:
        code = as_builder(site.name, graph.params, code, indent, ctx.layout, graph.doc)
    needed = {requests[symbol] for symbol in _symbols_used(site.graph, target) if symbol in requests}
    new = tuple(cst.parse_module(code).body) + _deferred(site)
    placed = comments_in(new)
    if recast:
        # The class is replaced by the class alone: the code that makes the model stays.
        classes = tuple(statement for statement in new if isinstance(statement, cst.ClassDef))
        taken.update(statement.name.value for statement in classes)
        builds = build_insertions(src, site, new) if target is Style.SUBCLASS else _unbuilt(src, site, target)
        return (Replacement(site.block, site.start, site.end, classes, comments_in(classes)), *builds), needed
    if target in CLASSES:
        taken.update(statement.name.value for statement in new if isinstance(statement, cst.ClassDef))
        placement = tuple(replace(each, placed=placed) for each in class_placement(src, site, new, target))
        if target is Style.SUBCLASS and function is not None:
            placement += build_insertions(src, site, new, recast=False)
        return placement, needed
    return (Replacement(site.block, site.start, site.end, new, placed), *_unbuilt(src, site, target)), needed


def _unbuilt(src: SourceFile, site: ModelSite, target: Style) -> tuple[Replacement, ...]:
    """A subclass that becomes a graph model with input shapes of its own needs no build line."""
    if site.style is not Style.SUBCLASS or target is Style.SUBCLASS or not builds_on_inputs(site.graph):
        return ()
    return build_removals(src, site)


def _class_line_reads(graph, symbols) -> tuple[str, ...]:
    """What the emitted class reads when it is defined: its base, and the registration it gets."""
    base = graph.base.text if graph.base else symbols.model
    registered = any(registers(method) for method in graph.methods)
    return (base,) if registered else (base, f"{symbols.saving}.register_keras_serializable")


def _imported_after_class(src: SourceFile, site: ModelSite, reads: tuple[str, ...]) -> Diagnostic | None:
    """A class reads its base and decorators when it is defined, where a builder function read
    them only when called: the module-level statements that bind them must come before the class."""
    for read in reads:
        late = _bound_after(src, site, read)
        if late is not None:
            return late
    return None


def _bound_after(src: SourceFile, site: ModelSite, base: str) -> Diagnostic | None:
    root = base.split(".")[0]
    if isinstance(site.block, cst.Module):
        place = site.start
    else:
        node = site.block
        while not isinstance(src.parent(node), cst.Module):
            node = src.parent(node)
        place = src.module.body.index(node)
    for index, statement in enumerate(src.module.body):
        if root in bound_names(statement):
            if index <= place or _kept_above(src, site, index, root):
                return None
            loc = src.loc(statement)
            return Diagnostic(
                loc.line,
                loc.col,
                f"`{root}` is bound only here, after `{site.name}`; the class a subclass conversion writes"
                f" there needs `{base}` as soon as it is defined",
                f"move this import to the top of the file, above `{site.name}`",
            )
    return None


def _kept_above(src: SourceFile, site: ModelSite, index: int, name: str) -> bool:
    """An import among a module-level model's own lines, which the class is written below, and
    that none of the lines above it reads (``model = keras.Sequential()`` above ``import keras``
    fails as written)."""
    if not isinstance(site.block, cst.Module) or not site.start <= index < site.end:
        return False
    above = src.module.body[site.start : index]
    return only_imports(src.module.body[index]) and not any(name in identifiers(line) for line in above)


def _moved_note(src: SourceFile, statement: cst.BaseStatement) -> Diagnostic:
    loc = src.loc(statement)
    return Diagnostic(
        loc.line,
        loc.col,
        f"`{src.code(statement.with_changes(leading_lines=())).strip()}` ran between `.add()` calls;"
        " it now runs once the whole model is built",
        severity="note",
    )


def _deferred(site: ModelSite) -> tuple[cst.BaseStatement, ...]:
    """The statements that looked at the model between its ``.add()`` calls, now after it."""
    return tuple(statement.with_changes(leading_lines=()) for statement in site.deferred)


def _module_name(path: str) -> str | None:
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem if stem.isidentifier() else None


def _statements(site: ModelSite):
    return site.block.body


def _symbols_used(graph: Graph, target: Style) -> set[str]:
    has_input = any(isinstance(node, Input) and node.args and node.factory is None for node in graph.walk())
    used = {"Input"} if has_input else set()
    if target is Style.FUNCTIONAL and graph.base is None:
        used.add("Model")
    elif target is Style.SEQUENTIAL:
        used.add("Sequential")
    elif target is Style.SUBCLASS:
        used = {"Model", "Input"} if builds_on_inputs(graph) and not builds_by_shape(graph) else {"Model"}
        if builds_on_zeros(graph):
            used = {"Model", "ops"}
        used.add("saving")
        if graph.base is not None:
            used.discard("Model")
        if graph.blocks:
            used.add("Layer")
        used |= merge_classes(graph)
    elif target is Style.FUNCTIONAL_SUBCLASS:
        used |= {"saving"} if graph.base is not None else {"Model", "saving"}
    if any(registers(method) for method in graph.methods):
        # The source class's own registration is kept (emit/serializable.py).
        used.discard("saving")
    return used | graph.symbols
