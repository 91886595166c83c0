"""Exit codes, decided in one place.

| code | meaning                                                                 |
|------|-------------------------------------------------------------------------|
| 0    | done: converted, or nothing to change, or the models are equivalent      |
| 1    | `--check`: a file would change; `verify`: the two models differ          |
| 2    | the command line itself is wrong (click's usage errors)                 |
| 123  | an error in an input file: syntax error, no model, refused conversion,  |
|      | unreadable file, or a model that could not be built for verification    |
"""

from __future__ import annotations

from dataclasses import dataclass

OK = 0
WOULD_CHANGE = 1
DIFFERENT = 1
USAGE = 2
ERROR = 123


@dataclass
class Report:
    """Tallies what happened to each file and turns it into one exit code."""

    check: bool = False
    dry: bool = False  # nothing is written (--check, --diff, printing): files "would be" converted
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    different: int = 0
    skipped: int = 0  # found in a folder and holding no model

    def done(self, changed: bool) -> None:
        if changed:
            self.changed += 1
        else:
            self.unchanged += 1

    def failure(self) -> None:
        self.failed += 1

    def not_equivalent(self) -> None:
        self.different += 1

    @property
    def return_code(self) -> int:
        if self.failed:
            return ERROR
        if self.different:
            return DIFFERENT
        if self.check and self.changed:
            return WOULD_CHANGE
        return OK

    def summary(self) -> str:
        verb = "would be converted" if self.check or self.dry else "converted"
        parts = []
        if self.changed:
            parts.append(f"{_files(self.changed)} {verb}")
        if self.unchanged:
            parts.append(f"{_files(self.unchanged)} left unchanged")
        if self.skipped:
            parts.append(f"{_files(self.skipped)} without a model")
        if self.different:
            parts.append(f"{_files(self.different)} not equivalent after conversion")
        if self.failed:
            parts.append(f"{_files(self.failed)} failed")
        return ", ".join(parts) + "." if parts else "No files."


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")
