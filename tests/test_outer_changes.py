"""A class runs the model's code each time it is made, and Keras makes it again to load or clone
the model: code that changes a module's list in place (``STAGES.pop(0)``) is refused to a class
(emit/outer_changes.py), where module code ran it once; a list the model's own code makes is its
own.  The block class that works on a copy is in tests/fixtures/helper_pops_its_list."""

from __future__ import annotations

from converting import C, S, convert, refusal
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

POPPED = """\
import keras
from keras import layers

STAGES = [8, 16, 32]

inputs = keras.Input(shape=(4,))
first = STAGES.pop(0)
x = layers.Dense(first)(inputs)
for width in STAGES:
    x = layers.Dense(width)(x)
model = keras.Model(inputs, x)
"""


def test_changing_a_module_list_in_place_is_refused_to_a_class() -> None:
    for target, style in ((C, "subclass"), (FS, "functional-subclass")):
        assert refusal(POPPED, target) == [
            "m.py:7:1: error: this changes `STAGES`, a value of the module, in place: as a"
            f" {style}, the model's class runs it each time it is made, and Keras makes it again to"
            " load or clone the model (hint: work on a copy (`STAGES.copy()`), or keep this model"
            " Functional)"
        ]


def test_a_list_of_the_models_own_code_is_its_own() -> None:
    own = POPPED.replace("first = STAGES.pop(0)", "stages = list(STAGES)\nfirst = stages.pop(0)").replace(
        "for width in STAGES:", "for width in stages:"
    )
    out = convert(own, C)
    assert "        stages = list(STAGES)\n        first = stages.pop(0)\n" in out, out


def test_sequential_code_runs_once_where_it_stands() -> None:
    assert "first = STAGES.pop(0)\n" in convert(POPPED, S)


def test_an_item_of_a_module_value_changed_in_place_is_refused_too() -> None:
    # ResNet v2 passes ``groups[50]`` of a dict of stage lists to a helper that pops it.
    by_depth = POPPED.replace("STAGES = [8, 16, 32]", "STAGES = {50: [8, 16, 32]}").replace(
        "STAGES.pop(0)", "STAGES[50].pop(0)"
    ).replace("for width in STAGES:", "for width in STAGES[50]:")
    assert "this changes `STAGES`, a value of the module, in place" in refusal(by_depth, FS)[0]
