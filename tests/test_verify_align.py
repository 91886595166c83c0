"""The call alignment behind weight matching and first-difference search (no TensorFlow)."""

from __future__ import annotations

import pytest

from kconvert.verify.worker.align import align


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("D D", "D D", [("equal", 0, 1, 0, 1), ("equal", 1, 2, 1, 2)]),
        (
            "D D Add D",
            "D D D",
            [
                ("equal", 0, 1, 0, 1),
                ("equal", 1, 2, 1, 2),
                ("delete", 2, 3, 2, 2),
                ("equal", 3, 4, 2, 3),
            ],
        ),
        ("D", "D Act", [("equal", 0, 1, 0, 1), ("insert", 1, 1, 1, 2)]),
        ("D BN", "D Act", [("equal", 0, 1, 0, 1), ("replace", 1, 2, 1, 2)]),
        ("", "D", [("insert", 0, 0, 0, 1)]),
    ],
)
def test_opcodes(a: str, b: str, expected: list) -> None:
    assert align(a.split(), b.split()) == expected


def test_swapped_layers_stay_near_the_diagonal() -> None:
    # difflib would pair the last four calls of one with the first four of the other.
    opcodes = align("D BN A D BN A D".split(), "D A BN D BN A D".split())
    equal = [(i1, j1) for tag, i1, _, j1, _ in opcodes if tag == "equal"]
    assert len(equal) == 6
    assert all(abs(i - j) <= 1 for i, j in equal)
