"""What an operating-system error on a user's file means, as one ``Diagnostic``."""

from __future__ import annotations

import errno

from ..types import Diagnostic

# The hint names the fix the user can make; the file itself was never changed.
_HINTS = {
    errno.EACCES: "check the permissions of the file and of its folder",
    errno.EPERM: "check the permissions of the file and of its folder",
    errno.ENOSPC: "free some space on the device",
    errno.EDQUOT: "free some space within your disk quota",
    errno.EFBIG: "the file size limit (ulimit -f) is too small for this file",
    errno.EROFS: "the file system is mounted read-only",
    errno.ENOENT: "check the path; kconvert does not create folders",
    errno.ENOTDIR: "check the path; a part of it is not a folder",
    errno.EISDIR: "give a file, not a folder",
    errno.ELOOP: "the path has a symbolic link loop",
}


def os_problem(path: str, doing: str, error: OSError, unchanged: bool = True) -> Diagnostic:
    """``path:1:1: error: cannot <doing>: <reason> (hint: ...)``."""
    reason = error.strerror or type(error).__name__
    hint = _HINTS.get(error.errno or 0, "")
    if unchanged:
        hint = f"{hint}; the file was not changed" if hint else "the file was not changed"
    return Diagnostic(1, 1, f"cannot {doing}: {reason}", hint, path)
