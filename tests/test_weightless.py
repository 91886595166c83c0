"""Each layer kconvert lets a subclass make inside call() has no weights, built in TensorFlow."""

from __future__ import annotations

import pytest

from kconvert.ir.weightless import WEIGHTLESS_LAYERS

# The arguments a layer cannot be made without, by name or by the start of its name.
_ARGUMENTS = {
    "Activation": ("relu",),
    "Adaptive": (2,),
    "AveragePooling": (2,),
    "AvgPool": (2,),
    "CenterCrop": (2, 2),
    "Dot": (-1,),
    "Permute": ((2, 1),),
    "RepeatVector": (2,),
    "Rescaling": (0.5,),
    "Reshape": ((-1,),),
    "Resizing": (2, 2),
    **dict.fromkeys(("AlphaDropout", "Dropout", "GaussianDropout", "GaussianNoise", "SpatialDropout"), (0.5,)),
}
_MERGES = ("Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply", "Subtract")


def _input_shape(name: str) -> tuple[int, ...]:
    """(batch, *spatial, channels) for a layer of rank N (``...2D``, images), else (batch, steps, features)."""
    if name[-2:-1].isdigit() and name.endswith("D"):
        return (2, *(4,) * int(name[-2]), 3)
    return {"RepeatVector": (2, 3), "CenterCrop": (2, 4, 4, 3), "Resizing": (2, 4, 4, 3)}.get(name, (2, 4, 3))


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", sorted(WEIGHTLESS_LAYERS))
def test_the_layer_has_no_weights(name: str) -> None:
    import numpy as np
    from keras import layers

    arguments = next((value for start, value in _ARGUMENTS.items() if name.startswith(start)), ())
    layer = getattr(layers, name)(*arguments)
    x = np.random.default_rng(0).random(_input_shape(name)).astype("float32")
    # The training pass is where a random layer would make what it keeps.
    layer([x, x] if name in _MERGES else x, training=True)
    assert layer.built and not layer.weights
