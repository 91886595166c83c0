"""Which value to give (``--set``) when the code a model reads its data from fails.

A file that downloads or reads data at module level cannot run here; when the
model only takes a number or a shape from that data, the user can give it. The
slice knows, for each value the model's code reads from the rest of the file
(*data input*: ``input_shape = x_train.shape[1:]``), the statements it is
computed from; a build failing on one of those lines names the inputs to give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import libcst as cst
import libcst.matchers as m

from ..parse.keras_names import INPUT, MODEL, SEQUENTIAL, pick
from .source import SourceIndex

_MODEL_CALLS = SEQUENTIAL | MODEL | INPUT
# Python's message for a builder called without its arguments (``Agent.__init__()`` for a
# class's constructor, which ``instance.py`` calls only to raise it).
_MISSING_ARGUMENTS = re.compile(
    r"(\w+)(?:\.__init__)?\(\) missing \d+ required (?:positional |keyword-only )?arguments?: (.*)"
)


@dataclass(frozen=True)
class DataInput:
    """Names a model's code reads from one statement that computes them from data."""

    names: tuple[str, ...]
    line: int
    # First and last line of every statement the value is computed from, its own included.
    spans: tuple[tuple[int, int], ...]


def data_inputs(
    index: SourceIndex, kept: set[int], roots: Iterable[int]
) -> tuple[DataInput, ...]:
    """The data inputs of the slice ``kept`` of ``index`` whose model statements are ``roots``."""
    statements = index.statements

    def writers(i: int) -> dict[int, str]:
        """The kept statement each read of statement ``i`` comes from (the last above it)."""
        found = {}
        for read in statements[i].reads:
            above = [w for w in read.writers if w in kept and (read.deferred or w < i)]
            if above:
                found[max(above)] = read.name
        return found

    # Model code: what calls a Keras layer or model, or a def, class or layer that does,
    # or reads a tensor such code made.
    model = set(roots)
    while True:
        makers = frozenset(name for i in model for name in statements[i].binds)
        more = {
            i
            for i in kept - model
            if makes_layers(index, statements[i].node, makers)
            or model & writers(i).keys()
        }
        if not more:
            break
        model |= more

    found = []
    for i in sorted(kept - model):
        if isinstance(statements[i].node, (cst.FunctionDef, cst.ClassDef)) or _imports(
            statements[i].node
        ):
            continue
        read = {writers(j).get(i) for j in model} - {None}
        if not read:
            continue
        upstream, work = {i}, [i]
        while work:
            for w in writers(work.pop()).keys() - upstream:
                upstream.add(w)
                work.append(w)
        spans = tuple(
            sorted(
                (statements[u].first_line, statements[u].last_line) for u in upstream
            )
        )
        found.append(
            DataInput(
                tuple(sorted(n for n in read if n)), statements[i].first_line, spans
            )
        )
    return tuple(found)


def hint(inputs: Iterable[DataInput], reason: str, path: str) -> str | None:
    """What to give when ``reason`` (a build failure in ``path``) is on a data line,
    or a builder the file never calls lacks arguments."""
    unsupplied = _MISSING_ARGUMENTS.search(reason)
    if unsupplied is not None:
        names = re.findall(r"'(\w+)'", unsupplied.group(2))
        settings = " ".join(f"--set {name}=VALUE" for name in names)
        return (
            f"{unsupplied.group(1)}() is never called in the file with literal arguments, "
            f"so nothing gives it {', '.join(names)} (hint: give {'them' if len(names) > 1 else 'it'} with {settings})"
        )
    failed = re.search(rf"failed: {re.escape(path)}:(\d+): ", reason)
    if failed is None:
        return None
    line = int(failed.group(1))
    needed = [
        found
        for found in inputs
        if any(first <= line <= last for first, last in found.spans)
    ]
    if not needed:
        return None
    names = list(dict.fromkeys(name for found in needed for name in found.names))
    where = ", ".join(
        f"{', '.join(found.names)} (line {found.line})" for found in needed
    )
    settings = " ".join(f"--set {name}=VALUE" for name in names)
    return (
        f"the model reads {where}, computed from line {line}, which cannot run here "
        f"(hint: give the value{'s' if len(names) > 1 else ''} with {settings})"
    )


def makes_layers(
    index: SourceIndex, node: cst.CSTNode, builders: frozenset[str] = frozenset()
) -> bool:
    """Whether ``node`` calls a Keras layer or model, or one of ``builders``."""
    for call in m.findall(node, m.Call()):
        func = cst.ensure_type(call, cst.Call).func
        if isinstance(func, cst.Name) and func.value in builders:
            return True
        name = pick(set(index.names_of(func)))
        if name is not None and (
            name.path.startswith("layers.") or name.path in _MODEL_CALLS
        ):
            return True
    return False


def _imports(node: cst.BaseStatement) -> bool:
    return isinstance(node, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in node.body
    )
