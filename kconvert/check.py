"""``kconvert check``: are the models in these files in the house style?

For each file ``discover`` finds (``.py`` files and notebooks): a text that mentions neither ``keras`` nor ``Model`` nor
``Sequential`` is skipped unread by the parser (the pre-commit hook sees every
Python file of a repository); a text that already passed is found in the
``Cache``; anything else is parsed.  With a house style, each model in another
style is a ``Violation`` and the file is converted to learn whether it can be
(and, with ``fix``, written).  Without one, each model must lift into the IR and
come back from its own emitter as the same structure.

Results are values (``FileOutcome``, ``CheckReport``, in ``check_results.py``); the CLI only prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .cache import Cache
from .batch import run_jobs
from .check_results import CheckReport, FileOutcome, Status, Violation
from .config import ConfigFinder
from .convert import convert_source
from .deep import on_deep_stack
from .discover import Selection, discover
from .document import Document, read_document
from .emit import EMITTERS, emit_standalone
from .files import write_atomic
from .ir.structure import structure
from .parse import ModelInfo, find_models
from .selection import describe, in_module, pick
from .types import Converted, Diagnostic, Options, Style

# Every model kconvert finds is made by a call of Sequential or Model, or is a
# class based on Model: a file with neither word cannot hold one, so it is
# skipped without parsing, which keeps the hook fast on a whole repository.
MODEL_WORDS = ("Model", "Sequential")


Prover = Callable[[str, str, str], "tuple[bool, str]"]
"""``prove(path, original, converted)`` → (equivalent, report text)."""


@dataclass(frozen=True)
class CheckJob:
    """One file to check in a worker process: everything it needs, and nothing unpicklable."""

    path: str
    house: Style | None
    fix: bool
    options: Options = Options()  # --model and --input-shape, as the conversion commands take them


def run_check(
    paths: Iterable[Path | str],
    *,
    style: Style | None = None,
    fix: bool = False,
    prove: Prover | None = None,
    cache: Cache | None = None,
    selection: Selection = Selection(),
    workers: int = 1,
    options: Options = Options(),
) -> CheckReport:
    """Checks every file ``discover`` finds under ``paths``; ``style`` overrides every pyproject.toml.

    ``options.model`` checks only that model of each file, ``options.input_shape``
    is given to a model without one when it is converted (to learn whether it can be, or to fix it).

    A file named on the command line without a model is skipped like one found
    in a folder: the pre-commit hook names every Python file of a repository.
    """
    cache = cache if cache is not None else Cache.load(__version__)
    configs = ConfigFinder()
    report = CheckReport()
    found = discover([str(path) for path in paths], selection)
    report.outcomes.extend(FileOutcome(problem.path, Status.ERROR, diagnostics=(problem,)) for problem in found.problems)
    jobs: list[CheckJob] = []
    places: list[int] = []  # where each job's outcome goes in report.outcomes
    try:
        for item in found.files:
            house: Style | None = style
            if style is None:
                config = configs.for_file(item.path)
                if isinstance(config, Diagnostic):
                    # Said once, though every file of that project fails with it.
                    said = any(config in outcome.diagnostics for outcome in report.outcomes)
                    report.outcomes.append(FileOutcome(str(item.path), Status.ERROR, diagnostics=() if said else (config,)))
                    continue
                house = config.style_for(item.path)
            known = _known(item.path, house, cache, options)
            if known is None:
                places.append(len(report.outcomes))
                jobs.append(CheckJob(str(item.path), house, fix, options))
            report.outcomes.append(known)
        # The prover holds one TensorFlow worker for the run: its files go one by one.
        work = (lambda job: check_file(job, prove)) if prove is not None else check_file
        for place, (outcome, clean_key) in zip(places, run_jobs(work, jobs, 1 if prove else workers)):
            report.outcomes[place] = outcome
            if clean_key is not None:
                cache.mark_clean(clean_key)
    finally:
        cache.save()
    return report


def _cache_key(content: str, house: Style | None, options: Options) -> str:
    if options == Options():
        return Cache.key(content, house)
    return Cache.key(content, f"{house or 'none'} --model {options.model} --input-shape {options.input_shape}")


def _known(path: Path, house: Style | None, cache: Cache, options: Options) -> FileOutcome | None:
    """The outcome when it is known without parsing: unreadable, without a model, or clean in the cache."""
    document = read_document(path)
    if isinstance(document, Diagnostic):
        return FileOutcome(str(path), Status.ERROR, diagnostics=(document,))
    if not any(word in document.text for word in MODEL_WORDS):
        return FileOutcome(str(path), Status.SKIPPED)
    return FileOutcome(str(path), Status.CACHED) if cache.is_clean(_cache_key(document.content, house, options)) else None


def check_file(job: CheckJob, prove: Prover | None = None) -> tuple[FileOutcome, str | None]:
    """The file's outcome, and its cache key when it turned out clean."""
    document = read_document(job.path)
    if isinstance(document, Diagnostic):
        return FileOutcome(job.path, Status.ERROR, diagnostics=(document,)), None
    key = _cache_key(document.content, job.house, job.options)
    if not any(word in document.text for word in MODEL_WORDS):
        return FileOutcome(job.path, Status.SKIPPED), key
    try:
        outcome = _check_text(document, job.house, job.options, fix=job.fix, prove=prove)
    except Exception as error:  # noqa: BLE001 - like black: one file's crash must not hide the others
        crash = Diagnostic(1, 1, f"internal error: {type(error).__name__}: {error}", "please report this", job.path)
        return FileOutcome(job.path, Status.ERROR, diagnostics=(crash,)), None
    return outcome, key if outcome.status in (Status.CLEAN, Status.SKIPPED) else None


