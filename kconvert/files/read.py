"""Reading source text: regular files and standard input, UTF-8, at most ``MAX_BYTES``.

A named pipe called ``model.py`` would block ``open`` forever and ``/dev/zero``
would fill memory, so a path is read only when it names a regular file, and
no input is read past the limit.  Newlines are kept as the file has them:
bytes are decoded as they are, never through a text-mode translation.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from ..types import Diagnostic
from .problems import os_problem

# Far above any hand-written model file (the largest Keras example is ~50 KB).  A
# conversion gives libcst at most 10 MB of it (slicing.py): the models and the code
# around them, not the rest of a generated or concatenated file.
MAX_BYTES = 32 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def read_text(path: Path, limit: int = MAX_BYTES) -> str | Diagnostic:
    """The text of the regular file at ``path``, or why it cannot be read."""
    name = str(path)
    try:
        # stat first: opening a device or a pipe can block or have effects.
        problem = _not_readable(name, os.stat(path), limit)
        if problem is not None:
            return problem
        # O_NONBLOCK: if the path became a pipe since the stat, open returns at once.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(descriptor, "rb") as handle:
            problem = _not_readable(name, os.fstat(handle.fileno()), limit)
            data = handle.read(limit + 1) if problem is None else b""
    except OSError as error:
        return os_problem(name, "read the file", error, unchanged=False)
    return problem or decode(data, name, limit)


def read_stdin(stream: BinaryIO | None = None, limit: int = MAX_BYTES) -> str | Diagnostic:
    """The text on standard input (``stream`` for tests), or why it cannot be read."""
    # Python sets sys.stdin to None when the descriptor is closed (`kconvert to-functional - <&-`).
    stream = stream if stream is not None else getattr(sys.stdin, "buffer", None)
    if stream is None:
        return Diagnostic(1, 1, "cannot read standard input: it is closed", "pipe the file in, or give its path", "<stdin>")
    try:
        data = stream.read(limit + 1)
    except OSError as error:
        return os_problem("<stdin>", "read standard input", error, unchanged=False)
    return decode(data, "<stdin>", limit)


def decode(data: bytes, name: str, limit: int = MAX_BYTES) -> str | Diagnostic:
    """``data`` as UTF-8 text, or a diagnostic at the first byte that is not."""
    if len(data) > limit:
        return _too_large(name, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return Diagnostic(
            line,
            col,
            f"the text is not UTF-8: byte 0x{data[error.start]:02x} cannot be decoded",
            "kconvert reads UTF-8 source; save the file as UTF-8",
            name,
        )


def _not_readable(name: str, facts: os.stat_result, limit: int) -> Diagnostic | None:
    if not stat.S_ISREG(facts.st_mode):
        kind = next((label for test, label in _KINDS if test(facts.st_mode)), "not a regular file")
        return Diagnostic(1, 1, f"cannot read the file: it is {kind}", "kconvert reads regular files only", name)
    if facts.st_size > limit:
        return _too_large(name, limit)
    return None


def _too_large(name: str, limit: int) -> Diagnostic:
    return Diagnostic(
        1,
        1,
        f"cannot read the file: it is larger than {limit // (1024 * 1024)} MB",
        "kconvert reads model source files; split the file or convert its models one file at a time",
        name,
    )
