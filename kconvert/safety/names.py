"""Names a converted file reads where nothing binds them.

libcst's scope analysis (``ScopeProvider``) resolves every access to the
assignments it can see, with Python's rules (a class body is not visible from
its methods).  An access with no assignment is unbound; a conversion may not
add any: that is a ``NameError`` when the module is imported or the model is
built, or a module-level name the rest of the file reads that the conversion
took away.

A name the original reads unbound under ``from resnets_utils import *`` is that module's: a
conversion that reads it once per call of the helper reading it (or from a method) reads the same
module-level name.

A read below a ``return`` (a builder's line left under ``return model``) never runs: the
conversion may take the local it reads into the model's class.
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from ..parse.names_in import leaves_block
from ..parse.source import SourceFile
from ..parse.star_imports import foreign_star, starred


def new_unbound_names(before: SourceFile, after: SourceFile) -> list[tuple[str, int]]:
    """``(name, line in after)`` of each access unbound in ``after`` more often than in ``before``."""
    old = Counter(name for name, _ in _unbound(before))
    imported = set(old) if foreign_star(before) else set()
    found = []
    for name, line in sorted(_unbound(after), key=lambda item: item[1]):
        if name in imported:
            continue
        if old[name] > 0:
            old[name] -= 1
        else:
            found.append((name, line))
    return found


def _unbound(src: SourceFile) -> list[tuple[str, int]]:
    scopes = {id(scope): scope for scope in src.scopes() if scope is not None}
    unbound = []
    for scope in scopes.values():
        for access in scope.accesses:
            if access.referents or not isinstance(access.node, cst.Name):
                continue
            if starred(src, access.node):
                continue  # bound by ``from keras.layers import *``
            if _never_runs(src, access.node):
                continue
            unbound.append((access.node.value, src.loc(access.node).line))
    return unbound


def _never_runs(src: SourceFile, node: cst.CSTNode) -> bool:
    """Whether ``node`` stands below a ``return``, ``raise``, ``break`` or ``continue`` of its block
    or of a block around it."""
    child = node
    while (owner := src.parent(child)) is not None:
        if isinstance(owner, (cst.IndentedBlock, cst.Module)):
            for line in owner.body:
                if line is child:
                    break
                if leaves_block(line):
                    return True
        child = owner
    return False
