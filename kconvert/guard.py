"""The command line's last line of defence: an exit code and one line, never a traceback.

Each command turns the problems it expects into diagnostics itself.  What is
left is caught here, around every command: standard output that cannot be
written (``> /dev/full``, a file size limit) and any bug in kconvert, which
black also reports as exit 123 rather than a traceback.
"""

from __future__ import annotations

import errno

import click

from . import report as codes
from .files import flush_stdout, stdout_problem
from .loading import claim_process
from .types import Diagnostic


class GuardedGroup(click.Group):
    """A click group whose commands end with ``report.py``'s exit codes only."""

    def __call__(self, *args, **kwargs):
        # Called as the process's program (the ``kconvert`` script, ``python -m kconvert``);
        # CliRunner and other callers inside a process of their own call ``main`` instead.
        claim_process()
        return super().__call__(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OSError as error:
            # click handles a closed pipe (`| head`) itself, quietly.
            if error.errno == errno.EPIPE:
                raise
            _exit_with(stdout_problem(error) if error.filename is None else _internal(error))
        except Exception as error:  # noqa: BLE001 - the promise is: never a traceback
            _exit_with(_internal(error))
        finally:
            # Buffered output fails only when flushed: flush while it can be reported.
            problem = flush_stdout()
            if problem is not None:
                _exit_with(problem)


def _internal(error: BaseException) -> Diagnostic:
    return Diagnostic(
        1,
        1,
        f"internal error: {type(error).__name__}: {error}",
        "this is a kconvert bug: please report it with the command and the file",
        "kconvert",
    )


def _exit_with(problem: Diagnostic) -> None:
    click.echo(problem.render(), err=True)
    raise SystemExit(codes.ERROR)
