"""The ``kconvert`` command line: parses options, calls the pipeline, sets the exit code.

Every decision about what a result means lives elsewhere (``convert.py`` for
conversions, ``report.py`` for exit codes); this module only moves text between
files, standard streams and those functions.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from . import report as codes
from .convert import convert_source
from .files import read_text, write_atomic
from .report import Report
from .types import Converted, Diagnostic, Options, Refused, Style


def _shape(ctx, param, value: str | None):
    if value is None:
        return None
    try:
        return tuple(None if part.strip().lower() == "none" else int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter("give the shape without the batch axis, e.g. 28,28 or 32,32,3") from None


def _timeout_option(text: str):
    return click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300, show_default=True, help=text)


def conversion_options(function):
    decorators = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str)),
        click.option("-w", "--write", is_flag=True, help="Rewrite the files in place (atomically)."),
        click.option("--diff", is_flag=True, help="Print a unified diff instead of the converted file."),
        click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would change."),
        click.option("--model", "model", metavar="NAME", help="Convert only this model (variable, function or class name)."),
        click.option("--input-shape", callback=_shape, metavar="D1,D2,...", help="Input shape (without batch axis) for models that do not give one."),
        click.option("--verify", is_flag=True, help="Prove each conversion in TensorFlow; write nothing unless equivalent."),
        _timeout_option("With --verify: seconds allowed to build and run one model pair."),
        click.option("-q", "--quiet", is_flag=True, help="Print errors only."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kconvert")
def main() -> None:
    """Convert Keras models between Sequential, Functional and subclassed styles."""


@main.command("to-functional")
@conversion_options
def to_functional(**kwargs) -> None:
    """Rewrite every model in PATHS with the Functional API."""
    _run(Style.FUNCTIONAL, **kwargs)


@main.command("to-sequential")
@conversion_options
def to_sequential(**kwargs) -> None:
    """Rewrite every model in PATHS as a Sequential model (single chains only)."""
    _run(Style.SEQUENTIAL, **kwargs)


@main.command("to-subclass")
@conversion_options
@click.option("--class-name", metavar="NAME", help="Name of the generated keras.Model subclass.")
def to_subclass(**kwargs) -> None:
    """Rewrite every model in PATHS as a keras.Model subclass."""
    _run(Style.SUBCLASS, **kwargs)


@main.command("explain")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "model", metavar="NAME", help="Explain only this model.")
@click.option("--input-shape", callback=_shape, metavar="D1,D2,...", help="Input shape (without batch axis) for models that do not give one.")
def explain_command(paths, model, input_shape) -> None:
    """For each model in PATHS: the styles it can be converted to, and why not to the others."""
    from .explain import explain

    tally = Report()
    for path in paths:
        text = read_text(path)
        found = explain(text, str(path), Options(model=model, input_shape=input_shape)) if isinstance(text, str) else text
        if isinstance(found, Diagnostic):
            _fail(tally, (found.at(str(path)),))
            continue
        tally.done(False)
        for explanation in found:
            click.echo(explanation.render(str(path)))
    sys.exit(tally.return_code)


@main.command("verify")
@click.argument("original", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("converted", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "model", metavar="NAME", help="Compare only this model (variable, function or class name).")
@click.option("--input-shape", callback=_shape, metavar="D1,D2,...", help="Input shape (without batch axis) for models that do not give one.")
@click.option("--atol", type=float, default=1e-4, show_default=True, help="Absolute tolerance on outputs.")
@click.option("--rtol", type=float, default=1e-4, show_default=True, help="Relative tolerance on outputs.")
@_timeout_option("Seconds allowed to build and run one model pair.")
@click.option("--max-memory", type=click.IntRange(min=1), metavar="MB", help="Address-space limit of the TensorFlow worker (none by default; it needs a few GB).")
@click.option("--max-cpu", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS", default=3600, show_default=True, help="CPU time allowed per model pair.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify_command(original, converted, model, input_shape, atol, rtol, timeout, max_memory, max_cpu, as_json) -> None:
    """Build the models of ORIGINAL and CONVERTED in TensorFlow and compare them.

    Compares the layer summaries in call order, the parameter counts, and the
    outputs on the same seeded inputs after copying the original's weights
    across; on a mismatch, names the first layer that differs in both files.
    """
    from .verify import Worker, verify_files

    with Worker(max_memory_mb=max_memory, max_cpu_seconds=max_cpu) as worker:
        result = verify_files(
            original, converted, model=model, input_shape=_with_batch(input_shape), atol=atol, rtol=rtol,
            timeout=timeout, worker=worker,
        )
    click.echo(result.to_json() if as_json else result.render())
    sys.exit(result.exit_code)


def _with_batch(shape):
    """The verifier builds with a batch axis; the command line gives shapes without one."""
    return None if shape is None else (None, *shape)


def _run(style: Style, paths, write, diff, check, model, input_shape, verify, timeout, quiet, class_name=None) -> None:
    if len(paths) > 1 and not (write or diff or check):
        raise click.UsageError("several files given: add --write, --diff or --check")
    if write and "-" in paths:
        raise click.UsageError("--write cannot be used with standard input")
    options = Options(model=model, input_shape=input_shape, class_name=class_name)
    tally = Report(check=check)
    verifier = _Verifier(options, timeout) if verify else None
    try:
        for path in paths:
            _convert_one(path, style, options, tally, write=write, diff=diff, check=check, verifier=verifier)
    finally:
        if verifier is not None:
            verifier.close()
    if not quiet and (write or check or diff or len(paths) > 1):
        click.echo(tally.summary(), err=True)
    sys.exit(tally.return_code)


def _convert_one(path: str, style: Style, options: Options, tally: Report, *, write, diff, check, verifier) -> None:
    text = sys.stdin.read() if path == "-" else read_text(Path(path))
    if isinstance(text, Diagnostic):
        _fail(tally, (text.at(path),))
        return
    result = _guarded(convert_source, text, style, options, path)
    if not isinstance(result, Converted):
        _fail(tally, result.diagnostics)
        return
    for note in result.notes:
        click.echo(note.render(), err=True)
    changed = result.source != text
    if changed and verifier is not None and not verifier.equivalent(path, text, result.source, tally):
        return
    tally.done(changed)
    if check:
        if changed:
            click.echo(f"would convert {path}", err=True)
    elif diff:
        if changed:
            click.echo("".join(difflib.unified_diff(
                text.splitlines(keepends=True), result.source.splitlines(keepends=True),
                fromfile=path, tofile=path,
            )), nl=False)
    elif write:
        if changed:
            write_atomic(Path(path), result.source)
    else:
        click.echo(result.source, nl=False)


def _guarded(convert, text: str, style: Style, options: Options, path: str):
    """The conversion's result; a bug in kconvert becomes one diagnostic, like black's 123."""
    try:
        return convert(text, style, options, path)
    except Exception as error:  # noqa: BLE001 - any crash is reported per file, never as a traceback
        return Refused((Diagnostic(
            1, 1, f"internal error while converting: {type(error).__name__}: {error}",
            "this is a kconvert bug: please report it with the file; the file was not changed", path,
        ),))


def _fail(tally: Report, diagnostics) -> None:
    tally.failure()
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(), err=True)


class _Verifier:
    """Keeps one TensorFlow worker for all files of a command; started on first use."""

    def __init__(self, options: Options, timeout: float) -> None:
        self.options = options
        self.timeout = timeout
        self.worker = None

    def equivalent(self, path: str, original: str, converted: str, tally: Report) -> bool:
        from .verify import Worker, verify_sources

        if self.worker is None:
            self.worker = Worker()
        result = verify_sources(
            original, converted, model=self.options.model, input_shape=_with_batch(self.options.input_shape),
            worker=self.worker, original_path=path, converted_path=f"{path} (converted)", timeout=self.timeout,
        )
        click.echo(result.render(), err=True)
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


@main.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--style", "style", type=click.Choice([style.value for style in Style]), help="House style; overrides pyproject.toml."
)
@click.option("--fix", is_flag=True, help="Convert models that are not in the house style, rewriting files atomically.")
@click.option("--verify", is_flag=True, help="Prove each fix in TensorFlow; a fix that is not proven is not written.")
@_timeout_option("With --verify: seconds allowed to build and run one model pair.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary.")
def check_command(paths, style, fix, verify, timeout, quiet) -> None:
    """Exit 1 if a model in PATHS is not in the house style ([tool.kconvert] style in pyproject.toml).

    Without a house style, checks that every model round-trips through kconvert's IR.
    """
    from .check import Status, run_check, verifier_prover

    prove, close = verifier_prover(timeout) if verify else (None, None)
    try:
        result = run_check(paths, style=Style(style) if style else None, fix=fix, prove=prove)
    finally:
        if close is not None:
            close()
    for outcome in result.outcomes:
        for violation in outcome.violations:
            prefix = "fixed: " if outcome.status is Status.FIXED else ""
            click.echo(prefix + violation.render())
        for diagnostic in outcome.diagnostics:
            click.echo(diagnostic.render())
        if outcome.proof:
            click.echo(outcome.proof)
    if not quiet:
        click.echo(result.summary(), err=True)
    sys.exit(result.return_code)


@main.command("graph")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "model", metavar="NAME", help="Draw only this model (variable, function or class name).")
@click.option(
    "--format", "image_format", type=click.Choice(["mermaid", "dot", "svg", "png"]), default="mermaid", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the picture here, not to standard output."
)
def graph_command(path: Path, model: str | None, image_format: str, output: Path | None) -> None:
    """Draw the layer graph of the models in PATH: layers, calls, shared layers, inputs and outputs.

    svg and png need Graphviz's `dot`; mermaid and dot are text and need nothing.
    """
    from .graph import picture, to_dot, to_mermaid
    from .graphviz import GraphvizFailure, render_with_dot
    from .parse import find_models

    text = read_text(path)
    models = find_models(text) if isinstance(text, str) else text
    if isinstance(models, Diagnostic):
        _exit_with(models.at(str(path)))
    chosen = [info for info in models if model is None or model in (info.name, info.scope)]
    if not chosen:
        names = ", ".join(info.name for info in models) or "none"
        wanted = f"no model named {model!r} in this file" if model else "no model in this file"
        _exit_with(Diagnostic(1, 1, wanted, f"models found: {names}", str(path)))
    for info in chosen:
        if info.problem is not None:
            click.echo(info.problem.at(str(path)).render(), err=True)
    if all(info.graph is None for info in chosen):
        sys.exit(codes.ERROR)
    drawing = picture(chosen)
    if image_format == "mermaid":
        data: bytes = to_mermaid(drawing).encode()
    else:
        rendered = to_dot(drawing).encode() if image_format == "dot" else render_with_dot(to_dot(drawing), image_format)
        if isinstance(rendered, GraphvizFailure):
            click.echo(f"error: {rendered.message}", err=True)
            sys.exit(codes.ERROR)
        data = rendered
    if output is None:
        click.get_binary_stream("stdout").write(data)
    else:
        output.write_bytes(data)


def _exit_with(diagnostic: Diagnostic) -> None:
    click.echo(diagnostic.render(), err=True)
    sys.exit(codes.ERROR)
