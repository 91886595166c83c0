"""A seeded forward pass in training mode, in both models, and where it parts.

Inference hides what Dropout, noise layers and BatchNormalization do while a
model trains, and the ``training`` branches of custom layers. This pass runs
after the inference pass has paired the layers and copied the weights, so the
two models hold the same weights; what must also be the same is randomness:

* every ``SeedGenerator`` of a converted layer (Dropout's, a noise layer's, a
  VAE's sampling layer's) is set to the state of its paired original layer's,
  since layers draw their seeds in creation order, which differs between styles;
* the global seeds (Python, NumPy, TensorFlow and Keras' global generator,
  used by ``keras.random.normal(...)`` without a seed or ``tf.random.normal``)
  are set before each model's pass (``seeds.reseed``).

The converted layer's k-th call is compared with its paired layer's k-th call,
in the converted model's call order; the first that differs is named.

A model none of whose layers reads a ``training`` argument computes the same in
both modes (``depends_on_training``); the pass is then skipped, which keeps a
plain MLP's verification as cheap as before.
"""

from __future__ import annotations

import dis
import inspect
from dataclasses import dataclass
from typing import Any, Callable

from .compare import Found, Tolerance, close, compare_calls
from .match import Matcher
from .trace import Call, Pass, generators

Runner = Callable[
    [int], Pass
]  # runs side 0 (original) or 1 (converted) in training mode


@dataclass(frozen=True)
class Training:
    max_abs_diff: float | None
    same: bool
    found: Found | None  # the first call that differs, indexes of the inference pass


def training_pass(matcher: Matcher, run: Runner, tol: Tolerance) -> Training:
    """Run both models in training mode with the same randomness and compare them."""
    counterpart = _counterparts(matcher)
    states = [
        (theirs, [g.state.numpy() for g in generators(original)])
        for theirs, original in counterpart.values()
    ]
    pass_o = run(0)
    for converted, values in states:
        for generator, value in zip(generators(converted), values):
            if tuple(generator.state.shape) == value.shape:
                generator.state.assign(value)
    pass_c = run(1)
    same, biggest = close(pass_c.outputs, pass_o.outputs, tol)
    found = (
        None if same else _first_difference(matcher, counterpart, pass_o, pass_c, tol)
    )
    return Training(biggest, same, found)


def depends_on_training(model: Any) -> bool:
    """Whether some layer of ``model`` (or the model itself) reads a ``training`` argument.

    Keras' own containers (Functional, Sequential) only pass it on to their
    layers, which are looked at one by one. Taking the argument is not enough:
    ``Dense.call`` takes it and ignores it, and so does many a generated
    ``call(self, inputs, training=None)``. A call of the user's with ``**kwargs``
    may read it from there, so it counts.
    """
    for layer in model._flatten_layers(include_self=True, recursive=True):
        call = inspect.unwrap(type(layer).call)
        module = getattr(call, "__module__", "") or ""
        if module.startswith("keras.src.models."):
            continue
        code = getattr(call, "__code__", None)
        keywords = code is not None and code.co_flags & inspect.CO_VARKEYWORDS
        if _reads(call, "training") or (keywords and not module.startswith("keras.")):
            return True
    return False


def _reads(function: Any, name: str) -> bool:
    """Whether ``function``'s body reads its local ``name`` (conservative: True if unsure)."""
    code = getattr(function, "__code__", None)
    if code is None or name in code.co_cellvars:  # an inner function reads it
        return True
    for instruction in dis.get_instructions(code):
        if instruction.opname.startswith("LOAD_FAST"):
            value = instruction.argval  # a pair of names for LOAD_FAST_LOAD_FAST
            if name in (value if isinstance(value, tuple) else (value,)):
                return True
    return False


def _counterparts(matcher: Matcher) -> dict[int, tuple[Any, Any]]:
    """id(converted layer) -> (converted layer, its paired original layer)."""
    found = {}
    for index, paired in {**matcher.loose, **matcher.pairs}.items():
        converted = matcher.calls[index].layer
        found.setdefault(id(converted), (converted, matcher.graph.calls[paired].layer))
    return found


def _first_difference(
    matcher: Matcher,
    counterpart: dict[int, tuple[Any, Any]],
    pass_o: Pass,
    pass_c: Pass,
    tol: Tolerance,
) -> Found | None:
    seen: dict[int, int] = {}
    for call in pass_c.calls:
        pair = counterpart.get(id(call.layer))
        if pair is None:
            continue  # a weightless call paired with nothing (`x + y`): outputs tell
        nth = seen[id(call.layer)] = seen.get(id(call.layer), -1) + 1
        original = _nth_call(pass_o.calls, pair[1], nth)
        if original is None:
            continue
        found = compare_calls(original, call, tol, " in training mode")
        if found is not None:
            # Name the calls as the inference pass (and so the report's rows) counts them.
            return Found(
                found.reason,
                _index(_nth_call(matcher.graph.calls, pair[1], nth)),
                _index(_nth_call(matcher.calls, call.layer, nth)),
                found.max_abs_diff,
            )
    return None


def _nth_call(calls: list[Call], layer: Any, nth: int) -> Call | None:
    mine = [call for call in calls if call.layer is layer]
    return mine[nth] if nth < len(mine) else None


def _index(call: Call | None) -> int | None:
    return call.index if call is not None else None
