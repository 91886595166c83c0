"""``kconvert from-saved``: the thin command over ``from_saved.py``; options in, module and exit code out."""

from __future__ import annotations

import keyword
import sys
from pathlib import Path

import click

from . import report as codes
from .cli_options import output_options, printer, shape_option
from .files import write_atomic
from .output import wants_colour
from .types import Style


def _variable(ctx, param, value: str) -> str:
    if not value.isidentifier() or keyword.iskeyword(value) or value == "keras":
        raise click.BadParameter(f"{value!r} is not a name a module can bind the model to")
    return value


@click.command("from-saved")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", type=click.Choice([style.value for style in Style]), default="functional", show_default=True, help="The style to write the model in.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the module here, not to standard output.")
@click.option("--weights", is_flag=True, help="Add the line that loads the saved weights into the model.")
@click.option("--name", default="model", show_default=True, callback=_variable, help="The module-level variable the model is bound to.")
@click.option("--input-shape", callback=shape_option, metavar="D1,D2,...", help="Input shape (without batch axis) for a model saved before it was built.")
@click.option("--verify", is_flag=True, help="Build the written module and the saved model in TensorFlow and compare; write nothing unless equivalent.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300, show_default=True, help="With --verify: seconds allowed.")
@output_options
def from_saved_command(path, to, output, weights, name, input_shape, verify, timeout, colour, output_format, verbose) -> None:
    """Write the Python module that builds the model saved in PATH (.keras, .h5 or model.to_json()).

    Reads the architecture only, without TensorFlow; --verify then proves the
    module builds the same model as keras.models.load_model(PATH).
    """
    from .from_saved import source_from_saved, verify_saved  # only a run that writes imports libcst and black

    out = printer(colour, output_format, verbose)
    result = source_from_saved(path, Style(to), name=name, weights=weights, input_shape=input_shape)
    if not result.ok:
        for diagnostic in result.diagnostics:
            out.diagnostic(diagnostic)
        sys.exit(codes.ERROR)
    for note in result.notes:
        out.diagnostic(note)
    if verify:
        report = verify_saved(path, result.source, name=name, timeout=timeout)
        shown = wants_colour(colour, sys.stderr)
        click.echo(report.render(color=shown), err=True, color=shown)
        if report.exit_code != codes.OK:
            sys.exit(report.exit_code)
    if output is None:
        click.echo(result.source, nl=False)
    elif (problem := write_atomic(output, result.source)) is not None:
        out.diagnostic(problem)
        sys.exit(codes.ERROR)
    sys.exit(codes.OK)
