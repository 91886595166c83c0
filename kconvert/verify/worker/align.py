"""Aligning two sequences of layer calls: a longest common subsequence as opcodes.

difflib's SequenceMatcher is not used: it pairs the longest contiguous block first,
which lands far off the diagonal when two layers merely swap places
(``Dense BN ReLU Dense`` against ``Dense ReLU BN Dense`` would align the last four
calls of one with the first four of the other). Pure Python, no TensorFlow.
"""

from __future__ import annotations

from typing import Any, Sequence

Opcode = tuple[str, int, int, int, int]  # (tag, i1, i2, j1, j2), as difflib's


def align(a: Sequence[Any], b: Sequence[Any]) -> list[Opcode]:
    """difflib-style opcodes (equal/replace/delete/insert) of a longest common subsequence."""
    # longest[i][j]: length of the longest common subsequence of a[i:] and b[j:]
    longest = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            longest[i][j] = (
                longest[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(longest[i + 1][j], longest[i][j + 1])
            )
    opcodes: list[Opcode] = []
    i = j = 0
    gap = (0, 0)
    while i < len(a) or j < len(b):
        if (
            i < len(a)
            and j < len(b)
            and a[i] == b[j]
            and longest[i][j] == longest[i + 1][j + 1] + 1
        ):
            _close_gap(opcodes, gap, (i, j))
            opcodes.append(("equal", i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
            gap = (i, j)
        elif j == len(b) or (i < len(a) and longest[i + 1][j] >= longest[i][j + 1]):
            i += 1
        else:
            j += 1
    _close_gap(opcodes, gap, (i, j))
    return opcodes


def _close_gap(
    opcodes: list[Opcode],
    start: tuple[int, int],
    end: tuple[int, int],
) -> None:
    (i1, j1), (i2, j2) = start, end
    if i2 > i1 or j2 > j1:
        tag = "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
        opcodes.append((tag, i1, i2, j1, j2))
