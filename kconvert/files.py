"""Reading and writing user files: exact bytes in, atomic replacement out.

Newlines are kept as the file has them (``newline=""``), and a write goes to a
temporary file in the same folder that then replaces the original in one
``os.replace``, so a file is never left half-written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .types import Diagnostic


def read_text(path: Path) -> str | Diagnostic:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return Diagnostic(1, 1, f"cannot read the file: {reason}", "check the path and that it is UTF-8 text", str(path))


def write_atomic(path: Path, text: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".kconvert", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
