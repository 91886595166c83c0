"""The tests ``__init__`` writes around a layer made under an ``if``: as a person writes them."""

from __future__ import annotations

import pytest

from kconvert.emit.conditions import conjoin, negate


@pytest.mark.parametrize(
    ("test", "negated"),
    [
        ("stage == 0", "stage != 0"),
        ("(stage == 0)", "stage != 0"),
        ("activation is None", "activation is not None"),
        ("name in skip", "name not in skip"),
        ("not use_bias", "use_bias"),
        ("not (a or b)", "a or b"),
        ("use_bias", "not use_bias"),
        ("self.flags[0]", "not self.flags[0]"),
        # ``not a < b`` is not ``a >= b`` for NaN or sets: kept, bracketed.
        ("a < b", "not (a < b)"),
        ("a == b == c", "not (a == b == c)"),
        ("a or b", "not (a or b)"),
    ],
)
def test_a_test_is_negated_by_its_inverse_operator_where_python_defines_one(test: str, negated: str) -> None:
    assert negate(test) == negated


def test_tests_are_joined_with_brackets_only_where_and_would_split_them() -> None:
    assert conjoin(("stack > 0", "block == 0")) == "stack > 0 and block == 0"
    assert conjoin(("a or b", "not c", "d and e")) == "(a or b) and not c and d and e"
    assert conjoin(("a or b",)) == "a or b"
    # Alone, it is the test of ``Dense(4) if <test> else None``.
    assert conjoin(("x if y else z",)) == "(x if y else z)"
