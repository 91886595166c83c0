"""Replacing a file atomically, or saying why not; either way nothing is half-written.

The new text goes to a temporary file next to the target (``temp.py``), gets the
target's owner, mode and extended attributes (``meta.py``), reaches the disk
(``fsync``), and replaces the target in one ``os.replace``.  Before that, the
write is refused when:

* the file is read-only: no write permission for its owner, or none for us
  (the owner bit is what ``chmod -w`` clears, and it is the only sign of
  "do not change" that also stops root, who may write anything);
* it is not a regular file;
* its content is no longer what kconvert read (``expected``): an editor saved
  it while kconvert ran, and replacing it would lose that change.

A symbolic link is followed: its target is replaced and the link stays.  A
file with several hard links is split: the path given gets the new text and
the other links keep the old one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..types import Diagnostic
from .meta import copy_metadata
from .problems import os_problem
from .read import read_text
from .temp import temporary_next_to

# The mode of a file kconvert creates (the check cache), as before: rw-r--r--.
NEW_FILE_MODE = 0o644


def write_atomic(path: Path, text: str | bytes, expected: str | None = None) -> Diagnostic | None:
    """Replaces the file at ``path`` with ``text``; returns why not, or None when written.

    ``expected`` is the text kconvert read from ``path``: the write is refused
    if the file holds anything else by the time it would be replaced.
    """
    name = str(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    target = Path(os.path.realpath(path))
    try:
        original = _existing(target)
        refusal = _refusal(name, target, original) if original is not None else None
        if refusal is not None:
            return refusal
        with temporary_next_to(target) as (descriptor, temporary):
            _write_all(descriptor, data)
            os.fsync(descriptor)
            if original is None:
                os.fchmod(descriptor, NEW_FILE_MODE)
            else:
                lost = copy_metadata(original, str(target), descriptor)
                if lost is not None:
                    return Diagnostic(1, 1, f"cannot keep {lost}", "the file was not changed", name)
            if expected is not None and (changed := _changed(name, target, expected)) is not None:
                return changed
            os.replace(temporary, target)
    except OSError as error:
        return os_problem(name, "write the file", error)
    return None


def _existing(target: Path) -> os.stat_result | None:
    try:
        return os.stat(target)
    except FileNotFoundError:
        return None


def _refusal(name: str, target: Path, original: os.stat_result) -> Diagnostic | None:
    if not stat.S_ISREG(original.st_mode):
        return Diagnostic(1, 1, "cannot write the file: it is not a regular file", "give a regular file", name)
    if not original.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        return Diagnostic(
            1,
            1,
            "the file is read-only, so kconvert does not change it",
            "make it writable (chmod u+w) to let kconvert rewrite it; the file was not changed",
            name,
        )
    return None


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _changed(name: str, target: Path, expected: str) -> Diagnostic | None:
    """A diagnostic if ``target`` no longer holds ``expected`` (changed, or gone)."""
    now = read_text(target)
    if now == expected:
        return None
    return Diagnostic(
        1,
        1,
        "the file changed while kconvert was converting it, so kconvert does not overwrite it",
        "run kconvert again on the new version; the file was not changed",
        name,
    )
