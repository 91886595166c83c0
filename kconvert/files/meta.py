"""Giving a replacement file what the user had set on the original.

``os.replace`` puts a new inode in place of the old one, so owner, group,
mode and extended attributes (which also hold POSIX ACLs and SELinux labels)
must be copied, before the rename, or they are lost.  A copy that fails is a
reason not to write: a file that silently changes owner or loses an ACL is
worse than one that is not converted.
"""

from __future__ import annotations

import errno
import os
import stat

# Errors that mean "this file system has no extended attributes": nothing to keep.
_NO_XATTRS = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


def copy_metadata(original: os.stat_result, source: str, descriptor: int) -> str | None:
    """Gives the open file ``descriptor`` the owner, mode and xattrs of ``source``.

    Returns what could not be kept, or None.
    """
    mine = os.fstat(descriptor)
    if (mine.st_uid, mine.st_gid) != (original.st_uid, original.st_gid):
        try:
            os.fchown(descriptor, original.st_uid, original.st_gid)
        except OSError as error:
            return f"its owner and group ({original.st_uid}:{original.st_gid}): {error.strerror}"
    # After chown, which clears set-user-ID bits: the mode is set last.
    os.fchmod(descriptor, stat.S_IMODE(original.st_mode))
    return _copy_xattrs(source, descriptor)


def _copy_xattrs(source: str, descriptor: int) -> str | None:
    if not hasattr(os, "listxattr"):  # only Linux has them in the os module
        return None
    try:
        names = os.listxattr(source)
    except OSError as error:
        return None if error.errno in _NO_XATTRS else f"its extended attributes: {error.strerror}"
    for name in names:
        try:
            value = os.getxattr(source, name)
        except OSError as error:
            return f"its extended attribute {name}: {error.strerror}"
        try:
            os.setxattr(descriptor, name, value)
        except OSError as error:
            # A label the new file was given anyway (SELinux) needs no copy.
            if _current(descriptor, name) == value:
                continue
            return f"its extended attribute {name}: {error.strerror}"
    return None


def _current(descriptor: int, name: str) -> bytes | None:
    try:
        return os.getxattr(descriptor, name)
    except OSError:
        return None
