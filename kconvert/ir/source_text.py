"""Source text in the IR: ``Code`` kept as written, with placeholders for the tensors it
reads, call arguments and source places; no libcst, no TensorFlow."""

from __future__ import annotations

from dataclasses import dataclass

ValueId = str
LayerId = str


@dataclass(frozen=True)
class Loc:
    """Where a construct stands in the source file (1-based line, 1-based column)."""

    line: int
    col: int


@dataclass(frozen=True)
class Code:
    """A source expression kept as written.

    ``refs`` pairs each placeholder identifier that occurs in ``text`` with the
    tensor it stands for.  An expression that reads no tensor has no refs.
    """

    text: str
    refs: tuple[tuple[str, ValueId], ...] = ()

    @property
    def values(self) -> tuple[ValueId, ...]:
        return tuple(value for _, value in self.refs)


@dataclass(frozen=True)
class Arg:
    """One argument of a call: ``keyword=value``, positional, ``*value`` or ``**value``."""

    value: Code
    keyword: str | None = None
    star: str = ""


PLACEHOLDER_PREFIX = "_kc_"


def placeholder(value: ValueId) -> str:
    """The identifier that stands for ``value`` inside a ``Code`` until it is named."""
    return PLACEHOLDER_PREFIX + value


def ref(value: ValueId) -> Code:
    """A ``Code`` that is just the tensor ``value``."""
    return Code(placeholder(value), ((placeholder(value), value),))


def render_args(args: tuple[Arg, ...]) -> str:
    """Arguments as source text, before any placeholder is renamed."""
    parts = []
    for arg in args:
        prefix = f"{arg.keyword}=" if arg.keyword else arg.star
        parts.append(prefix + arg.value.text)
    return ", ".join(parts)
