"""One forward pass that records the model's direct layer calls as a dataflow graph.

``model.layers`` is attribute order for a subclassed model, not the order layers
run in, so calls are recorded as they happen: ``Layer.__call__`` is wrapped for
one pass and a call depth is kept. Depth 1 is the model itself, depth 2 its direct
children; deeper calls (inside a nested model or a custom layer) belong to their
depth-2 parent, so a nested model counts as one unit. A block (``is_block``: a
Layer class of the user's own that only holds and calls other layers, as a
helper function written as a class) is looked through: its calls are recorded
instead of it, so a block compares with the same layers called by a helper
function. A shared layer appears once per call. Symbolic calls (Keras building a model by tracing it) are not recorded.

Each call also records the identity (``id``) of every tensor it reads and
writes, so ``graph`` can tell which call feeds which, and a model input from a
tensor made by an operation between calls (``x + y``). Every tensor seen stays
referenced until the pass ends, so an ``id`` is never reused within one pass.
An optional observer sees each call just before and just after it runs: the
matcher uses that to copy weights into a layer before it computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import keras
import numpy as np
import tensorflow as tf

# Arguments that steer a call rather than feed it data.
_CONTROL_ARGUMENTS = frozenset({"training", "mask"})


@dataclass
class Call:
    index: int  # position in call order
    layer: Any
    inputs: list[np.ndarray]
    sources: list[int]  # id() of each input tensor, parallel to ``inputs``
    outputs: list[np.ndarray] = field(default_factory=list)
    results: list[int] = field(default_factory=list)  # id() of each output tensor


@dataclass
class Pass:
    """What one forward pass computed: flat model inputs and outputs, and the calls."""

    inputs: list[np.ndarray]
    input_ids: list[int]
    outputs: list[np.ndarray]
    output_ids: list[int]
    calls: list[Call]


class Observer(Protocol):
    def begin(self, input_ids: list[int]) -> None: ...

    def before(self, call: Call) -> None: ...

    def after(self, call: Call) -> None: ...


def run(
    model: Any, inputs: Any, observer: Observer | None = None, training: bool = False
) -> Pass:
    """Call ``model`` on ``inputs`` (in inference mode by default), recording its direct calls."""
    # Tensors, not numpy arrays, so that the model's first layers see these objects.
    inputs = keras.tree.map_structure(tf.convert_to_tensor, inputs)
    given = _tensors(inputs)
    if observer is not None:
        observer.begin([id(t) for t in given])
    calls: list[Call] = []
    alive: list[Any] = [inputs]  # keeps every recorded tensor's id unique
    # One entry per open call below the model: whether it is a block, looked through.
    open_calls: list[bool] = []
    original = keras.layers.Layer.__call__

    def traced(layer: Any, *args: Any, **kwargs: Any) -> Any:
        block = layer is not model and is_block(layer)
        recorded = len(open_calls) >= 1 and all(open_calls[1:]) and not block
        open_calls.append(block)
        try:
            if not recorded or _symbolic(args):
                return original(layer, *args, **kwargs)
            data = [
                args,
                {k: v for k, v in kwargs.items() if k not in _CONTROL_ARGUMENTS},
            ]
            leaves = _tensors(data)
            call = Call(len(calls), layer, _numpy(leaves), [id(t) for t in leaves])
            calls.append(call)  # appended before running, so the list is in call order
            if observer is not None:
                observer.before(call)
            result = original(layer, *args, **kwargs)
            produced = _tensors(result)
            call.outputs, call.results = _numpy(produced), [id(t) for t in produced]
            alive.append((leaves, produced))
            if observer is not None:
                observer.after(call)
            return result
        finally:
            open_calls.pop()

    keras.layers.Layer.__call__ = traced
    try:
        outputs = _tensors(model(inputs, training=training))
    finally:
        keras.layers.Layer.__call__ = original
    return Pass(
        _numpy(given),
        [id(t) for t in given],
        _numpy(outputs),
        [id(t) for t in outputs],
        calls,
    )


def is_block(layer: Any) -> bool:
    """A built Layer of a class of the user's own (not a model) whose weights are all its
    sublayers': what the layers inside compute is all it computes."""
    if isinstance(layer, keras.Model) or type(layer).__module__.split(".")[0] in ("keras", "tf_keras", "tensorflow"):
        return False
    own = getattr(layer, "_trainable_variables", None), getattr(layer, "_non_trainable_variables", None)
    if not layer.built or own[0] is None or own[0] or own[1]:
        return False
    return bool(layer._flatten_layers(include_self=False, recursive=False))


def reset_states(model: Any) -> None:
    """Forget what stateful RNNs and seeded random generators carried over from earlier passes.

    A layer that draws noise from its own ``SeedGenerator`` (a VAE's sampling
    layer) gives the same numbers in both models only if both generators start
    the pass from the same state; how often each was called while building
    differs between styles.
    """
    for layer in model._flatten_layers(include_self=False):
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_state"):
            layer.reset_state()
    for generator in generators(model):
        if generator._initial_seed is not None:
            start = [generator._initial_seed, 0]
            generator.state.assign(
                keras.ops.convert_to_tensor(start, dtype=generator.state.dtype)
            )


def generators(layer: Any) -> list[Any]:
    """The ``SeedGenerator``s of ``layer`` and of the layers inside it, in a fixed order."""
    return [
        generator
        for inner in layer._flatten_layers(include_self=True)
        for generator in getattr(inner, "_seed_generators", ())
    ]


def _symbolic(args: Any) -> bool:
    # A subclassed model's first call builds it by tracing ``call`` in a graph (or on
    # KerasTensors); those calls carry no values and are not part of the pass.
    if not tf.executing_eagerly():
        return True
    return any(isinstance(leaf, keras.KerasTensor) for leaf in keras.tree.flatten(args))


def _tensors(structure: Any) -> list[Any]:
    """The tensors of a nested structure, in keras.tree order."""
    return [
        leaf
        for leaf in keras.tree.flatten(structure)
        if keras.ops.is_tensor(leaf) or isinstance(leaf, np.ndarray)
    ]


def _numpy(tensors: list[Any]) -> list[np.ndarray]:
    return [np.asarray(keras.ops.convert_to_numpy(t)) for t in tensors]
