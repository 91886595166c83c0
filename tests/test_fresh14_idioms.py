"""Idioms of real model code found by session 14's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh14"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S = Style.FUNCTIONAL, Style.SEQUENTIAL

# A tutorial script: the Sequential model first, then "the same model with the functional API",
# whose imports of `Input` and `Model` come only with that second half.
IMPORTED_FURTHER_DOWN = """\
from keras.models import Sequential
from keras.layers import Dense

seq = Sequential()
seq.add(Dense(4, activation="relu", input_shape=(8,)))
seq.add(Dense(1))

from keras.layers import Input
from keras.models import Model

inp = Input(shape=(8,))
out = Dense(1)(Dense(4, activation="relu")(inp))
graph = Model(inputs=inp, outputs=out)
"""


def test_graph_code_among_a_script_refuses_names_imported_below_it() -> None:
    # Before, the Sequential became `Input(...)`/`Model(...)` code above the lines that import
    # them, and the safety check caught kconvert's own output (a NameError as written).
    assert refusal(IMPORTED_FURTHER_DOWN, F) == [
        "m.py:8:1: error: `Input` is bound only here, after `seq`; the functional code written there"
        " reads `Input` as it runs (hint: move this import to the top of the file, above `seq`)"
    ]


def test_graph_code_in_a_builder_reads_its_names_when_called() -> None:
    # A builder function runs after the whole module is imported: a late import is no problem.
    source = IMPORTED_FURTHER_DOWN.replace("seq = Sequential()", "def build():\n    seq = Sequential()")
    source = source.replace("seq.add(Dense(4", "    seq.add(Dense(4").replace("seq.add(Dense(1))", "    seq.add(Dense(1))\n    return seq")
    assert "inputs = Input(shape=(8,))" in convert(source, F)


def test_a_sequential_target_reads_only_what_the_top_binds() -> None:
    # `graph` to Sequential needs only `Sequential`, imported at the top.
    assert "graph = Sequential(" in convert(IMPORTED_FURTHER_DOWN, S).replace("\n    ", "")
