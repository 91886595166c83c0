"""The temporary file an atomic write fills before it replaces the original.

It sits next to the file it replaces (``os.replace`` is atomic only within one
file system) and is named ``.<name>.<pid>.kconvert-tmp``, so that:

* SIGTERM and SIGHUP during the write remove it before the process dies
  (SIGINT raises ``KeyboardInterrupt`` and the ``with`` block removes it);
* after SIGKILL or a power cut, the next write of the same file finds it by
  name and removes it once no process with that pid is alive.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path
from typing import Iterator

SUFFIX = ".kconvert-tmp"
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

# Paths of the temporary files this process has open, for the signal handler.
_live: set[str] = set()
# The handlers replaced while a write runs, to restore and to chain to.
_previous: dict[int, object] = {}


def temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}{SUFFIX}")


@contextlib.contextmanager
def temporary_next_to(target: Path) -> Iterator[tuple[int, Path]]:
    """A new, empty, private file next to ``target``: (descriptor, path).

    The file is removed when the block raises or a signal ends the process;
    a block that renames it away leaves nothing to remove.
    """
    remove_stale(target)
    path = temp_path(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    with _cleanup_on_signals():
        descriptor = os.open(path, flags, 0o600)
        _live.add(str(path))
        try:
            yield descriptor, path
        finally:
            os.close(descriptor)
            _live.discard(str(path))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def remove_stale(target: Path) -> None:
    """Removes the temporary files of ``target`` left by processes that no longer run."""
    prefix = f".{target.name}."
    with contextlib.suppress(OSError), os.scandir(target.parent) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(SUFFIX)):
                continue
            pid = entry.name[len(prefix) : -len(SUFFIX)]
            # Our own pid can only be a leftover of an earlier process with the
            # same pid (a restarted container): this process removes its own.
            if pid.isdigit() and (int(pid) == os.getpid() or not _alive(int(pid))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM/SIGHUP first remove the live temporary files.

    Handlers can only be set from the main thread; elsewhere the block runs
    without them.  A signal the process ignores (``nohup``) stays ignored, and
    a handler the program had set still runs after the clean-up.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in _SIGNALS}
    for number, handler in previous.items():
        if handler is not signal.SIG_IGN:
            _previous[number] = handler if handler is not None else signal.SIG_DFL
            signal.signal(number, _remove_and_resend)
    try:
        yield
    finally:
        for number in list(_previous):
            signal.signal(number, _previous.pop(number))


def _remove_and_resend(number: int, frame) -> None:
    for path in list(_live):
        with contextlib.suppress(OSError):
            os.unlink(path)
    _live.clear()
    handler = _previous.get(number, signal.SIG_DFL)
    if callable(handler):
        handler(number, frame)
        return
    # The default action: end the process by this signal, as without kconvert.
    signal.signal(number, handler)
    os.kill(os.getpid(), number)
