"""Loading the conversion code; in kconvert's own process, out of the garbage collector's way.

Importing libcst, black and the pipeline leaves some 40,000 objects the cyclic
collector tracks (classes, functions, their dictionaries), which live as long as
the process.  The collector traverses all of them and what they refer to in each
full collection the parses of a conversion set off, and again when the process
ends: more than a quarter of the CPU time of a one-file run (benchmarks/README.md,
session 10).  ``gc.freeze`` takes them out of its reach, in the worker processes
forked after it too.  While they are being imported, the collector runs rarely:
its full collections there would traverse the same objects over and over.  That
suits a process that runs kconvert as its program and not a library call, where
freezing would exempt the caller's objects too, garbage included, for good.
"""

from __future__ import annotations

import gc
import importlib

# Allocations between two young collections while the code is imported (Python's default: 700).
# Still a number, not off: a command that never loads the conversion code collects as it runs.
_LOADING_THRESHOLD = 100_000

_thresholds: tuple[int, ...] | None = None  # Python's, saved when the process is claimed (None: not ours)
_frozen = False


def claim_process() -> None:
    """Marks this process as the command line's own: what is loaded is frozen once."""
    global _thresholds
    if _thresholds is None:
        _thresholds = gc.get_threshold()
        gc.set_threshold(_LOADING_THRESHOLD, *_thresholds[1:])


def load_conversion() -> None:
    """Imports the conversion code (``kconvert.convert`` and all it needs)."""
    global _frozen
    importlib.import_module("kconvert.convert")
    if _thresholds is not None and not _frozen:
        gc.freeze()
        gc.set_threshold(*_thresholds)
        _frozen = True
