"""The parent's handle on the verification worker subprocess.

``Worker`` runs ``python -m kconvert.verify.worker``, which imports TensorFlow once
and then serves any number of requests, so verifying N files costs one import;
the parent itself never imports TensorFlow. The process starts on first use (or
``start()``), so it imports TensorFlow while the parent is still slicing files.

stdout carries the JSON-lines protocol (see ``worker/__main__.py``), each line
signed with a secret of this worker (``channel``); a reader thread puts its lines
on a queue so that every wait has a deadline. stderr (TensorFlow's logs, the
user's prints) is drained into a bounded buffer and only quoted when the worker
fails. A worker that times out is killed; one that died is started again by the
next request.

The worker runs in a session (and process group) of its own, and the whole
group is killed when the worker is closed or killed, so processes that model
code started do not outlive it. ``max_memory_mb`` (address space, off by
default) and ``max_cpu_seconds`` (CPU time per pair) are limits the worker sets
on itself with ``setrlimit`` (``worker/guard.py``).

    with Worker() as worker:
        for original, converted in pairs:
            print(verify_files(original, converted, worker=worker).verdict)
"""

from __future__ import annotations

import collections
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import IO, Any, Callable, Mapping

from .channel import new_secret, opened

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
_STDERR_KEPT = 200  # lines
_STDERR_QUOTED = 12  # lines
# Per pair, and generous: the wall-clock timeout (300 s by default) comes first
# unless a model keeps many cores busy.
DEFAULT_MAX_CPU_SECONDS = 3600.0
_POSIX = os.name == "posix"


class WorkerFailure(Exception):
    """The worker died, timed out or spoke nonsense; the message says which, for users."""


class Worker:
    """A long-lived TensorFlow subprocess; use as a context manager."""

    def __init__(
        self,
        *,
        python: str | None = None,
        env: Mapping[str, str] | None = None,
        max_memory_mb: int | None = None,
        max_cpu_seconds: float | None = DEFAULT_MAX_CPU_SECONDS,
    ) -> None:
        self._python = python or sys.executable
        self._env = dict(os.environ if env is None else env)
        self._limits = {
            "max_memory_mb": max_memory_mb,
            "max_cpu_seconds": max_cpu_seconds,
        }
        self._secret = b""
        self._process: subprocess.Popen[str] | None = None
        self._ended = threading.Event()  # the reply channel reached EOF
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=_STDERR_KEPT)
        self._ready: dict[str, Any] | None = None
        self._last_id = 0
        self._lock = threading.Lock()

    def __enter__(self) -> "Worker":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        # The channel, not the first process: model code may kill that stand-in
        # (worker/guard.py) while the worker itself goes on.
        return self._process is not None and not self._ended.is_set()

    @property
    def versions(self) -> dict[str, str]:
        """TensorFlow and Keras versions, once the worker has answered."""
        ready = self._ready or {}
        return {key: ready[key] for key in ("tensorflow", "keras") if key in ready}

    def start(self) -> None:
        if self.running:
            return
        env = dict(self._env)
        env.update(TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND="tensorflow")
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(_PROJECT_ROOT), env.get("PYTHONPATH")])
        )
        process = subprocess.Popen(
            [self._python, "-m", "kconvert.verify.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
            start_new_session=_POSIX,
        )
        self._process, self._ready, self._secret = process, None, new_secret()
        self._lines, self._ended = queue.Queue(), threading.Event()
        self._stderr.clear()
        _drain(process.stdout, self._lines.put, end=self._ended)
        _drain(process.stderr, self._stderr.append, end=None)
        weakref.finalize(self, _stop, process, grace=0.0)
        try:
            hello = {"secret": self._secret.hex(), **self._limits}
            assert process.stdin is not None
            process.stdin.write(json.dumps(hello) + "\n")
            process.stdin.flush()
        except OSError:
            pass  # it died at once: the first request reports how

    def request(self, message: dict[str, Any], *, timeout: float) -> dict[str, Any]:
        """Send one request and wait for its reply; WorkerFailure if that cannot be done."""
        with self._lock:
            deadline = time.monotonic() + timeout
            self.start()
            if self._ready is None:
                self._ready = self._receive(deadline, timeout)
            self._last_id += 1
            message = {**message, "id": self._last_id}
            try:
                assert self._process is not None and self._process.stdin is not None
                self._process.stdin.write(json.dumps(message) + "\n")
                self._process.stdin.flush()
            except OSError:
                raise self._died() from None
            reply = self._receive(deadline, timeout)
            if reply.get("id") != self._last_id:
                self._kill()
                raise WorkerFailure(
                    f"the worker answered out of turn: {str(reply)[:200]}"
                )
            return reply

    def close(self) -> None:
        """Let the worker finish and exit; kill it if it does not within 10 s."""
        if self._process is not None:
            _stop(self._process, grace=10.0)
            self._process = None

    def _kill(self) -> None:
        if self._process is not None:
            _stop(self._process, grace=0.0)
            self._process = None

    def _receive(self, deadline: float, timeout: float) -> dict[str, Any]:
        try:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            self._kill()  # stuck in user code: waiting politely would not help
            raise WorkerFailure(f"timed out after {timeout:.3g} s") from None
        if line is None:
            raise self._died()
        payload = opened(self._secret, line)
        if payload is None:
            self._kill()
            raise WorkerFailure(
                "a line on the reply channel was not signed by the worker (model code "
                f"wrote to it), so no reply of this run is trusted: {line[:120]!r}"
            )
        try:
            return dict(json.loads(payload))
        except ValueError:
            self._kill()
            raise WorkerFailure(
                f"the worker sent something unexpected: {payload[:200]!r}"
            ) from None

    def _died(self) -> WorkerFailure:
        assert self._process is not None
        try:
            code = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._kill()
            code = None
        tail = "".join(list(self._stderr)[-_STDERR_QUOTED:]).rstrip()
        self._kill()  # and whatever it left running in its group
        return WorkerFailure(
            _exit_text(code, self._limits) + (f":\n{tail}" if tail else "")
        )


def _exit_text(code: int | None, limits: dict[str, Any]) -> str:
    if code == -getattr(signal, "SIGXCPU", 0):
        return f"the worker used up its CPU time ({limits['max_cpu_seconds']:g} s per pair)"
    if code is not None and code < 0 and limits["max_memory_mb"] is not None:
        name = signal.strsignal(-code) or f"signal {-code}"
        return (
            f"the worker was ended by {name} (with a memory limit of "
            f"{limits['max_memory_mb']} MB, which may be too low)"
        )
    return f"the worker exited with code {code}"


def _drain(
    stream: IO[str] | None, sink: Callable[[Any], None], *, end: threading.Event | None
) -> None:
    def pump() -> None:
        assert stream is not None
        for line in stream:
            sink(line)
        if end is not None:  # end of stream: the worker is gone
            end.set()
            sink(None)

    threading.Thread(target=pump, name="kconvert-worker-pipe", daemon=True).start()


def _stop(process: subprocess.Popen[str], *, grace: float) -> None:
    """Close stdin, the worker's signal to exit; kill it if it is still there after
    ``grace``; then kill its process group: what model code started dies with it."""
    try:
        assert process.stdin is not None
        process.stdin.close()
    except OSError:
        pass  # already broken: the worker is gone or going
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if _POSIX:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass  # nobody left in the group
