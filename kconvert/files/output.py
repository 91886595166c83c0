"""Standard output on a full device: one diagnostic, not a traceback at exit.

Output is buffered, so ``> /dev/full`` fails when the buffer is flushed, which
Python otherwise does at shutdown, printing "Exception ignored" and exiting
120.  The command flushes while it can still report, and then points the
descriptor at ``/dev/null`` so that the final flush has nowhere to fail.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

from ..types import Diagnostic
from .problems import os_problem


def flush_stdout() -> Diagnostic | None:
    """Flushes standard output; on failure, discards what is left and says why."""
    try:
        sys.stdout.flush()
    except OSError as error:
        return stdout_problem(error)
    return None


def stdout_problem(error: OSError) -> Diagnostic:
    """The diagnostic for a write to standard output that failed; the rest is discarded."""
    _discard_stdout()
    return os_problem("<stdout>", "write standard output", error, unchanged=False)


def _discard_stdout() -> None:
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
