"""Room for deeply nested code: the pipeline runs on a thread with a large stack.

libcst's visitors and code generation recurse once per nesting level, several
Python frames at a time, so a valid ``1 + 1 + ...`` of 500 terms or 500 nested
layer calls exceeds Python's default limit of 1,000 frames.  The depth that
reaches the pipeline is bounded by the syntax check (``parse/syntax.py``: what
CPython's parser accepts at its default limit, about 3,000 levels), and that
depth fits in ``RECURSION_LIMIT`` frames, which fit in ``STACK_BYTES``.  The
stack is reserved, not used: memory grows only with the depth actually reached.
"""

from __future__ import annotations

import functools
import sys
import threading
from typing import Callable, TypeVar

# About 7 frames per nesting level were measured for 3,000 levels; the rest is margin.
RECURSION_LIMIT = 50_000
# Under 2 KB of C stack per frame were measured; 10 KB per frame is the margin.
STACK_BYTES = 512 * 1024 * 1024

T = TypeVar("T")

_state = threading.local()
_lock = threading.Lock()
_running = 0  # deep calls in progress, across threads: the last one restores the limit
_saved_limit = 0


def on_deep_stack(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` run on a large stack with a high recursion limit; nested calls run inline."""

    @functools.wraps(function)
    def run(*args, **kwargs) -> T:
        if getattr(_state, "deep", False):
            return function(*args, **kwargs)
        outcome: list = []

        def body() -> None:
            _state.deep = True
            try:
                outcome.append((True, function(*args, **kwargs)))
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread below
                outcome.append((False, error))

        _raise_limit()  # before the thread starts: the limit is per interpreter
        try:
            thread = _start(body)
            if thread is not None:
                thread.join()
        finally:
            _restore_limit()
        if thread is None:  # no room for such a stack (ulimit -v): run as usual
            return function(*args, **kwargs)
        succeeded, value = outcome[0]
        if not succeeded:
            raise value
        return value

    return run


def _start(body: Callable[[], None]) -> threading.Thread | None:
    # daemon: Ctrl-C ends the main thread's join, and must end the process too.
    thread = threading.Thread(target=body, name="kconvert-deep", daemon=True)
    with _lock:
        previous = threading.stack_size(STACK_BYTES)
        try:
            thread.start()
        except (RuntimeError, MemoryError):
            return None
        finally:
            threading.stack_size(previous)
    return thread


def _raise_limit() -> None:
    global _running, _saved_limit
    with _lock:
        if _running == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_saved_limit, RECURSION_LIMIT))
        _running += 1


def _restore_limit() -> None:
    global _running
    with _lock:
        _running -= 1
        if _running == 0:
            sys.setrecursionlimit(_saved_limit)
