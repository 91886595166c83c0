"""The parent's handle on the verification worker subprocess.

``Worker`` runs ``python -m kconvert.verify.worker``, which imports TensorFlow once
and then serves any number of requests, so verifying N files costs one import;
the parent itself never imports TensorFlow. The process starts on first use (or
``start()``), so it imports TensorFlow while the parent is still slicing files.

stdout carries the JSON-lines protocol (see ``worker/__main__.py``); a reader
thread puts its lines on a queue so that every wait has a deadline. stderr
(TensorFlow's logs, the user's prints) is drained into a bounded buffer and only
quoted when the worker fails. A worker that times out is killed; one that died
is started again by the next request.

    with Worker() as worker:
        for original, converted in pairs:
            print(verify_files(original, converted, worker=worker).verdict)
"""

from __future__ import annotations

import collections
import json
import os
import queue
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path
from typing import IO, Any, Callable, Mapping

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
_STDERR_KEPT = 200  # lines
_STDERR_QUOTED = 12  # lines


class WorkerFailure(Exception):
    """The worker died, timed out or spoke nonsense; the message says which, for users."""


class Worker:
    """A long-lived TensorFlow subprocess; use as a context manager."""

    def __init__(
        self, *, python: str | None = None, env: Mapping[str, str] | None = None
    ) -> None:
        self._python = python or sys.executable
        self._env = dict(os.environ if env is None else env)
        self._process: subprocess.Popen[str] | None = None
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
        return self._process is not None and self._process.poll() is None

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
        )
        self._process, self._ready = process, None
        self._lines = queue.Queue()
        self._stderr.clear()
        _drain(process.stdout, self._lines.put, end=True)
        _drain(process.stderr, self._stderr.append, end=False)
        weakref.finalize(self, _stop, process, grace=0.0)

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
            raise WorkerFailure(f"timed out after {timeout:g} s") from None
        if line is None:
            raise self._died()
        try:
            return dict(json.loads(line))
        except ValueError:
            self._kill()
            raise WorkerFailure(
                f"the worker printed something unexpected: {line[:200]!r}"
            ) from None

    def _died(self) -> WorkerFailure:
        assert self._process is not None
        try:
            code = self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._kill()
            code = None
        tail = "".join(list(self._stderr)[-_STDERR_QUOTED:]).rstrip()
        self._process = None
        return WorkerFailure(
            f"the worker exited with code {code}" + (f":\n{tail}" if tail else "")
        )


def _drain(stream: IO[str] | None, sink: Callable[[Any], None], *, end: bool) -> None:
    def pump() -> None:
        assert stream is not None
        for line in stream:
            sink(line)
        if end:
            sink(None)  # end of stream: the worker is gone

    threading.Thread(target=pump, name="kconvert-worker-pipe", daemon=True).start()


def _stop(process: subprocess.Popen[str], *, grace: float) -> None:
    """Close stdin, the worker's signal to exit; kill it if it is still there after ``grace``."""
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