def _check_text(
    document: Document, house: Style | None, options: Options, *, fix: bool, prove: Prover | None
) -> FileOutcome:
    name, text = document.path, document.text
    models = find_models(text)
    if isinstance(models, Diagnostic):
        return FileOutcome(name, Status.ERROR, diagnostics=document.locate((models,)))
    if not models:
        return FileOutcome(name, Status.SKIPPED)
    options = replace(options, model=in_module(options.model, document.notebook))
    if options.model is not None:
        every = models
        models = pick(options.model, models, lambda info: ((info.name, info.scope), info.line))
        if not models:
            names = ", ".join(sorted({info.name for info in every}))
            missing = Diagnostic(1, 1, f"no model {describe(options.model)} in this file", f"models found: {names}")
            return FileOutcome(name, Status.ERROR, diagnostics=document.locate((missing,)))
    if house is None:
        problems = tuple(problem for model in models if (problem := round_trip_problem(text, model)))
        return FileOutcome(name, Status.FAILED if problems else Status.CLEAN, diagnostics=document.locate(problems))
    violations = tuple(_violation(document, model, house) for model in models if model.style is not house)
    if not violations:
        return FileOutcome(name, Status.CLEAN)
    result = convert_source(text, house, options, name)
    if not isinstance(result, Converted):
        return FileOutcome(name, Status.FAILED, violations, document.locate(result.diagnostics))
    content = document.new_content(result.source)
    if isinstance(content, Diagnostic):
        return FileOutcome(name, Status.FAILED, violations, (content,))
    proof = ""
    if prove is not None:
        equivalent, proof = prove(name, text, result.source)
        if not equivalent:
            return FileOutcome(name, Status.FAILED, violations, proof=proof)
    if not fix:
        return FileOutcome(name, Status.FAILED, violations, proof=proof)
    problem = write_atomic(Path(name), content, expected=document.content)
    if problem is not None:
        return FileOutcome(name, Status.ERROR, violations, (problem,), proof)
    return FileOutcome(name, Status.FIXED, violations, proof=proof)


def _violation(document: Document, model: ModelInfo, house: Style) -> Violation:
    place = document.locate((Diagnostic(model.line, model.col, ""),))[0]
    return Violation(document.path, place.line, place.col, model.name, model.style, house, place.cell)


@on_deep_stack
def round_trip_problem(text: str, model: ModelInfo) -> Diagnostic | None:
    """Why ``model`` does not survive IR → source → IR unchanged, or None when it does.

    The model is emitted in its own style (Functional when that style has no
    emitter) and parsed again after the file's own text, so that the names the
    file imports are bound; ``import keras`` binds the spelling the standalone
    emitter uses.
    """
    if model.problem is not None:
        return model.problem
    assert model.graph is not None
    code = emit_standalone(model.graph, model.style if model.style in EMITTERS else Style.FUNCTIONAL)
    if isinstance(code, Diagnostic):
        return code
    first_new_line = text.count("\n") + 2
    again = [found for found in find_models(f"{text}\nimport keras\n{code}") if found.line > first_new_line]
    if len(again) == 1 and again[0].graph is not None and structure(again[0].graph) == structure(model.graph):
        return None
    return Diagnostic(
        model.line,
        model.col,
        f"{model.name} does not round-trip through kconvert's IR: converting it may change the model",
        "please report this model to kconvert",
    )


def verifier_prover(
    timeout: float = 300, max_memory: int | None = None, max_cpu: float = 3600
) -> tuple[Prover, Callable[[], None]]:
    """A ``Prover`` backed by one TensorFlow worker for the whole run, and its closer.

    ``kconvert.verify`` is imported only here, on first use, so ``check``
    without ``--verify`` never loads it. ``timeout`` bounds each model pair, ``max_memory``
    (MB) and ``max_cpu`` (seconds per pair) the worker's resources.
    """
    running: list = []

    def prove(path: str, original: str, converted: str) -> tuple[bool, str]:
        from .verify import Verdict, Worker, verify_sources

        if not running:
            running.append(Worker(max_memory_mb=max_memory, max_cpu_seconds=max_cpu))
        report = verify_sources(
            original, converted, original_path=path, converted_path=path, worker=running[0], timeout=timeout
        )
        reasons = "".join(f"; {reason}" for reason in report.reasons)
        return report.verdict is Verdict.EQUIVALENT, f"{path}: fix is {report.verdict}{reasons}"

    def close() -> None:
        for worker in running:
            worker.close()

    return prove, close
