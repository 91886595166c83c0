"""``kconvert check``: are the models in these files in the house style?

For each file: a text that mentions neither ``keras`` nor ``Model`` nor
``Sequential`` is skipped unread by the parser (the pre-commit hook sees every
Python file of a repository); a text that already passed is found in the
``Cache``; anything else is parsed.  With a house style, each model in another
style is a ``Violation`` and the file is converted to learn whether it can be
(and, with ``fix``, written).  Without one, each model must lift into the IR and
come back from its own emitter as the same structure.

Results are values (``FileOutcome``, ``CheckReport``); the CLI only prints them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__
from . import report as codes
from .cache import Cache
from .config import ConfigFinder
from .convert import convert_source
from .emit import EMITTERS, emit_standalone
from .files import read_text, write_atomic
from .ir.structure import structure
from .parse import ModelInfo, find_models
from .types import Converted, Diagnostic, Options, Style

# Every model kconvert finds is made by a call of Sequential or Model, or is a
# class based on Model: a file with neither word cannot hold one, so it is
# skipped without parsing, which keeps the hook fast on a whole repository.
MODEL_WORDS = ("Model", "Sequential")


class Status(str, enum.Enum):
    SKIPPED = "skipped"  # no Keras model in the file
    CLEAN = "clean"  # every model is in the house style (or round-trips)
    CACHED = "cached"  # clean, known from an earlier run
    FAILED = "failed"  # models not in the house style, or that do not round-trip
    FIXED = "fixed"  # models were converted and the file rewritten
    ERROR = "error"  # the file or its settings could not be read or parsed


@dataclass(frozen=True)
class Violation:
    """A model that is not written in the house style."""

    path: str
    line: int
    col: int
    model: str
    style: Style
    house: Style

    def render(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.model} is {self.style}, house style is {self.house}"


@dataclass(frozen=True)
class FileOutcome:
    """What ``check`` found in one file."""

    path: str
    status: Status
    violations: tuple[Violation, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    # Lines of the verifier's report, when --verify proved (or failed to prove) the fix.
    proof: str = ""


@dataclass
class CheckReport:
    """Every file's outcome, and the one exit code they add up to."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, *statuses: Status) -> int:
        return sum(outcome.status in statuses for outcome in self.outcomes)

    @property
    def return_code(self) -> int:
        """123 if a file could not be read or parsed, 1 if a model is not (or could not be
        made) right, else 0 — also after ``--fix`` fixed everything."""
        if self.count(Status.ERROR):
            return codes.ERROR
        if self.count(Status.FAILED):
            return codes.WOULD_CHANGE
        return codes.OK

    def summary(self) -> str:
        parts = [
            f"{self.count(Status.FAILED)} failed",
            f"{self.count(Status.FIXED)} fixed",
            f"{self.count(Status.CLEAN, Status.CACHED)} clean",
            f"{self.count(Status.SKIPPED)} without a model",
            f"{self.count(Status.ERROR)} with errors",
        ]
        return "check: " + ", ".join(part for part in parts if not part.startswith("0 ")) + "."


Prover = Callable[[str, str, str], "tuple[bool, str]"]
"""``prove(path, original, converted)`` → (equivalent, report text)."""


def run_check(
    paths: Iterable[Path],
    *,
    style: Style | None = None,
    fix: bool = False,
    prove: Prover | None = None,
    cache: Cache | None = None,
) -> CheckReport:
    """Checks every Python file under ``paths``; ``style`` overrides every pyproject.toml."""
    cache = cache if cache is not None else Cache.load(__version__)
    configs = ConfigFinder()
    report = CheckReport()
    try:
        for path in python_files(paths):
            house: Style | None = style
            if style is None:
                config = configs.for_file(path)
                if isinstance(config, Diagnostic):
                    # Said once, though every file of that project fails with it.
                    said = any(config in outcome.diagnostics for outcome in report.outcomes)
                    report.outcomes.append(FileOutcome(str(path), Status.ERROR, diagnostics=() if said else (config,)))
                    continue
                house = config.style_for(path)
            report.outcomes.append(check_file(path, house, cache, fix=fix, prove=prove))
    finally:
        cache.save()
    return report


def python_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files given, and the ``*.py`` files under the folders given."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.py"))
        else:
            yield path


def check_file(path: Path, house: Style | None, cache: Cache, *, fix: bool, prove: Prover | None) -> FileOutcome:
    name = str(path)
    text = read_text(path)
    if isinstance(text, Diagnostic):
        return FileOutcome(name, Status.ERROR, diagnostics=(text,))
    if not any(word in text for word in MODEL_WORDS):
        return FileOutcome(name, Status.SKIPPED)
    key = Cache.key(text, house)
    if cache.is_clean(key):
        return FileOutcome(name, Status.CACHED)
    try:
        outcome = _check_text(name, text, house, fix=fix, prove=prove)
    except Exception as error:  # noqa: BLE001 - like black: one file's crash must not hide the others
        crash = Diagnostic(1, 1, f"internal error: {type(error).__name__}: {error}", "please report this", name)
        return FileOutcome(name, Status.ERROR, diagnostics=(crash,))
    if outcome.status in (Status.CLEAN, Status.SKIPPED):
        cache.mark_clean(key)
    return outcome


def _check_text(name: str, text: str, house: Style | None, *, fix: bool, prove: Prover | None) -> FileOutcome:
    models = find_models(text)
    if isinstance(models, Diagnostic):
        return FileOutcome(name, Status.ERROR, diagnostics=(models.at(name),))
    if not models:
        return FileOutcome(name, Status.SKIPPED)
    if house is None:
        problems = tuple(problem.at(name) for model in models if (problem := round_trip_problem(text, model)))
        return FileOutcome(name, Status.FAILED if problems else Status.CLEAN, diagnostics=problems)
    violations = tuple(
        Violation(name, model.line, model.col, model.name, model.style, house)
        for model in models
        if model.style is not house
    )
    if not violations:
        return FileOutcome(name, Status.CLEAN)
    result = convert_source(text, house, Options(), name)
    if not isinstance(result, Converted):
        return FileOutcome(name, Status.FAILED, violations, result.diagnostics)
    proof = ""
    if prove is not None:
        equivalent, proof = prove(name, text, result.source)
        if not equivalent:
            return FileOutcome(name, Status.FAILED, violations, proof=proof)
    if not fix:
        return FileOutcome(name, Status.FAILED, violations, proof=proof)
    write_atomic(Path(name), result.source)
    return FileOutcome(name, Status.FIXED, violations, proof=proof)


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


def verifier_prover(timeout: float = 300) -> tuple[Prover, Callable[[], None]]:
    """A ``Prover`` backed by one TensorFlow worker for the whole run, and its closer.

    ``kconvert.verify`` is imported only here, on first use, so ``check``
    without ``--verify`` never loads it. ``timeout`` bounds each model pair.
    """
    running: list = []

    def prove(path: str, original: str, converted: str) -> tuple[bool, str]:
        from .verify import Verdict, Worker, verify_sources

        if not running:
            running.append(Worker())
        report = verify_sources(
            original, converted, original_path=path, converted_path=path, worker=running[0], timeout=timeout
        )
        reasons = "".join(f"; {reason}" for reason in report.reasons)
        return report.verdict is Verdict.EQUIVALENT, f"{path}: fix is {report.verdict}{reasons}"

    def close() -> None:
        for worker in running:
            worker.close()

    return prove, close
