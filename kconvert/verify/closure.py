"""What a model's slice keeps: the closure of its roots over the bindings they read.

The roots are the statements that build the model; each read of a global is
followed to the binding that reaches it (the last one above, or earlier ones
while that one is conditional), and so on. A binding of a name the user gives a
value for is *replaced* instead, and what it read is not followed; of a
top-level ``if``, only the statements the slice needs are kept (``partial``).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import libcst as cst
import libcst.matchers as m

from .missing import makes_layers
from .source import Read, SourceIndex, Statement


class Closure:
    """The roots and, transitively, the bindings that reach what they read, with
    the finishing steps (up to ``cutoff``) of the other models among them; a
    reached binding of a given name is replaced, and its own reads are not followed,
    unless it is model code (``inputs = Input(shape=inputs.shape[1:])``)."""

    def __init__(
        self,
        index: SourceIndex,
        given: Mapping[str, str],
        cutoff: int,
        in_main: bool,
        steps: dict[int, list[int]],
        narrowed: Mapping[int, frozenset[str]] | None = None,
    ) -> None:
        self.index, self.statements, self.given = index, index.statements, given
        self.cutoff, self.in_main, self.steps = cutoff, in_main, steps
        self.kept: set[int] = set()
        self.replaced: set[int] = set()
        # An ``if`` reached for some names only: those names (see branches.py).
        self.partial: dict[int, set[str]] = {}
        # Statements only part of which runs (a class whose one method is called):
        # only their reads of these names are followed.
        self.narrowed = dict(narrowed or {})

    def value_reads(self, names: Sequence[str], code: Sequence[str] = ()) -> tuple[Read, ...]:
        """What the given values of ``names`` (and the arguments ``code`` the slice writes)
        read, as reads of the module's globals."""
        codes = [self.given[name] for name in names] + [f"f({c})" for c in code if c]
        found = {
            node.value
            for text in codes
            for node in m.findall(cst.parse_expression(text), m.Name())
        }
        return tuple(
            Read(
                name,
                False,
                tuple(i for i, s in enumerate(self.statements) if name in s.binds),
            )
            for name in sorted(found)
        )

    def run(self, roots: list[int], extra: tuple[Read, ...], at: int) -> None:
        self.kept.update(roots)
        self.kept.update(
            i for i in range(self.cutoff) if _always_kept(self.statements[i].node)
        )
        work = [(self._reads(i), i) for i in self.kept] + [(extra, at)]
        while work:
            self._close(work)
            # An ``if`` also keeps what changes a name read anywhere (``sizes.append(4)``).
            read = {i: {r.name for r in self._if_reads(i)} for i in self.partial}
            kept = {r.name for i in self.kept for r in self._reads(i)}
            for i, names in self.partial.items():
                elsewhere = kept.union(*(n for j, n in read.items() if j != i))
                if not elsewhere <= names:
                    names |= elsewhere
                    work.append((self._if_reads(i), i))
        for i in self.kept | self.replaced:
            self.partial.pop(i, None)

    def _close(self, work: list[tuple[tuple[Read, ...], int]]) -> None:
        while work:
            reads, reader = work.pop()
            for read in reads:
                # A function body runs when the model is built, at ``cutoff``; other code
                # runs in place, so it sees the bindings above it.
                until = self.cutoff if read.deferred else reader
                for writer in _reaching(self.statements, read, until, self.in_main):
                    for needed in (writer, *self.steps.get(writer, ())):
                        if needed in self.narrowed and needed in self.kept and needed != reader:
                            # Another statement reads the class (a converted class calling its
                            # static methods): any of its methods may run, so all it reads counts.
                            del self.narrowed[needed]
                            work.append((self.statements[needed].reads, needed))
                        if needed in self.kept or needed in self.replaced:
                            continue
                        if needed >= max(self.cutoff, writer + 1):
                            continue
                        bound = sorted(
                            self.statements[needed].binds & self.given.keys()
                        )
                        if bound and self._replaceable(needed):
                            self.replaced.add(needed)
                            work.append((self.value_reads(bound), needed))
                        elif needed == writer and self.statements[needed].parts:
                            names = self.partial.setdefault(needed, set())
                            if read.name not in names:
                                names.add(read.name)
                                work.append((self._if_reads(needed), needed))
                        else:
                            self.kept.add(needed)
                            work.append((self.statements[needed].reads, needed))

    def _reads(self, i: int) -> tuple[Read, ...]:
        reads = self.statements[i].reads
        if i in self.narrowed:
            return tuple(read for read in reads if read.name in self.narrowed[i])
        return reads

    def _replaceable(self, i: int) -> bool:
        """Data, not the model's own code: it makes no layer and reads nothing one made
        (``k = h.shape[-1]`` after ``h = Dense(4)(x)`` is the model's)."""
        stmt = self.statements[i]
        return not makes_layers(self.index, stmt.node) and not any(
            makes_layers(self.index, self.statements[w].node)
            for read in stmt.reads
            for w in read.writers
        )

    def _if_reads(self, i: int) -> tuple[Read, ...]:
        stmt = self.statements[i]
        assert stmt.parts is not None
        _, names = stmt.parts.needed(self.partial[i])
        return tuple(read for read in stmt.reads if read.name in names)


def _reaching(
    statements: tuple[Statement, ...], read: Read, until: int, in_main: bool
) -> list[int]:
    """The last binding of ``read.name`` before ``until``, and earlier ones while that
    binding is conditional (inside an if, for, try...), since it may not happen."""
    reaching = []
    for writer in reversed(read.writers):
        stmt = statements[writer]
        if writer >= until or (stmt.main_guard_line is not None and not in_main):
            continue
        reaching.append(writer)
        if isinstance(
            stmt.node, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)
        ):
            break
    return reaching


def _always_kept(node: cst.BaseStatement) -> bool:
    future = m.ImportFrom(module=m.Name("__future__"))
    star = m.ImportFrom(names=m.ImportStar())
    return isinstance(node, cst.SimpleStatementLine) and any(
        m.matches(small, future | star) for small in node.body
    )
