"""One conversion of one file's text: parse → IR → emit → splice → imports.

This is the whole pipeline for a file; one model's conversion is convert_site.py.  The CLI and
the library API call ``convert_source`` and only decide what to do with its result value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from .convert_site import convert_site
from .deep import on_deep_stack
from .later_uses import layer_moves, picked_inside_model
from .notes import convertible_note, left_note, moved_note
from .parse.finder import find_sites
from .parse.layer_classes import layer_class_reads
from .parse.memo import remembered
from .parse.shared_inputs import held_by, held_alone, made_among, shared_input_problem
from .parse.sites import ModelSite
from .parse.source import SourceFile
from .parse.syntax import BOM
from .parse.unseen_models import unread_beside, unseen_models
from .rewrite.splice import Replacement, comments_in, splice
from .safety import check_conversion
from .selection import describe, pick
from .slicing import among_models, convert_sliced
from .rewrite.helpers import helpers_written, without_unused_helpers
from .rewrite.shared_classes import LayerClasses
from .rewrite.imports import fix_imports
from .rewrite.layer_indexes import reindex
from .rewrite.tensor_reaches import reached, tensor_reaches
from .rewrite.symbols import ImportRequest, imports_read
from .types import ConversionResult, Converted, Diagnostic, ModelChange, Options, Refused, Style


# The refusal of a file without models: a file found in a folder is only counted.
NO_MODEL = "no Keras model found in this file"


@on_deep_stack
def convert_source(text: str, target: Style, options: Options = Options(), path: str = "<string>") -> ConversionResult:
    if text.startswith(BOM):  # set aside for the conversion, given back to the converted file
        result = convert_source(text[len(BOM) :], target, options, path)
        return replace(result, source=BOM + result.source) if isinstance(result, Converted) else result
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
    if found and target is not Style.FUNCTIONAL and not options.model:
        unseen = unread_beside(src)
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
    made_layers = LayerClasses()  # their Layer classes: a later model makes them again
    notes: list[Diagnostic] = []
    converted: list[ModelSite] = []
    moves: dict = {}
    reaches: dict = {}
    read_as: dict[int, ModelSite] = {}
    layer_reads = layer_class_reads(src)
    for site in sites:
        note = left_note(src, site, found, sites, target, bool(options.model), layer_reads)
        changed = site.style is not target and note is None
        changes.append(ModelChange(site.name, site.loc.line, site.style, target, changed))
        if note is not None:
            notes.append(note.at(path))
        if not changed:
            continue
        outcome = picked_inside_model(site, found, target) or made_among(src, site, found, target)
        outcome = outcome or held_alone(site, held_by(site, found), target)
        outcome = outcome or convert_site(src, site, target, options, (taken, made_layers), path)
        if isinstance(outcome, Diagnostic):
            problems.append(outcome.at(path))
            continue
        # The site as converted: its graph may read as parameters what the original read of an object.
        replaced, needed, read_as[id(site)] = outcome
        converted.append(site)
        notes.extend(moved_note(src, statement).at(path) for statement in site.deferred)
        replacements.extend(replaced)
        moves.update(layer_moves(site, target))
        if target is Style.FUNCTIONAL_SUBCLASS and site.escaping:
            reaches.update(tensor_reaches(src, site) or {})
        imports |= needed
        removals |= imports_read(src, site.block.body[site.start : site.end])
    # A model whose input a later model that stays as it is still builds on is held back.
    blocked = {id(site): problem for site in converted if (problem := shared_input_problem(site, converted))}
    problems.extend(problem.at(path) for problem in blocked.values())
    converted = [site for site in converted if id(site) not in blocked]
    if problems:
        return Refused(tuple(problems) + convertible_note(converted, path))
    if not replacements:
        return Converted(text, tuple(changes), tuple(notes))
    module = reached(src, reindex(src, splice(src.module, replacements, src.parent), moves), reaches)
    if target is not Style.FUNCTIONAL:
        # Functions whose code the new form holds (a Layer class, listed layers, one moved to module level) go.
        blocks = {name for site in converted for name in helpers_written(read_as[id(site)].graph, target)}
        source = Counter(comments_in(src.module.body)) - made_layers.merged
        module = without_unused_helpers(module, blocks, source, src.module, target is not Style.FUNCTIONAL_SUBCLASS)
    converted_text = fix_imports(module, imports, removals).code
    unsafe = check_conversion(src, [read_as.get(id(site), site) for site in found], converted_text, options)
    if unsafe is not None:
        return Refused((unsafe.at(path),))
    return Converted(converted_text, tuple(changes), tuple(notes))


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
