"""Converting many files: one job per file, run in worker processes as black does.

``convert_job`` is the whole work on one file — read, convert, write or diff —
and returns a ``FileResult`` value the parent process prints, so output keeps
the order the files were given in whatever process did the work.  ``run_jobs``
spreads jobs over a ``ProcessPoolExecutor`` when there are several files and
several workers, and shows a progress bar on a terminal once a run has taken
more than a second.  ``run_conversions`` first answers from the cache what an
earlier run learnt of the same text with the same options: already in the
target style, without a model (found in a folder), refused with these
diagnostics, or (when only the outcome is wanted, as with ``--check``) to be
converted; so a repeated run parses only what changed.
"""

from __future__ import annotations

import enum
import os
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .document import Document, from_text, read_document
from .files import read_text, write_atomic
from .loading import load_conversion
from .selection import in_module
from .config import with_black_settings
from .types import Converted, Diagnostic, Options, Refused, Style

if TYPE_CHECKING:
    from .cache import Cache

PROGRESS_AFTER = 1.0  # seconds before a progress bar is worth its flicker


class Outcome(str, enum.Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NO_MODEL = "no model"  # found in a folder and holding no model: counted, not reported
    FAILED = "failed"


@dataclass(frozen=True)
class Job:
    path: str
    explicit: bool
    style: Style
    options: Options
    write: bool  # write the file here, in the worker (not when the parent verifies first)
    stdin: str | None = None  # the text, when it came from standard input


@dataclass(frozen=True)
class FileResult:
    path: str
    outcome: Outcome
    diagnostics: tuple[Diagnostic, ...] = ()  # errors, and notes of a conversion that succeeded
    document: Document | None = None
    new_text: str = ""  # the converted module (for a notebook: the joined cells)
    new_content: str = ""  # the converted file
    # The outcome and diagnostics follow from the text and options alone (not from a crash,
    # the file system or a write), so a cache may answer them for the same text again.
    settled: bool = False


def default_workers() -> int:
    return os.cpu_count() or 1


def convert_job(job: Job) -> FileResult:
    """Reads, converts and (if asked) writes one file; every problem is a diagnostic."""
    from .convert import NO_MODEL, convert_source

    document = read_document(job.path) if job.stdin is None else from_text(job.stdin, job.path)
    if isinstance(document, Diagnostic):
        return FileResult(job.path, Outcome.FAILED, (document.at(job.path),))
    if not job.explicit and not any(word in document.text for word in ("Model", "Sequential")):
        # Every model is made by a call of Sequential or Model or is a class based on
        # Model: such a file cannot hold one, and is not worth parsing.
        return FileResult(job.path, Outcome.NO_MODEL, document=document, settled=True)
    options = with_black_settings(replace(job.options, model=in_module(job.options.model, document.notebook)), job.path)
    result = _guarded(convert_source, document.text, job.style, options, job.path)
    if isinstance(result, Refused):
        if not job.explicit and [d.message for d in result.diagnostics] == [NO_MODEL]:
            return FileResult(job.path, Outcome.NO_MODEL, document=document, settled=True)
        crashed = result.diagnostics[0].message.startswith(CRASH)
        return FileResult(job.path, Outcome.FAILED, document.locate(result.diagnostics), document, settled=not crashed)
    notes = document.locate(result.notes)
    content = document.new_content(result.source)
    if isinstance(content, Diagnostic):
        return FileResult(job.path, Outcome.FAILED, (*notes, content), document)
    changed = content != document.content
    if changed and job.write:
        problem = write_atomic(Path(job.path), content, expected=document.content)
        if problem is not None:
            return FileResult(job.path, Outcome.FAILED, (*notes, problem), document)
    return FileResult(
        job.path, Outcome.CHANGED if changed else Outcome.UNCHANGED, notes, document, result.source, content,
        settled=not (changed and job.write),
    )


CRASH = "internal error while converting"


def _guarded(convert, text: str, style: Style, options: Options, path: str) -> Converted | Refused:
    """The conversion's result; a bug in kconvert becomes one diagnostic, like black's 123."""
    try:
        return convert(text, style, options, path)
    except Exception as error:  # noqa: BLE001 - any crash is reported per file, never as a traceback
        return Refused((Diagnostic(
            1, 1, f"{CRASH}: {type(error).__name__}: {error}",
            "this is a kconvert bug: please report it with the file; the file was not changed", path,
        ),))


def run_conversions(
    jobs: list[Job], workers: int, cache: Cache, outcome_only: bool = False
) -> Iterator[FileResult]:
    """``convert_job`` of every job, in order, with what the cache knows answered without parsing.

    ``outcome_only``: the caller shows no converted text (``--check``), so a
    file known to need converting needs no conversion either.
    """
    looked_up = [_look_up(job, cache, outcome_only) for job in jobs]
    computed = run_jobs(convert_job, [job for job, (_, known) in zip(jobs, looked_up) if known is None], workers)
    try:
        for key, known in looked_up:
            result = known or next(computed)
            if known is None and key is not None and result.settled:
                _remember(cache, key, result)
            yield result
    finally:
        cache.save()


_NO_MODEL = "no model:"
_RESULT = "result:"


def _remember(cache: Cache, key: str, result: FileResult) -> None:
    if result.outcome is Outcome.UNCHANGED and not result.diagnostics:
        cache.mark_clean(key)
    elif result.outcome is Outcome.NO_MODEL and not result.diagnostics:
        cache.mark_clean(_NO_MODEL + key)
    else:
        # Notes and errors are kept with the result: they are the point of the next run too.
        diagnostics = [asdict(diagnostic) for diagnostic in result.diagnostics]
        cache.keep(_RESULT + key, {"outcome": result.outcome.value, "diagnostics": diagnostics})


def _look_up(job: Job, cache: Cache, outcome_only: bool) -> tuple[str | None, FileResult | None]:
    """The job's cache key, and its result when an earlier run already knows it."""
    if job.stdin is not None:
        return None, None
    content = read_text(Path(job.path))  # regular files only: a FIFO must not block here
    if isinstance(content, Diagnostic):
        return None, None  # the job itself reports why
    from .cache import Cache

    # Besides the text and the options, a result depends on the file's name (in its diagnostics),
    # on whether it was named, and on the [tool.black] settings the new code is laid out with.
    options = with_black_settings(job.options, job.path)
    key = Cache.key(content, f"to-{job.style}:{job.path}:{job.explicit}:{options!r}")
    if cache.is_clean(key):
        return key, FileResult(job.path, Outcome.UNCHANGED, new_content=content)
    if not job.explicit and cache.is_clean(_NO_MODEL + key):
        # A named file without a model is an error to report every time; a found one is only counted.
        return key, FileResult(job.path, Outcome.NO_MODEL)
    kept = cache.result(_RESULT + key)
    if kept is None or (kept["outcome"] == Outcome.CHANGED.value and not outcome_only):
        return key, None  # the converted text is wanted, and only a conversion has it
    diagnostics = tuple(Diagnostic(**fields) for fields in kept["diagnostics"])
    return key, FileResult(job.path, Outcome(kept["outcome"]), diagnostics, new_content=content)


def run_jobs(work: Callable, jobs: list, workers: int) -> Iterator:
    """``work(job)`` for every job, in order; in worker processes when that can pay off."""
    if not jobs:
        return
    # Before the pool is made: on Linux (fork) the workers start with the code loaded
    # instead of importing it again.
    load_conversion()
    if workers <= 1 or len(jobs) <= 1:
        yield from _progress(map(work, jobs), len(jobs))
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        chunk = max(1, min(16, len(jobs) // (workers * 4)))
        yield from _progress(pool.map(work, jobs, chunksize=chunk), len(jobs))


def _progress(results: Iterable, total: int) -> Iterator:
    """Passes ``results`` through, drawing a bar on stderr once the run is slow enough to need one."""
    if not sys.stderr.isatty() or total < 2:
        yield from results
        return
    started = time.monotonic()
    bar = None
    try:
        for done, result in enumerate(results, 1):
            if bar is None and time.monotonic() - started > PROGRESS_AFTER:
                from rich.progress import Progress

                bar = Progress(transient=True, console=_stderr_console())
                bar.start()
                task = bar.add_task("kconvert", total=total, completed=done - 1)
            if bar is not None:
                bar.update(task, completed=done)
            yield result
    finally:
        if bar is not None:
            bar.stop()


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)
