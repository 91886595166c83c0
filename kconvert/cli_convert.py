"""The conversion commands' run: files found, converted (in worker processes), shown, counted, written.

``cli.py`` parses the options of ``to-functional`` and the others and hands them
here; what a result means lives in ``batch.py`` (outcomes) and ``report.py``
(exit codes), and this module only moves text between them, the files and the
standard streams.  With ``--verify`` one TensorFlow worker serves the whole run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from . import report as codes
from .batch import FileResult, Job, Outcome, default_workers, run_conversions
from .cli_options import files, force_excluded, printer
from .files import read_stdin, write_atomic
from .output import Printer, wants_colour
from .document import Document
from .report import Report
from .selection import in_module
from .types import Diagnostic, Options, Style


def with_batch(shape):
    """The verifier builds with a batch axis; the command line gives shapes without one."""
    return None if shape is None else (None, *shape)


def run_command(style: Style, paths, write, diff, check, model, input_shape, verify, timeout, max_memory, max_cpu, quiet,
         stdin_filename, exclude, extend_exclude, force_exclude, workers, colour, output_format, verbose,
         class_name=None) -> None:
    if write and (diff or check):
        # As black: --diff and --check show what a write would do, so they never write.
        raise click.UsageError("--write changes the files; --diff and --check only show what it would do: choose one")
    if write and "-" in paths:
        raise click.UsageError("--write cannot be used with standard input")
    out = printer(colour, output_format, verbose)
    found = files(paths, exclude, extend_exclude, force_exclude, out)
    if len(found) > 1 and not (write or diff or check):
        raise click.UsageError(f"{len(found)} files to convert: add --write, --diff or --check")
    options = Options(model=model, input_shape=input_shape, class_name=class_name)
    stdin = read_stdin() if any(str(item.path) == "-" for item in found) else None
    if isinstance(stdin, Diagnostic):
        out.diagnostic(stdin.at(stdin_filename or "-"))
        sys.exit(codes.ERROR)
    if stdin is not None and stdin_filename and force_excluded(stdin_filename, force_exclude):
        # As black: an editor pipes every file; an excluded one comes back as it was.
        click.echo(stdin, nl=False)
        sys.exit(codes.OK)
    jobs = [
        Job(stdin_filename or "-", True, style, options, False, stdin) if str(item.path) == "-"
        else Job(str(item.path), item.explicit, style, options, write and not verify)
        for item in found
    ]
    tally = Report(check=check, dry=not write)
    # The verifier keeps one TensorFlow worker for the run: its files go one by one.
    verifier = _Verifier(options, timeout, colour, (max_memory, max_cpu)) if verify else None
    from .cache import Cache  # only a run that converts reads the cache

    cache = Cache.load(__version__, "convert")
    try:
        # --check shows only outcomes: a file known to need converting need not be converted again.
        outcome_only = check and not diff and not verify
        for result in run_conversions(jobs, 1 if verify else workers or default_workers(), cache, outcome_only):
            _show(result, out, tally, write=write, diff=diff, check=check, verifier=verifier)
    finally:
        if verifier is not None:
            verifier.close()
    if not quiet and (write or check or diff or len(jobs) > 1):
        out.message(tally.summary())
    sys.exit(tally.return_code)


def _show(result: FileResult, out: Printer, tally: Report, *, write, diff, check, verifier) -> None:
    """Prints one file's result and counts it; with --verify, writes only what was proven."""
    for diagnostic in result.diagnostics:
        out.diagnostic(diagnostic)
    if result.outcome is Outcome.FAILED:
        tally.failure()
        return
    if result.outcome is Outcome.NO_MODEL:
        tally.skipped += 1
        return
    changed = result.outcome is Outcome.CHANGED
    document = result.document
    if changed and verifier is not None:
        if not verifier.equivalent(document, result.new_text, tally):
            return
        if write and (problem := write_atomic(Path(result.path), result.new_content, expected=document.content)):
            out.diagnostic(problem)
            tally.failure()
            return
    tally.done(changed)
    if diff and changed:
        out.diff(document.diff(result.new_text))
    if check and changed:
        out.message(f"would convert {result.path}")
    if not (write or diff or check):
        click.echo(result.new_content, nl=False)


class _Verifier:
    """Keeps one TensorFlow worker for all files of a command; started on first use."""

    def __init__(
        self, options: Options, timeout: float, colour: bool | None = None, limits: tuple = (None, 3600)
    ) -> None:
        self.options = options
        self.timeout = timeout
        self.limits = limits  # the worker's (address space in MB, CPU seconds per model pair)
        self.colour = wants_colour(colour, sys.stderr)
        self.worker = None

    def equivalent(self, document: Document, converted: str, tally: Report) -> bool:
        from .verify import Worker, verify_sources

        if self.worker is None:
            self.worker = Worker(max_memory_mb=self.limits[0], max_cpu_seconds=self.limits[1])
        path = document.path
        result = verify_sources(
            document.text, converted, model=in_module(self.options.model, document.notebook),
            input_shape=with_batch(self.options.input_shape), worker=self.worker, original_path=path,
            converted_path=f"{path} (converted)", timeout=self.timeout,
        )
        click.echo(result.render(color=self.colour), err=True, color=self.colour)
        if result.exit_code == codes.OK:
            return True
        if result.exit_code == codes.DIFFERENT:
            tally.not_equivalent()
        else:
            tally.failure()
        return False

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
