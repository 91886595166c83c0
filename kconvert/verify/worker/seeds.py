"""Every global random seed set the same way before each build and each pass, cheaply.

``keras.utils.set_random_seed`` sets Python's, NumPy's, TensorFlow's and Keras'
global seeds, but TensorFlow's part also empties its kernel cache (so that a
stateful random kernel restarts its stream), and every operation of the next
model then pays to rebuild its kernel: about 30 ms a call, three times the
cost of verifying a small model. That is only needed when TensorFlow's own
random operations (``tf.random.normal`` without a seed) ran since the last
reseed, which shows as TensorFlow having handed out operation seeds, or when
NumPy's global generator drew: Keras 2's ``backend.random_normal`` (a VAE's
sampling layer) takes its operation seed from it, and a kernel cached for that
seed would go on with its stream, so the same model would differ from itself.
Otherwise the cheap seeds are set here, and TensorFlow's is left at the state it had.
"""

from __future__ import annotations

import functools
import random
from typing import Any

import keras
import numpy as np

try:  # private: without them, reseed always takes Keras' own, slower way
    from keras.src.backend.common import global_state
    from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
    from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED
    from tensorflow.python.eager import context
except ImportError:
    context = None  # type: ignore[assignment]

SEED = 1234  # one seed everywhere: reseeding to another would take the slow way


def reseed(seed: int = SEED) -> None:
    """Python, NumPy, TensorFlow and Keras' global generator, all from ``seed``."""
    if context is None or not _tensorflow_untouched(context.context(), seed) or _numpy_drawn(seed):
        keras.utils.set_random_seed(seed)
        return
    random.seed(seed)
    np.random.seed(seed)
    global_state.set_global_attribute(GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, None)  # made anew from it


def _tensorflow_untouched(eager: Any, seed: int) -> bool:
    """TensorFlow's eager seed is ``seed`` and no operation seed was drawn from it."""
    rng = getattr(eager, "_rng", None)
    return (
        getattr(eager, "_seed", None) == seed
        and rng is not None
        and rng.getstate() == _fresh_state(seed)
    )


@functools.lru_cache(maxsize=4)
def _fresh_state(seed: int) -> Any:
    return random.Random(seed).getstate()


def _numpy_drawn(seed: int) -> bool:
    """NumPy's global generator is not where seeding it with ``seed`` leaves it."""
    state, fresh = np.random.get_state(), _fresh_numpy_state(seed)
    return state[2:] != fresh[2:] or not np.array_equal(state[1], fresh[1])


@functools.lru_cache(maxsize=4)
def _fresh_numpy_state(seed: int) -> Any:
    return np.random.RandomState(seed).get_state()
