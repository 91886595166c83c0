"""Loading the conversion code; in kconvert's own process, out of the garbage collector's way.

Importing libcst, black and the pipeline leaves some 300,000 objects (classes,
functions, their dataclass-made methods) that live as long as the process.
Python's cyclic collector traverses every one of them in each full collection
the parses of a conversion set off, and again when the process ends: about a
third of the CPU time of a one-file run (benchmarks/README.md, session 10).
``gc.freeze`` takes them out of its reach, and worker processes forked after it
share those pages instead of copying them.  That suits a process that runs
kconvert as its program and not a library call, where freezing would exempt
the caller's objects too, garbage included, for good.
"""

from __future__ import annotations

import gc
import importlib

_own_process = False
_frozen = False


def claim_process() -> None:
    """Marks this process as the command line's own: what is loaded is frozen once."""
    global _own_process
    _own_process = True


def load_conversion() -> None:
    """Imports the conversion code (``kconvert.convert`` and all it needs)."""
    global _frozen
    importlib.import_module("kconvert.convert")
    if _own_process and not _frozen:
        gc.freeze()
        _frozen = True
