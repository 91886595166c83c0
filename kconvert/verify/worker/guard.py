"""Limits and a shield for the worker process, set up before the user's code runs.

* ``limit_memory``: an address-space limit (``RLIMIT_AS``), only when asked.
  TensorFlow reserves far more address space than it uses (about 1.4 GB for a
  small model on 2 cores, more with more cores, since each thread has a stack),
  so no default could be both safe and useful: a model that allocates too much
  then fails with MemoryError (reported) or the worker aborts (reported too).
* ``limit_cpu``: a CPU-time budget (``RLIMIT_CPU``) for the next request: the
  worker serves many pairs, and the limit counts the process's whole life, so
  the soft limit is moved to "used so far + budget" before each pair. Past it
  the kernel sends SIGXCPU, which ends the worker; the parent says so.
* ``shield``: the worker forks once more before it imports TensorFlow and runs
  in the child, while the first process only waits and passes on how the child
  ended. Model code that kills its parent (``os.kill(os.getppid(), 9)``) then
  kills this stand-in, not kconvert; the parent also starts the worker in a new
  session, so killing its own process group reaches no further than the worker.
"""

from __future__ import annotations

import os
import signal

try:
    import resource
except ImportError:  # not POSIX: no limits, and no fork either (see shield)
    resource = None  # type: ignore[assignment]


def limit_memory(megabytes: int | None) -> None:
    if megabytes is None or resource is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def limit_cpu(seconds: float | None) -> None:
    """Allow ``seconds`` more of CPU time from now (all threads together)."""
    if seconds is None or resource is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    wanted = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (wanted, hard))


def shield() -> None:
    """Return in a child process; the calling process waits for it and ends as it ended."""
    if not hasattr(os, "fork"):
        return
    child = os.fork()
    if child == 0:
        return
    # The stand-in holds no pipe open: the parent must see EOF when the child ends.
    for fd in range(3, 256):
        try:
            os.close(fd)
        except OSError:
            pass
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            os._exit(0)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            signal.signal(number, signal.SIG_DFL)
        except (OSError, ValueError):
            pass  # SIGKILL and SIGSTOP keep their default anyway
        os.kill(os.getpid(), number)
        os._exit(128 + number)
    os._exit(os.waitstatus_to_exitcode(status))
