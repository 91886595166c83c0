"""Models made in a loop's body and in an ``if``'s ``else`` (fixture ``models_in_compound_blocks``).

The verifier builds a file's module-level and builder models only, so this fixture's models,
made once per pass of a ``for`` loop and in each branch of an ``if``, are proven here instead:
each expected file is run as a module, and every model it makes must have the original's
parameter count and, given the original's weights, its outputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CASE = Path(__file__).parent / "fixtures" / "models_in_compound_blocks"


def _models(name: str, wide: bool) -> list:
    """The ensemble's members, then the model the flag chose, as the file makes them."""
    text = (CASE / name).read_text()
    assert "wide = False" in text
    space = {"__name__": "model"}
    exec(compile(text.replace("wide = False", f"wide = {wide}"), name, "exec"), space)
    return [*space["ensemble"], space["model"]]


@pytest.mark.tensorflow
@pytest.mark.parametrize("wide", [False, True], ids=["else", "if"])
@pytest.mark.parametrize("name", ["functional.py", "to_subclass.py", "to_functional_subclass.py"])
def test_every_model_is_the_original_one(name: str, wide: bool) -> None:
    import numpy as np

    original, converted = _models("sequential.py", wide), _models(name, wide)
    assert len(converted) == len(original) == 3
    data = np.random.default_rng(0).normal(size=(4, 7)).astype("float32")
    for before, after in zip(original, converted):
        assert after.count_params() == before.count_params()
        after.set_weights(before.get_weights())
        np.testing.assert_allclose(np.asarray(after(data)), np.asarray(before(data)), rtol=1e-6)
