"""Idioms of session 31's fresh real-world files (benchmarks/realworld, ``session = "fresh31"``)."""

from __future__ import annotations

from converting import C, F, convert

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

SPARSE = """\
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.models import Model

x_in = Input(shape=(8,))
a_in = Input((4,), sparse=True)
h = Dense(4)(x_in)
out = Dense(2)([h, a_in])
model = Model(inputs=[x_in, a_in], outputs=out)
"""


def test_inputs_written_one_with_a_keyword_shape_one_with_a_positional_one_compare() -> None:
    # spektral's citation_gat: the safety check sorted the inputs' argument tuples, whose keyword
    # is None for a positional shape: an internal error (TypeError) in every class style.
    for target in (C, FS):
        converted = convert(SPARSE, target)
        assert "Input((4,), sparse=True)" in converted
        assert convert(converted, target) == converted
