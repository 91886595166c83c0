"""Before TensorFlow: two sources read, their models found and paired, each pair sliced.

A ``Plan`` is everything ``api.py`` hands the worker: the model pairs to build,
and a report that already carries the problems of the files (unreadable, no
model, a ``--set`` value nothing reads) and the models left without a partner.
Without a model name, every primary model of the original is paired with the
converted model of the same name (the n-th bound to it with the n-th); if exactly
one model is left on each side, those two are paired (a conversion may rename
the model).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from ..files import read_text
from ..selection import pick, selector_of
from ..types import Diagnostic
from . import given as given_values
from .locate import ModelSite, class_made_models, find_models
from .report import ModelReport, Verdict, VerifyReport
from .slicer import ModelSlice, slice_model
from .source import ParseFailure, index_source


@dataclass(frozen=True)
class Plan:
    """A pair of files, read, located and sliced: everything before TensorFlow."""

    report: VerifyReport  # carries file-level problems and models without a partner
    pairs: tuple[tuple[ModelSlice, ModelSlice], ...] = ()


def plan_files(
    original: Path | str,
    converted: Path | str,
    model: str | None,
    tolerance: tuple[float, float],
    given: Mapping[str, str] | None,
) -> Plan:
    sources = []
    for path in (original, converted):
        # Regular files only, with the size limit: a FIFO named *.py must not block verify.
        text = read_text(Path(path))
        if isinstance(text, Diagnostic):
            reason = f"cannot read {path}: {text.message}"
            report = VerifyReport(
                str(original),
                str(converted),
                problem=reason,
                atol=tolerance[0],
                rtol=tolerance[1],
            )
            return Plan(report)
        sources.append((text, str(path)))
    return plan((sources[0], sources[1]), model, tolerance, given)


def plan(
    sources: tuple[tuple[str, str], tuple[str, str]],
    model: str | None,
    tolerance: tuple[float, float],
    given: Mapping[str, str] | None,
) -> Plan:
    paths = (sources[0][1], sources[1][1])
    report = VerifyReport(*paths, atol=tolerance[0], rtol=tolerance[1])
    given = dict(given or {})
    report = replace(report, given=tuple(sorted(given.items())))
    if given_values.problem(given):
        return Plan(replace(report, problem=given_values.problem(given)))
    indexes = []
    for text, path in sources:
        index = index_source(text, path)
        if isinstance(index, ParseFailure):
            return Plan(replace(report, problem=f"cannot parse {index.message}"))
        indexes.append(index)
    sites = [find_models(index) for index in indexes]
    pairs, unpaired = _pair(
        sites[0], sites[1], model, paths, class_made_models(indexes[1]), class_made_models(indexes[0])
    )
    if not pairs and not unpaired:
        return Plan(replace(report, problem=f"no Keras model found in {paths[0]}"))
    slices = tuple(
        (
            slice_model(indexes[0], site_o, sites[0], given),
            slice_model(indexes[1], site_c, sites[1], given),
        )
        for site_o, site_c in pairs
    )
    # With one model named, the other models may be what reads a value given for the file.
    problem = None
    if model is None:
        problem = given_values.unused(given, [s for pair in slices for s in pair])
    for original, converted in slices:
        problem = problem or given_values.same_code(original, converted)
    if problem:
        return Plan(replace(report, problem=problem))
    notes = tuple(
        f"{piece.path}:{line}: pretrained weights not loaded (weights=None): the "
        "verifier sets every weight itself, so they change nothing it compares"
        for pair in slices
        for piece in pair
        for line in piece.unloaded
    )
    return Plan(replace(report, models=tuple(unpaired), notes=notes), slices)


def _pair(
    original: Sequence[ModelSite],
    converted: Sequence[ModelSite],
    wanted: str | None,
    paths: tuple[str, str],
    in_classes: frozenset[str] = frozenset(),
    in_original_classes: frozenset[str] = frozenset(),
) -> tuple[list[tuple[ModelSite, ModelSite]], list[ModelReport]]:
    """Model pairs to verify, and error reports for models without a partner.

    The n-th model bound to a name pairs with the n-th of that name: a file that
    binds ``model`` once per model has all of them verified, not only the last.
    ``in_classes`` are the models the converted file's classes make, ``in_original_classes``
    those the original's make.
    """
    if wanted is not None:
        # NAME:LINE is a line of the original; its model is the same occurrence in the other.
        chosen_o = pick(wanted, original, lambda site: ((site.name,), site.line))
        name = selector_of(wanted).name
        occurrences = {site.occurrence for site in chosen_o}
        chosen_c = [s for s in converted if s.name == name and s.occurrence in occurrences]
        primary_c = [s for s in converted if s.primary]
        if not chosen_c and len(chosen_o) == 1 and len(primary_c) == 1:
            chosen_c = primary_c
        if not chosen_o or not chosen_c:
            where = paths[0] if not chosen_o else paths[1]
            return [], [_missing(wanted, f"no model named '{wanted}' in {where}")]
        if len(chosen_o) != len(chosen_c):
            reason = f"{len(chosen_o)} models named '{name}' in {paths[0]}, {len(chosen_c)} in {paths[1]}"
            return [], [_missing(wanted, reason)]
        return list(zip(chosen_o, chosen_c)), []
    left_o = [s for s in original if s.primary]
    left_c = {(s.name, s.occurrence): s for s in converted if s.primary}
    pairs = [(s, left_c.pop((s.name, s.occurrence))) for s in left_o if (s.name, s.occurrence) in left_c]
    paired = {id(o) for o, _ in pairs}
    left_o = [s for s in left_o if id(s) not in paired]
    # ``self.base = keras.Sequential(...)`` of an original class is ``base = keras.Sequential(...)``
    # among the lines of the Functional model written from it: compared inside that model.
    original_names = {s.name for s in original}
    left_c = {
        key: s
        for key, s in left_c.items()
        if not (s.kind == "variable" and s.name in in_original_classes and s.name not in original_names)
    }
    if len(left_o) == 1 and len(left_c) == 1:
        return [*pairs, (left_o[0], *left_c.values())], []
    if not left_o:
        # A class another model class makes (a model its __init__ made, converted to a class)
        # is compared inside the models built with that class, unless that one is left too.
        unpaired = {s.name for s in left_c.values()}
        left_c = {key: s for key, s in left_c.items() if s.made_by is None or s.made_by in unpaired}
    # A model the original made at module level from a builder and another model called there
    # (``generator``, which ``combined`` calls) is made inside that model once converted
    # (``self.generator = build_generator()``): it is compared there.
    inside = {s.name for s in converted if not s.primary and s.bound_to is None}
    makers = {s.bound_to: s.name for s in original if s.bound_to}
    left_o = [s for s in left_o if not (s.kind == "variable" and makers.get(s.name) in inside)]
    # ``encoder = Sequential()`` among a module-level model's lines is made in that model's class
    # once it is one (``self.encoder = Sequential()``): it is compared there.
    converted_names = {s.name for s in converted}
    left_o = [
        s for s in left_o if not (s.kind == "variable" and s.name in in_classes and s.name not in converted_names)
    ]
    missing = [_missing(s.name, f"no model named '{s.name}' in {paths[1]}") for s in left_o]
    missing += [_missing(s.name, f"no model named '{s.name}' in {paths[0]}") for s in left_c.values()]
    return pairs, missing


def _missing(name: str, reason: str) -> ModelReport:
    return ModelReport(name, name, Verdict.ERROR, (reason,))
