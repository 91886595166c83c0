"""Reading and writing user files, every failure a ``Diagnostic``.

``read.py`` reads regular files and standard input as exact UTF-8 text, with a
size limit; ``write.py`` replaces a file atomically, keeping what the user set
on it (link, owner, mode, extended attributes) and refusing when the file is
read-only or changed while kconvert ran; ``temp.py`` names, tracks and cleans
up the temporary files that make the replacement atomic; ``output.py`` writes
the standard output without a traceback when the device is full.
"""

from __future__ import annotations

from .output import flush_stdout, stdout_problem
from .read import MAX_BYTES, read_stdin, read_text
from .write import write_atomic

__all__ = ["MAX_BYTES", "flush_stdout", "read_stdin", "read_text", "stdout_problem", "write_atomic"]
