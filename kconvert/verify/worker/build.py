"""Runs one model slice in a fresh namespace and returns the model it builds.

The slice is compiled with the user's real file name (its dropped statements are
blank lines), so tracebacks point at the user's lines. While user code runs,
``Layer.__new__`` is wrapped to remember where each layer was created: the
innermost stack frame belonging to the user's file, which is the ``Dense(...)``
expression, not a line inside Keras or inside the layer's own ``__init__``; and
Keras 2's ``input_length`` of an ``Embedding``, which Keras 3 drops but which gave
a Sequential starting with it its input shape (``inputs.keras2_spec``).
"""

from __future__ import annotations

import builtins
import contextlib
import os
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import Any, Iterator

import keras

from ..report import Location
from .seeds import reseed


class Sites:
    """Where each layer of one file was created."""

    def __init__(self, path: str) -> None:
        self.path = path
        # Keyed by id(); the layer is kept alive with its line so an id is never reused.
        self._lines: dict[int, tuple[Any, int]] = {}
        # Keras 2's ``Embedding(..., input_length=n)``, which Keras 3 drops: by id(), as above.
        self._lengths: dict[int, tuple[Any, int]] = {}

    def record_length(self, layer: Any, length: int) -> None:
        self._lengths[id(layer)] = (layer, length)

    def input_length(self, layer: Any) -> int | None:
        found = self._lengths.get(id(layer))
        return found[1] if found else None

    def record(self, layer: Any) -> None:
        frame = sys._getframe(2)  # 0 is here, 1 the Layer.__new__ wrapper
        while frame is not None and frame.f_code.co_filename != self.path:
            frame = frame.f_back
        if frame is not None:
            self._lines[id(layer)] = (layer, frame.f_lineno)

    def location(self, layer: Any) -> Location | None:
        found = self._lines.get(id(layer))
        return Location(self.path, found[1]) if found else None


@contextlib.contextmanager
def recording(sites: Sites) -> Iterator[None]:
    """Record creation sites of layers made inside the block (also lazily, in build())."""
    saved = keras.layers.Layer.__dict__["__new__"]
    original = saved.__func__

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        layer = original(cls, *args, **kwargs)
        sites.record(layer)
        length = kwargs.get("input_length")
        if issubclass(cls, keras.layers.Embedding) and isinstance(length, int):
            sites.record_length(layer, length)
        return layer

    keras.layers.Layer.__new__ = staticmethod(new)
    try:
        yield
    finally:
        keras.layers.Layer.__new__ = saved


@dataclass
class Built:
    model: Any
    sites: Sites


@dataclass
class BuildFailure:
    reason: str


def build(side: dict[str, str]) -> Built | BuildFailure:
    """Run ``side['source']`` and evaluate ``side['expr']``; never raises for user errors."""
    path, expr = side["path"], side["expr"]
    _fresh_keras_state()
    # Both models start from the same seeds: same weights and seed generators for
    # layers made in the same order, and a file that draws random data draws the same.
    reseed()
    sites = Sites(path)
    # Run as a script would be; a slice keeps a main guard only for a model built in it.
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": path}
    namespace["__builtins__"] = builtins
    folder = os.path.dirname(os.path.abspath(path)) if os.path.isfile(path) else None
    try:
        with _on_path(folder), recording(sites):
            exec(compile(side["source"], path, "exec"), namespace)
            model = eval(compile(expr, "<kconvert>", "eval"), namespace)
    except BaseException as error:  # user code may raise anything, even SystemExit
        return BuildFailure(f"building {side['name']} failed: {describe(error, path)}")
    if not isinstance(model, keras.Model):
        return BuildFailure(f"{expr} is a {type(model).__name__}, not a keras.Model")
    return Built(model, sites)


def _fresh_keras_state() -> None:
    """Fresh layer names (dense, dense_1, ...) and settings (dtype policy...) per model.

    ``keras.backend.clear_session()`` would do it, but it also empties TensorFlow's
    kernel cache (every op of the next model then costs more: +10 ms a model) and
    collects garbage (+250 ms); resetting the two Keras trackers is what matters here.
    """
    trackers = ("GLOBAL_STATE_TRACKER", "GLOBAL_SETTINGS_TRACKER")
    try:
        from keras.src.backend.common import global_state
    except ImportError:
        global_state = None
    if global_state is not None and all(hasattr(global_state, t) for t in trackers):
        for name in trackers:
            setattr(global_state, name, threading.local())
    else:  # another Keras layout: the slow, public way
        keras.backend.clear_session(free_memory=False)


def describe(error: BaseException, path: str) -> str:
    """``path:line: Type: message`` at the deepest frame in the user's file."""
    frames = [
        f for f in traceback.extract_tb(error.__traceback__) if f.filename == path
    ]
    # Keras decorates messages with bold escapes and echoes every call argument.
    message = str(error).replace("\x1b[1m", "").replace("\x1b[0m", "")
    message = message.split("\n\nArguments received by")[0]
    text = f"{type(error).__name__}: {message}".strip().rstrip(":")
    return f"{path}:{frames[-1].lineno}: {text}" if frames else text


@contextlib.contextmanager
def _on_path(folder: str | None) -> Iterator[None]:
    # As when the file runs as a script: its folder comes first, for sibling imports.
    if folder is None:
        yield
        return
    sys.path.insert(0, folder)
    try:
        yield
    finally:
        if folder in sys.path:
            sys.path.remove(folder)
