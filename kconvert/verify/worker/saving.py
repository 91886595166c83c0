"""Whether a converted model saves as ``.keras`` and loads back as the same model.

Asked for with ``save`` (``verify_sources(..., save=True)``, ``measure.py judge
--save``), after the pair is found equivalent: every class kconvert writes is
registered and has a ``get_config()``, so ``keras.models.load_model`` must rebuild
it without ``custom_objects``, of the same class, with the same outputs on the
inputs the pair was compared on. The loaded model is called in the same process
that built the converted one, where its classes are registered, as a user's own
module would have registered them by being imported.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import keras

from ..report import LOADS
from .build import describe
from .compare import Tolerance, close
from .seeds import reseed
from .trace import reset_states, run


def save_and_load(model: Any, path: str, inputs: Any, tol: Tolerance) -> str:
    """``LOADS`` when ``model`` survives a save and a load; else what went wrong."""
    with tempfile.TemporaryDirectory() as folder:
        where = os.path.join(folder, "model.keras")
        try:
            model.save(where)
        except Exception as error:
            return f"saving failed: {describe(error, path)}"
        try:
            loaded = keras.models.load_model(where)
        except Exception as error:
            return f"loading failed: {describe(error, path)}"
    if type(loaded) is not type(model):
        return f"loads as {type(loaded).__name__}, not {type(model).__name__}"
    passes = []
    for which in (model, loaded):
        # The model again, not the outputs compared before: a training pass since then
        # has moved BatchNormalization's statistics.
        try:
            reset_states(which)
            reseed()
            passes.append(run(which, inputs).outputs)
        except Exception as error:
            return f"calling the {'loaded' if which is loaded else 'saved'} model failed: {describe(error, path)}"
    same, biggest = close(passes[1], passes[0], tol)
    if biggest is None:
        return "the loaded model's outputs differ in shape"
    if not same:
        return f"the loaded model's outputs differ: max |diff| {biggest:.3g}"
    return LOADS

