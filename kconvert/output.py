"""How results reach a terminal, a CI log or an editor: colour and output formats.

Colour follows the usual conventions, strongest first: ``--color`` /
``--no-color``; ``NO_COLOR`` (any non-empty value) turns it off and
``FORCE_COLOR`` on; otherwise each stream is coloured when it is a terminal.

Diagnostics are printed in one of three formats:

- ``text``: ``path:line:col: error: message (hint: ...)``, for people;
- ``json``: one JSON object per line (JSON Lines), so a long run streams;
- ``github``: workflow commands, ``::error file=…,line=…,col=…::message``, which
  GitHub Actions shows as annotations on the pull request.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import TextIO

import click

from .types import Diagnostic

FORMATS = ("text", "json", "github")
_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "note": "cyan"}
_GITHUB_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def wants_colour(choice: bool | None, stream: TextIO) -> bool:
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


@dataclass(frozen=True)
class Printer:
    """Writes diagnostics, diffs and summaries in the chosen format and colours."""

    output_format: str = "text"
    colour: bool | None = None  # None: decide per stream
    verbose: bool = False

    def _colour(self, err: bool) -> bool:
        return wants_colour(self.colour, sys.stderr if err else sys.stdout)

    def diagnostic(self, diagnostic: Diagnostic, err: bool = True) -> None:
        click.echo(self.format_diagnostic(diagnostic, self._colour(err)), err=err, color=self._colour(err))

    def format_diagnostic(self, diagnostic: Diagnostic, colour: bool = False) -> str:
        if self.output_format == "json":
            return json.dumps({
                "path": diagnostic.path,
                "cell": diagnostic.cell,
                "line": diagnostic.line,
                "col": diagnostic.col,
                "severity": diagnostic.severity,
                "message": diagnostic.message,
                "hint": diagnostic.hint,
            })
        if self.output_format == "github":
            return _github(diagnostic)
        if not colour:
            return diagnostic.render()
        text = (
            click.style(diagnostic.where + ":", bold=True)
            + " "
            + click.style(diagnostic.severity + ":", fg=_SEVERITY_COLOURS.get(diagnostic.severity), bold=True)
            + " "
            + diagnostic.message
        )
        return text + (click.style(f" (hint: {diagnostic.hint})", dim=True) if diagnostic.hint else "")

    def diff(self, text: str) -> None:
        colour = self._colour(False)
        if colour:
            text = "".join(_colour_diff_line(line) for line in text.splitlines(keepends=True))
        click.echo(text, nl=False, color=colour)

    def message(self, text: str, err: bool = True) -> None:
        """A line for people (summaries, "would convert …"); kept off stdout in machine formats."""
        click.echo(text, err=err or self.output_format != "text", color=self._colour(err))

    def info(self, text: str) -> None:
        """A ``-v`` line: which configuration and files were used."""
        if self.verbose:
            click.echo(click.style(text, dim=True) if self._colour(True) else text, err=True, color=self._colour(True))


def _github(diagnostic: Diagnostic) -> str:
    level = _GITHUB_LEVELS.get(diagnostic.severity, "error")
    message = diagnostic.message + (f" (hint: {diagnostic.hint})" if diagnostic.hint else "")
    if diagnostic.cell is not None:
        # Annotations point at lines of the file, and a notebook's lines are JSON:
        # the cell and its line go in the message instead.
        message = f"cell {diagnostic.cell}, line {diagnostic.line}: {message}"
        place = f"file={_escape_property(diagnostic.path)}"
    else:
        place = f"file={_escape_property(diagnostic.path)},line={diagnostic.line},col={diagnostic.col}"
    return f"::{level} {place},title=kconvert::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: a newline would end the command.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _colour_diff_line(line: str) -> str:
    body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
    if line.startswith(("+++", "---")):
        return click.style(body, bold=True) + end
    if line.startswith("@@"):
        return click.style(body, fg="cyan") + end
    if line.startswith("+"):
        return click.style(body, fg="green") + end
    if line.startswith("-"):
        return click.style(body, fg="red") + end
    return line
