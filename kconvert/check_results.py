"""What ``kconvert check`` found, as values: each file's ``FileOutcome`` (its ``Status`` and
the ``Violation`` of each model not in the house style) and the ``CheckReport`` whose
``return_code`` the CLI exits with."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from . import report as codes
from .types import Diagnostic, Style


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
    cell: int | None = None  # in a notebook: the cell, and ``line`` counts in it

    def as_diagnostic(self) -> Diagnostic:
        return Diagnostic(
            self.line, self.col, f"{self.model} is {self.style}, house style is {self.house}",
            f"kconvert to-{self.house} (or kconvert check --fix)", self.path, cell=self.cell,
        )

    def render(self) -> str:
        return f"{self.as_diagnostic().where}: {self.model} is {self.style}, house style is {self.house}"


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
