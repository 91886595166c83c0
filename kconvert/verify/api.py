"""Public entry points: verify two files (or two sources, or many pairs) into reports.

Everything here runs in the caller's process and stays light: libcst finds and
slices the models, the ``Worker`` subprocess builds and compares them. Without
``model``, every primary model of the original is paired with the converted
model of the same name; if exactly one model is left on each side, those two are
paired (a conversion may rename the model). Problems come back inside the
``VerifyReport``; nothing here raises for a user's mistake.
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from ..files import read_text
from ..types import Diagnostic
from . import given as given_values
from .client import Worker, WorkerFailure
from .judge import judge
from .locate import ModelSite, find_models
from .missing import hint
from .report import ModelReport, Verdict, VerifyReport
from .slicer import ModelSlice, slice_model
from .source import ParseFailure, index_source

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class Progress:
    """One step of a long run: sent when a step starts (verdict None) and when it ends."""

    done: int
    total: int
    label: str
    verdict: Verdict | None = None


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class _Plan:
    """A pair of files, read, located and sliced: everything before TensorFlow."""

    report: VerifyReport  # carries file-level problems and models without a partner
    pairs: tuple[tuple[ModelSlice, ModelSlice], ...] = ()


def verify_files(
    original: Path | str,
    converted: Path | str,
    *,
    model: str | None = None,
    input_shape: Shape | None = None,
    given: Mapping[str, str] | None = None,
    atol: float = 1e-4,
    rtol: float = 1e-4,
    timeout: float = 300,
    worker: Worker | None = None,
    progress: ProgressCallback | None = None,
) -> VerifyReport:
    """Prove that ``converted`` builds the same model(s) as ``original``.

    ``model`` names one model (variable, builder function or class); by default all
    are verified. ``input_shape`` is the full shape ``model.build`` takes, batch
    first, e.g. ``(None, 20)``; only subclassed models never built in the file need
    it. ``given`` maps names the model reads to Python expressions that replace
    their bindings in both files (``{"vocab_size": "20000"}``), for values the
    file computes from data. ``timeout`` bounds the whole call, the TensorFlow
    import included.
    """
    plan = _plan_files(original, converted, model, (atol, rtol), given)
    return _run(plan, worker, input_shape, timeout, progress)


def verify_sources(
    original_source: str,
    converted_source: str,
    *,
    original_path: str = "<original>",
    converted_path: str = "<converted>",
    model: str | None = None,
    input_shape: Shape | None = None,
    given: Mapping[str, str] | None = None,
    atol: float = 1e-4,
    rtol: float = 1e-4,
    timeout: float = 300,
    worker: Worker | None = None,
    progress: ProgressCallback | None = None,
) -> VerifyReport:
    """Like ``verify_files``, for sources in memory; the paths label messages."""
    sources = ((original_source, original_path), (converted_source, converted_path))
    plan = _plan(sources, model, (atol, rtol), given)
    return _run(plan, worker, input_shape, timeout, progress)


def verify_many(
    pairs: Iterable[tuple[Path | str, Path | str]],
    *,
    model: str | None = None,
    input_shape: Shape | None = None,
    given: Mapping[str, str] | None = None,
    atol: float = 1e-4,
    rtol: float = 1e-4,
    timeout: float = 300,
    worker: Worker | None = None,
    progress: ProgressCallback | None = None,
) -> list[VerifyReport]:
    """``verify_files`` over many (original, converted) pairs with one worker.

    ``timeout`` applies to each pair. The next pair is read and sliced in a thread
    while the worker verifies the current one.
    """
    todo = list(pairs)
    reports = []
    with _worker(worker) as running, ThreadPoolExecutor(max_workers=1) as ahead:
        # One pair ahead, not all: the parent's CPU is spread over the run.
        upcoming = [
            ahead.submit(_plan_files, *pair, model, (atol, rtol), given)
            for pair in todo[:1]
        ]
        for done, pair in enumerate(todo):
            plan = upcoming.pop().result()
            if done + 1 < len(todo):
                upcoming.append(
                    ahead.submit(
                        _plan_files, *todo[done + 1], model, (atol, rtol), given
                    )
                )
            label = f"{plan.report.original} -> {plan.report.converted}"
            _tell(progress, Progress(done, len(todo), label))
            report = _run(plan, running, input_shape, timeout, None)
            reports.append(report)
            _tell(progress, Progress(done + 1, len(todo), label, report.verdict))
    return reports


def _plan_files(
    original: Path | str,
    converted: Path | str,
    model: str | None,
    tolerance: tuple[float, float],
    given: Mapping[str, str] | None,
) -> _Plan:
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
            return _Plan(report)
        sources.append((text, str(path)))
    return _plan((sources[0], sources[1]), model, tolerance, given)


def _plan(
    sources: tuple[tuple[str, str], tuple[str, str]],
    model: str | None,
    tolerance: tuple[float, float],
    given: Mapping[str, str] | None,
) -> _Plan:
    paths = (sources[0][1], sources[1][1])
    report = VerifyReport(*paths, atol=tolerance[0], rtol=tolerance[1])
    given = dict(given or {})
    report = replace(report, given=tuple(sorted(given.items())))
    if given_values.problem(given):
        return _Plan(replace(report, problem=given_values.problem(given)))
    indexes = []
    for text, path in sources:
        index = index_source(text, path)
        if isinstance(index, ParseFailure):
            return _Plan(replace(report, problem=f"cannot parse {index.message}"))
        indexes.append(index)
    sites = [find_models(index) for index in indexes]
    pairs, unpaired = _pair(sites[0], sites[1], model, paths)
    if not pairs and not unpaired:
        return _Plan(replace(report, problem=f"no Keras model found in {paths[0]}"))
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
        return _Plan(replace(report, problem=problem))
    notes = tuple(
        f"{piece.path}:{line}: pretrained weights not loaded (weights=None): the "
        "verifier sets every weight itself, so they change nothing it compares"
        for pair in slices
        for piece in pair
        for line in piece.unloaded
    )
    return _Plan(replace(report, models=tuple(unpaired), notes=notes), slices)


def _run(
    plan: _Plan,
    worker: Worker | None,
    input_shape: Shape | None,
    timeout: float,
    progress: ProgressCallback | None,
) -> VerifyReport:
    if not plan.pairs:
        return plan.report
    deadline = time.monotonic() + timeout
    tolerance = (plan.report.atol, plan.report.rtol)
    results = list(plan.report.models)
    with _worker(worker) as running:
        for done, (original, converted) in enumerate(plan.pairs):
            label = (
                original.name
                if original.name == converted.name
                else f"{original.name} / {converted.name}"
            )
            _tell(progress, Progress(done, len(plan.pairs), label))
            result = _verify_pair(
                running, original, converted, input_shape, tolerance, deadline
            )
            results.append(result)
            _tell(progress, Progress(done + 1, len(plan.pairs), label, result.verdict))
    return replace(plan.report, models=tuple(results))


def _pair(
    original: Sequence[ModelSite],
    converted: Sequence[ModelSite],
    wanted: str | None,
    paths: tuple[str, str],
) -> tuple[list[tuple[ModelSite, ModelSite]], list[ModelReport]]:
    """Model pairs to verify, and error reports for models without a partner."""
    if wanted is not None:
        found_o = next((s for s in original if s.name == wanted), None)
        found_c = next((s for s in converted if s.name == wanted), None)
        primary_c = [s for s in converted if s.primary]
        if found_c is None and len(primary_c) == 1:
            found_c = primary_c[0]
        if found_o is None or found_c is None:
            where = paths[0] if found_o is None else paths[1]
            return [], [_missing(wanted, f"no model named '{wanted}' in {where}")]
        return [(found_o, found_c)], []
    left_o = [s for s in original if s.primary]
    left_c = {s.name: s for s in converted if s.primary}
    pairs = [(s, left_c.pop(s.name)) for s in left_o if s.name in left_c]
    left_o = [s for s in left_o if s.name not in {o.name for o, _ in pairs}]
    if len(left_o) == 1 and len(left_c) == 1:
        return [*pairs, (left_o[0], *left_c.values())], []
    missing = [
        _missing(s.name, f"no model named '{s.name}' in {paths[1]}") for s in left_o
    ]
    missing += [_missing(n, f"no model named '{n}' in {paths[0]}") for n in left_c]
    return pairs, missing


def _missing(name: str, reason: str) -> ModelReport:
    return ModelReport(name, name, Verdict.ERROR, (reason,))


def _verify_pair(
    worker: Worker,
    original: ModelSlice,
    converted: ModelSlice,
    input_shape: Shape | None,
    tolerance: tuple[float, float],
    deadline: float,
) -> ModelReport:
    request = {
        "op": "verify",
        "original": asdict(original),
        "converted": asdict(converted),
        "input_shape": list(input_shape) if input_shape else None,
        "atol": tolerance[0],
        "rtol": tolerance[1],
    }
    try:
        reply = worker.request(request, timeout=max(deadline - time.monotonic(), 1.0))
    except WorkerFailure as failure:
        reason = f"the TensorFlow worker failed: {failure}"
        return ModelReport(original.name, converted.name, Verdict.ERROR, (reason,))
    try:
        # The worker's verdict is a claim; the parent decides from the facts it sent.
        return _with_hints(
            judge(ModelReport.from_dict(reply["report"])), original, converted
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        # A bug of kconvert's worker: one line for the user (its traceback's last).
        found = str(reply.get("internal_error") or reply).strip().splitlines() or [""]
        reason = f"internal error in the verifier (please report it): {found[-1][:300]}"
        return ModelReport(original.name, converted.name, Verdict.ERROR, (reason,))


def _with_hints(
    report: ModelReport, original: ModelSlice, converted: ModelSlice
) -> ModelReport:
    """A build that failed on a data line says which values ``--set`` can give."""
    if report.verdict is not Verdict.ERROR:
        return report
    hints = []
    for reason in report.reasons:
        for side in (original, converted):
            found = hint(side.data, reason, side.path)
            if found is not None and found not in hints:
                hints.append(found)
    return replace(report, reasons=(*report.reasons, *hints))


@contextlib.contextmanager
def _worker(given: Worker | None) -> Iterator[Worker]:
    """The caller's worker, or one of our own for the duration of the block."""
    if given is not None:
        yield given
        return
    with Worker() as own:
        yield own


def _tell(progress: ProgressCallback | None, event: Progress) -> None:
    if progress is not None:
        progress(event)
