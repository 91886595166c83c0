"""Models made in a loop's body and in an ``if``'s ``else`` (fixture ``models_in_compound_blocks``).

The verifier builds a file's module-level and builder models only, so this fixture's models,
made once per pass of a ``for`` loop and in each branch of an ``if``, are proven here instead:
each expected file is run as a module, and every model it makes must have the original's
parameter count and, given the original's weights, its outputs, and building and calling them
raises no Keras warning the original does not (as ``test_no_warnings.py`` asks of the others).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

CASE = Path(__file__).parent / "fixtures" / "models_in_compound_blocks"


def _models(name: str, wide: bool, data) -> tuple[list, set[str]]:
    """The ensemble's members, then the model the flag chose, as the file makes them, each called
    on ``data``; and the Keras warnings making and calling them raised."""
    text = (CASE / name).read_text()
    assert "wide = False" in text
    space = {"__name__": "model"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(text.replace("wide = False", f"wide = {wide}"), name, "exec"), space)
        models = [*space["ensemble"], space["model"]]
        for model in models:
            model(data)
    return models, {str(warning.message) for warning in caught if "keras" in warning.filename}


@pytest.mark.tensorflow
@pytest.mark.parametrize("wide", [False, True], ids=["else", "if"])
@pytest.mark.parametrize("name", ["functional.py", "to_subclass.py", "to_functional_subclass.py"])
def test_every_model_is_the_original_one(name: str, wide: bool) -> None:
    import numpy as np

    data = np.random.default_rng(0).normal(size=(4, 7)).astype("float32")
    (original, known), (converted, raised) = _models("sequential.py", wide, data), _models(name, wide, data)
    assert raised <= known
    assert len(converted) == len(original) == 3
    for before, after in zip(original, converted):
        assert after.count_params() == before.count_params()
        after.set_weights(before.get_weights())
        np.testing.assert_allclose(np.asarray(after(data)), np.asarray(before(data)), rtol=1e-6)
