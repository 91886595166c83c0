"""The ``kconvert`` command line: parses options, calls the pipeline, sets the exit code.

Every decision about what a result means lives elsewhere (``convert.py`` for
conversions, ``report.py`` for exit codes); this module only moves text between
files, standard streams and those functions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from . import report as codes
from .batch import default_workers
from .cli_convert import run_command, with_batch
from .cli_options import discovery_options, files, given_option, output_options, printer, shape_option, workers_option
from .document import read_document
from .files import write_atomic
from .guard import GuardedGroup
from .identifiers import class_name_problem
from .output import wants_colour
from .report import Report
from .selection import in_module, parse_selector, pick
from .types import Diagnostic, Options, Style


def _class_name(ctx, param, value: str | None):
    if value is not None and (problem := class_name_problem(value)) is not None:
        raise click.BadParameter(f"{problem}; choose another class name")
    return value


MODEL_HELP = (
    "{verb} only this model (variable, function or class name); NAME:LINE picks the one at that"
    " line when several share the name (in a notebook NAME:CELL:LINE)."
)


def _model(ctx, param, value: str | None):
    if value is not None and parse_selector(value) is None:
        raise click.BadParameter(f"{value!r} is not NAME, NAME:LINE or NAME:CELL:LINE (lines and cells count from 1)")
    return value


def _timeout_option(text: str):
    return click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300, show_default=True, help=text)


def _limit_options(function):
    """The TensorFlow worker's resource limits, on every command that starts one."""
    function = click.option(
        "--max-cpu", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS", default=3600,
        show_default=True, help="With --verify: CPU time allowed per model pair.",
    )(function)
    return click.option(
        "--max-memory", type=click.IntRange(min=1), metavar="MB",
        help="With --verify: address-space limit of the TensorFlow worker (none by default; it needs a few GB).",
    )(function)


def conversion_options(function):
    decorators = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True, path_type=str)),
        click.option("-w", "--write", is_flag=True, help="Rewrite the files in place (atomically)."),
        click.option("--diff", is_flag=True, help="Print a unified diff instead of the converted file."),
        click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would change."),
        click.option("--model", "model", callback=_model, metavar="NAME[:LINE]", help=MODEL_HELP.format(verb="Convert")),
        click.option("--input-shape", callback=shape_option, metavar="D1,D2,...", help="Input shape (without batch axis) for models that do not give one."),
        click.option("--verify", is_flag=True, help="Prove each conversion in TensorFlow; write nothing unless equivalent."),
        _timeout_option("With --verify: seconds allowed to build and run one model pair."),
        _limit_options,
        click.option("-q", "--quiet", is_flag=True, help="Print errors only."),
        click.option(
            "--stdin-filename", metavar="PATH",
            help="The name of the file read from `-`, for diagnostics (and notebooks: a name ending in .ipynb).",
        ),
    ]
    # The shared options go innermost, so --help lists them after the command's own.
    function = discovery_options(workers_option(output_options(function)))
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kconvert")
def main() -> None:
    """Convert Keras models between Sequential, Functional, subclassed and Functional-subclass styles."""


@main.command("to-functional")
@conversion_options
def to_functional(**kwargs) -> None:
    """Rewrite every model in PATHS with the Functional API."""
    run_command(Style.FUNCTIONAL, **kwargs)


@main.command("to-sequential")
@conversion_options
def to_sequential(**kwargs) -> None:
    """Rewrite every model in PATHS as a Sequential model (single chains only)."""
    run_command(Style.SEQUENTIAL, **kwargs)


@main.command("to-subclass")
@conversion_options
@click.option("--class-name", callback=_class_name, metavar="NAME", help="Name of the generated keras.Model subclass.")
def to_subclass(**kwargs) -> None:
    """Rewrite every model in PATHS as a keras.Model subclass."""
    run_command(Style.SUBCLASS, **kwargs)


@main.command("to-functional-subclass")
@conversion_options
@click.option("--class-name", callback=_class_name, metavar="NAME", help="Name of the generated keras.Model subclass.")
def to_functional_subclass(**kwargs) -> None:
    """Rewrite every model in PATHS as a keras.Model subclass whose __init__ builds a Functional graph."""
    run_command(Style.FUNCTIONAL_SUBCLASS, **kwargs)


@main.command("explain")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@click.option("--model", "model", callback=_model, metavar="NAME[:LINE]", help=MODEL_HELP.format(verb="Explain"))
@click.option("--input-shape", callback=shape_option, metavar="D1,D2,...", help="Input shape (without batch axis) for models that do not give one.")
@discovery_options
@output_options
def explain_command(paths, model, input_shape, exclude, extend_exclude, force_exclude, colour, output_format, verbose) -> None:
    """For each model in PATHS: the styles it can be converted to, and why not to the others."""
    from .convert import NO_MODEL
    from .explain import explain_document

    out = printer(colour, output_format, verbose)
    tally = Report()
    for item in files(paths, exclude, extend_exclude, force_exclude, out):
        lines, problems = explain_document(read_document(item.path), Options(model=model, input_shape=input_shape))
        if not item.explicit and [problem.message for problem in problems] == [NO_MODEL]:
            tally.skipped += 1  # found in a folder, no model: nothing to explain
            continue
        for problem in problems:
            out.diagnostic(problem)
        if problems:
            tally.failure()
            continue
        tally.done(False)
        click.echo("\n".join(lines))
    sys.exit(tally.return_code)


