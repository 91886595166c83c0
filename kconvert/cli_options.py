"""Command-line options every command shares: which files, how many workers, how to print.

Kept apart from ``cli.py`` so each command declares them with one decorator and
turns them into values (``Selection``, ``Printer``, the list of files) with one
call; the meaning of each option is documented in ``discover.py`` and
``output.py``.
"""

from __future__ import annotations

import click

from .discover import Found, Selection, discover
from .output import FORMATS, Printer


def _positive(ctx, param, value: int | None):
    if value is not None and value < 1:
        raise click.BadParameter("give at least 1 worker")
    return value


def shape_option(ctx, param, value: str | None):
    """``--input-shape 28,28`` (``None`` for a free axis) as a tuple, the batch axis left out."""
    if value is None:
        return None
    try:
        shape = tuple(None if part.strip().lower() == "none" else int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter("give the shape without the batch axis, e.g. 28,28 or 32,32,3") from None
    if any(size is not None and size < 1 for size in shape):
        raise click.BadParameter(f"{value!r}: each size is a positive number, or None for a free axis")
    return shape


def given_option(ctx, param, value: tuple[str, ...]):
    """``--set NAME=VALUE``, repeatable, as a dict of names to Python expressions."""
    from .verify.given import parse_setting

    given = {}
    for text in value:
        found = parse_setting(text)
        if isinstance(found, str):
            raise click.BadParameter(found)
        given[found[0]] = found[1]
    return given


def discovery_options(function):
    """--exclude, --extend-exclude, --force-exclude."""
    for decorator in reversed([
        click.option("--exclude", metavar="REGEX", help="Paths to skip in folders (replaces the defaults: .venv, build, ...)."),
        click.option("--extend-exclude", metavar="REGEX", help="More paths to skip in folders, on top of --exclude."),
        click.option("--force-exclude", metavar="REGEX", help="Paths to skip even when named on the command line."),
    ]):
        function = decorator(function)
    return function


def output_options(function):
    """--color/--no-color, --output-format, -v."""
    for decorator in reversed([
        click.option("--color/--no-color", "colour", default=None, help="Colour the output [default: on a terminal]."),
        click.option(
            "--output-format", type=click.Choice(FORMATS), default="text", show_default=True,
            help="How diagnostics are printed: for people, JSON Lines, or GitHub annotations.",
        ),
        click.option("-v", "--verbose", is_flag=True, help="Say which configuration file and which files are used."),
    ]):
        function = decorator(function)
    return function


def workers_option(function):
    return click.option(
        "-j", "--workers", type=int, callback=_positive, metavar="N",
        help="Files converted in parallel, one process each [default: the number of CPUs].",
    )(function)


def printer(colour: bool | None, output_format: str, verbose: bool) -> Printer:
    return Printer(output_format, colour, verbose)


def files(paths, exclude, extend_exclude, force_exclude, out: Printer) -> list[Found]:
    """The files to work on; a bad exclusion pattern is a usage error (exit 2)."""
    found = discover(paths, Selection(exclude, extend_exclude, force_exclude))
    if found.problems:
        raise click.UsageError("; ".join(problem.message for problem in found.problems))
    out.info(f"project root: {found.root}")
    out.info(f"configuration: {found.config or 'none (no pyproject.toml in the project root)'}")
    for item in found.files:
        out.info(f"file: {item.path}" + ("" if item.explicit else " (found in a folder)"))
    return list(found.files)


def force_excluded(name: str, force_exclude: str | None) -> bool:
    """Whether --force-exclude (or pyproject's force-exclude) leaves out the file standard input stands for."""
    return not discover([name], Selection(force_exclude=force_exclude)).files
