"""Pretrained weights a slice leaves unloaded: the verifier sets every weight itself.

``keras.applications.Xception(weights="imagenet")`` downloads its weights when the
model is built, which cannot happen here. The comparison never reads them: the
worker overwrites the original's weights with seeded noise and copies them into
the converted model as it pairs their layers (``worker/pair.py``). So a slice
asks for the same architecture without them (``weights=None``), on the line the
file wrote it, and the report says it did. Only a string given to ``weights`` of a
``keras.applications`` call is replaced, in both files alike.
"""

from __future__ import annotations

import re
from typing import Iterable

import libcst as cst
import libcst.matchers as m

from ..parse.keras_names import pick
from .source import SourceIndex

_WEIGHTS = re.compile(r"""\bweights\s*=\s*(?:"[^"\n]*"|'[^'\n]*')""")


def unload(
    index: SourceIndex, kept: Iterable[int], lines: list[str]
) -> tuple[int, ...]:
    """Replace, in ``lines``, each string ``weights=`` of a Keras application called by
    a kept statement with ``weights=None``; the lines changed, 1-based."""
    changed = []
    for i in sorted(kept):
        stmt = index.statements[i]
        wanted = sum(
            1 for call in m.findall(stmt.node, m.Call()) if _pretrained(index, call)
        )
        span = range(stmt.first_line - 1, stmt.last_line)
        found = [n for n in span if _WEIGHTS.search(lines[n])]
        # Only where every such keyword of the statement is one of an application.
        if not wanted or sum(len(_WEIGHTS.findall(lines[n])) for n in found) != wanted:
            continue
        for n in found:
            lines[n] = _WEIGHTS.sub("weights=None", lines[n])
            changed.append(n + 1)
    return tuple(changed)


def _pretrained(index: SourceIndex, call: cst.CSTNode) -> bool:
    call = cst.ensure_type(call, cst.Call)
    name = pick(set(index.names_of(call.func)))
    if name is None or not name.path.startswith("applications."):
        return False
    return any(
        arg.keyword is not None
        and arg.keyword.value == "weights"
        and isinstance(arg.value, (cst.SimpleString, cst.ConcatenatedString))
        for arg in call.args
    )