@main.command("verify")
@click.argument("original", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("converted", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "model", callback=_model, metavar="NAME[:LINE]", help=MODEL_HELP.format(verb="Compare"))
@click.option("--input-shape", callback=shape_option, metavar="D1,D2,...", help="Input shape (without batch axis) for models that do not give one.")
@click.option("--atol", type=float, default=1e-4, show_default=True, help="Absolute tolerance on outputs.")
@click.option("--rtol", type=float, default=1e-4, show_default=True, help="Relative tolerance on outputs.")
@_timeout_option("Seconds allowed to build and run one model pair.")
@_limit_options
@click.option("--set", "given", multiple=True, callback=given_option, metavar="NAME=VALUE", help="Value of a name the model reads that the file computes from data (vocab_size=20000); given to both files.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify_command(original, converted, model, input_shape, given, atol, rtol, timeout, max_memory, max_cpu, as_json) -> None:
    """Build the models of ORIGINAL and CONVERTED in TensorFlow and compare them.

    Compares the layer summaries in call order, the parameter counts, and the
    outputs on the same seeded inputs after copying the original's weights
    across; on a mismatch, names the first layer that differs in both files.
    """
    from .verify import Worker, verify_files

    with Worker(max_memory_mb=max_memory, max_cpu_seconds=max_cpu) as worker:
        result = verify_files(
            original, converted, model=model, input_shape=with_batch(input_shape), given=given, atol=atol,
            rtol=rtol, timeout=timeout, worker=worker,
        )
    colour = wants_colour(None, sys.stdout)
    click.echo(result.to_json() if as_json else result.render(color=colour), color=colour)
    sys.exit(result.exit_code)


@main.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@click.option(
    "--style", "style", type=click.Choice([style.value for style in Style]), help="House style; overrides pyproject.toml."
)
@click.option("--fix", is_flag=True, help="Convert models that are not in the house style, rewriting files atomically.")
@click.option("--model", "model", callback=_model, metavar="NAME[:LINE]", help=MODEL_HELP.format(verb="Check"))
@click.option("--input-shape", callback=shape_option, metavar="D1,D2,...", help="Input shape (without batch axis) for models that do not give one, when they are converted.")
@click.option("--verify", is_flag=True, help="Prove each fix in TensorFlow; a fix that is not proven is not written.")
@_timeout_option("With --verify: seconds allowed to build and run one model pair.")
@_limit_options
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary.")
@discovery_options
@workers_option
@output_options
def check_command(paths, style, fix, model, input_shape, verify, timeout, max_memory, max_cpu, quiet, exclude,
                  extend_exclude, force_exclude, workers, colour, output_format, verbose) -> None:
    """Exit 1 if a model in PATHS is not in the house style ([tool.kconvert] style in pyproject.toml).

    Without a house style, checks that every model round-trips through kconvert's IR.
    """
    from .check import run_check, verifier_prover
    from .check_results import Status

    out = printer(colour, output_format, verbose)
    found = [item.path for item in files(paths, exclude, extend_exclude, force_exclude, out)]
    prove, close = verifier_prover(timeout, max_memory, max_cpu) if verify else (None, None)
    try:
        result = run_check(
            found, style=Style(style) if style else None, fix=fix, prove=prove, workers=workers or default_workers(),
            options=Options(model=model, input_shape=input_shape),
        )
    finally:
        if close is not None:
            close()
    for outcome in result.outcomes:
        for violation in outcome.violations:
            if output_format == "text":
                prefix = "fixed: " if outcome.status is Status.FIXED else ""
                click.echo(prefix + violation.render())
            elif outcome.status is not Status.FIXED:
                out.diagnostic(violation.as_diagnostic(), err=False)
        for diagnostic in outcome.diagnostics:
            out.diagnostic(diagnostic, err=False)
        if outcome.proof:
            out.message(outcome.proof, err=False)
    if not quiet:
        out.message(result.summary())
    sys.exit(result.return_code)


@main.command("graph")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "model", callback=_model, metavar="NAME[:LINE]", help=MODEL_HELP.format(verb="Draw"))
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
    if image_format == "png" and output is None and _stdout_is_terminal():
        raise click.UsageError("a PNG is binary and standard output is a terminal: write it to a file with -o FILE")
    from .graph import picture, to_dot, to_mermaid
    from .graphviz import GraphvizFailure, render_with_dot
    from .parse import find_models

    document = read_document(path)
    models = find_models(document.text) if not isinstance(document, Diagnostic) else document
    if isinstance(models, Diagnostic):
        _exit_with(models.at(str(path)) if isinstance(document, Diagnostic) else document.locate((models,))[0])
    wanted = in_module(model, document.notebook)
    chosen = models if wanted is None else pick(wanted, models, lambda info: ((info.name, info.scope), info.line))
    if not chosen:
        names = ", ".join(info.name for info in models) or "none"
        wanted = f"no model named {model!r} in this file" if model else "no model in this file"
        _exit_with(Diagnostic(1, 1, wanted, f"models found: {names}", str(path)))
    for info in chosen:
        if info.problem is not None:
            click.echo(document.locate((info.problem,))[0].render(), err=True)
    if all(info.graph is None for info in chosen):
        sys.exit(codes.ERROR)
    drawing = picture(chosen, document.where)
    if image_format == "mermaid":
        data: bytes = to_mermaid(drawing).encode()
    else:
        rendered = to_dot(drawing).encode() if image_format == "dot" else render_with_dot(to_dot(drawing), image_format)
        if isinstance(rendered, GraphvizFailure):
            _exit_with(Diagnostic(1, 1, rendered.message, rendered.hint, str(path)))
        data = rendered
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    elif (problem := write_atomic(output, data)) is not None:
        _exit_with(problem)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _exit_with(diagnostic: Diagnostic) -> None:
    click.echo(diagnostic.render(), err=True)
    sys.exit(codes.ERROR)


from .cli_saved import from_saved_command  # noqa: E402 (the command registers itself on the group)

main.add_command(from_saved_command)
