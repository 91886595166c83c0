"""Public entry points: verify two files (or two sources, or many pairs) into reports.

Everything here runs in the caller's process and stays light: ``plan.py`` finds,
pairs and slices the models with libcst, the ``Worker`` subprocess builds and
compares them, and the verdict is judged here from the facts it sends back.
Problems come back inside the ``VerifyReport``; nothing here raises for a
user's mistake.
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from .client import Worker, WorkerFailure
from .judge import judge
from .keras2 import CANNOT, keras2_slice
from .missing import hint
from .plan import Plan, plan, plan_files
from .report import ModelReport, Verdict, VerifyReport
from .slicer import ModelSlice

Shape = tuple[int | None, ...]

# The reason given for a pair whose two slices run the same code.
UNTOUCHED = "the conversion left the code of this model as it was"


@dataclass(frozen=True)
class Progress:
    """One step of a long run: sent when a step starts (verdict None) and when it ends."""

    done: int
    total: int
    label: str
    verdict: Verdict | None = None


ProgressCallback = Callable[[Progress], None]


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
    plan = plan_files(original, converted, model, (atol, rtol), given)
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
    save: bool = False,
) -> VerifyReport:
    """Like ``verify_files``, for sources in memory; the paths label messages. With
    ``save``, each converted model found equivalent is also saved as ``.keras`` and
    loaded back without ``custom_objects`` (its ``ModelReport.saving`` says how)."""
    sources = ((original_source, original_path), (converted_source, converted_path))
    planned = plan(sources, model, (atol, rtol), given)
    return _run(planned, worker, input_shape, timeout, progress, save)


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
            ahead.submit(plan_files, *pair, model, (atol, rtol), given)
            for pair in todo[:1]
        ]
        for done, pair in enumerate(todo):
            plan = upcoming.pop().result()
            if done + 1 < len(todo):
                upcoming.append(
                    ahead.submit(
                        plan_files, *todo[done + 1], model, (atol, rtol), given
                    )
                )
            label = f"{plan.report.original} -> {plan.report.converted}"
            _tell(progress, Progress(done, len(todo), label))
            report = _run(plan, running, input_shape, timeout, None)
            reports.append(report)
            _tell(progress, Progress(done + 1, len(todo), label, report.verdict))
    return reports


def _run(
    plan: Plan,
    worker: Worker | None,
    input_shape: Shape | None,
    timeout: float,
    progress: ProgressCallback | None,
    save: bool = False,
) -> VerifyReport:
    if not plan.pairs:
        return plan.report
    deadline = time.monotonic() + timeout
    tolerance = (plan.report.atol, plan.report.rtol)
    results = list(plan.report.models)
    # Models the conversion did not touch need no proof when another one was converted; a
    # file compared with itself is built all the same (does it build at all?).
    untouched = [_same_code(*pair) for pair in plan.pairs]
    if all(untouched):
        untouched = [False] * len(untouched)
    with _worker(worker) as running:
        for done, (original, converted) in enumerate(plan.pairs):
            label = (
                original.name
                if original.name == converted.name
                else f"{original.name} / {converted.name}"
            )
            _tell(progress, Progress(done, len(plan.pairs), label))
            if untouched[done]:
                result = ModelReport(original.name, converted.name, Verdict.EQUIVALENT, (UNTOUCHED,))
            elif keras2_slice(original) or keras2_slice(converted):
                result = ModelReport(original.name, converted.name, Verdict.ERROR, (CANNOT,))
            else:
                result = _verify_pair(running, original, converted, input_shape, tolerance, deadline, save)
            results.append(result)
            _tell(progress, Progress(done + 1, len(plan.pairs), label, result.verdict))
    return replace(plan.report, models=tuple(results))


def _same_code(original: ModelSlice, converted: ModelSlice) -> bool:
    """Whether both slices run the same code: they differ only in the blank lines that keep
    each side's line numbers."""
    def code(piece: ModelSlice) -> tuple[str, ...]:
        return tuple(
            tuple(line for line in source.splitlines() if line.strip())
            for source in (piece.source, piece.lean or piece.source)
        )

    return (original.expr, code(original)) == (converted.expr, code(converted))


def _verify_pair(
    worker: Worker,
    original: ModelSlice,
    converted: ModelSlice,
    input_shape: Shape | None,
    tolerance: tuple[float, float],
    deadline: float,
    save: bool = False,
) -> ModelReport:
    request = {
        "op": "verify",
        "original": asdict(original),
        "converted": asdict(converted),
        "input_shape": list(input_shape) if input_shape else None,
        "atol": tolerance[0],
        "rtol": tolerance[1],
        "save": save,
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
