"""One forward pass that records the model's direct layer calls, in call order.

``model.layers`` is attribute order for a subclassed model, not the order layers
run in, so the order is recorded instead: ``Layer.__call__`` is wrapped for one
pass and a call depth is kept. Depth 1 is the model itself, depth 2 its direct
children; deeper calls (inside a nested model or a custom layer) belong to their
depth-2 parent, so a nested model counts as one unit. A shared layer appears once
per call. Symbolic calls (Keras building a model by tracing it) are not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import tensorflow as tf

# Arguments that steer a call rather than feed it data.
_CONTROL_ARGUMENTS = frozenset({"training", "mask"})


@dataclass
class Call:
    layer: Any
    inputs: list[np.ndarray]
    outputs: list[np.ndarray] = field(default_factory=list)


def run(model: Any, inputs: Any) -> tuple[list[np.ndarray], list[Call]]:
    """Call ``model`` on ``inputs`` in inference mode; its flat outputs and direct calls."""
    calls: list[Call] = []
    depth = 0
    original = keras.layers.Layer.__call__

    def traced(layer: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal depth
        depth += 1
        try:
            if depth != 2 or _symbolic(args):
                return original(layer, *args, **kwargs)
            data = [
                args,
                {k: v for k, v in kwargs.items() if k not in _CONTROL_ARGUMENTS},
            ]
            call = Call(layer, arrays(data))
            calls.append(call)  # appended before running, so the list is in call order
            result = original(layer, *args, **kwargs)
            call.outputs = arrays(result)
            return result
        finally:
            depth -= 1

    keras.layers.Layer.__call__ = traced
    try:
        outputs = model(inputs, training=False)
    finally:
        keras.layers.Layer.__call__ = original
    return arrays(outputs), calls


def _symbolic(args: Any) -> bool:
    # A subclassed model's first call builds it by tracing ``call`` in a graph (or on
    # KerasTensors); those calls carry no values and are not part of the pass.
    if not tf.executing_eagerly():
        return True
    return any(isinstance(leaf, keras.KerasTensor) for leaf in keras.tree.flatten(args))


def arrays(structure: Any) -> list[np.ndarray]:
    """The tensors of a nested structure, as numpy arrays, in keras.tree order."""
    return [
        np.asarray(keras.ops.convert_to_numpy(leaf))
        for leaf in keras.tree.flatten(structure)
        if keras.ops.is_tensor(leaf) or isinstance(leaf, np.ndarray)
    ]
