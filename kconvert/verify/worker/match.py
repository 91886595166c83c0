"""Pairing the converted model's layer calls with the original's, by dataflow.

Call order cannot pair them: a Functional model runs its layers in depth order, a
subclass in source order, so parallel branches come out in different orders.
Instead the converted model runs once while a ``Matcher`` watches each call
(``trace.Observer``). Starting from the model inputs (paired by position), every
converted tensor is mapped to a tensor of the original's ``Graph``; a call is
paired with an original call of the same class and weight shapes whose inputs
are the same original tensors in the same positions (ties: the same configuration,
then the same layer name, then the earlier call).
Its outputs then map to that call's outputs.

Tensors made by operations between calls (``x + y``) have no producer to pair;
they are mapped by value. That works because the matcher copies the original's
weights into each converted layer the moment it is paired, before it runs, so
a correct conversion computes the original's values all along.

A weighted layer must pair with one layer throughout: a layer shared (called
twice) in one model and two layers in the other is a *problem*, as are weighted
calls without a counterpart. A weighted call whose inputs match nothing still
takes the weights of the first free original call of its class and shapes
(a *loose* pair), so that one wrong wire does not make the rest differ too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import keras

from .graph import Graph
from .summary import kind
from .trace import Call


@dataclass(frozen=True)
class Problem:
    reason: str
    original: int | None  # call indexes
    converted: int | None


@dataclass
class Matcher:
    graph: Graph
    atol: float
    rtol: float
    pairs: dict[int, int] = field(default_factory=dict)  # converted call -> original
    loose: dict[int, int] = field(default_factory=dict)  # same, inputs not matching
    problems: list[Problem] = field(default_factory=list)
    mapped: dict[int, int] = field(default_factory=dict)  # converted tensor -> original
    calls: list[Call] = field(default_factory=list)  # the converted calls seen
    _bound: dict[int, Any] = field(default_factory=dict)  # id(converted layer) -> layer
    _bound_back: dict[int, Any] = field(default_factory=dict)  # and back
    _fresh: set[int] = field(default_factory=set)  # converted calls of unbuilt layers
    _taken: set[int] = field(default_factory=set)  # original calls paired, loosely too
    _keys: list[Any] = field(default_factory=list)  # weight_key of each original call

    def __post_init__(self) -> None:
        self._keys = [weight_key(o.layer) for o in self.graph.calls]

    def begin(self, input_ids: list[int]) -> None:
        if len(input_ids) == len(self.graph.inputs):
            self.mapped.update(zip(input_ids, self.graph.inputs))

    def before(self, call: Call) -> None:
        self.calls.append(call)
        if not call.layer.built:
            # Built after a first pass: the model makes this layer anew as it runs.
            self._fresh.add(call.index)
        sources = [self.tensor(k, v) for k, v in zip(call.sources, call.inputs)]
        key = weight_key(call.layer)
        free = [
            o
            for o in self.graph.calls
            if o.index not in self._taken and self._keys[o.index] == key
        ]
        bound = self._bound.get(id(call.layer))
        exact = [o for o in free if o.sources == sources]
        # A layer paired before goes on with the same layer when it can; sibling layers of one
        # class and shape on the same tensor pair by their configuration (two Reshapes), then
        # by their names (a VAE's z_mean and z_log_var differ in nothing else).
        exact.sort(key=lambda o: (o.layer is not bound, _config(o.layer) != _config(call.layer), o.layer.name != call.layer.name))
        if exact:
            self.pairs[call.index] = exact[0].index
            self._taken.add(exact[0].index)
            self._bind(call, exact[0])
            return
        loose = [o for o in free if self._bindable(call.layer, o.layer)]
        if call.layer.weights and loose:
            self.loose[call.index] = loose[0].index
            self._taken.add(loose[0].index)
            self._bind(call, loose[0])

    def after(self, call: Call) -> None:
        paired = self.pairs.get(call.index)
        if paired is not None and len(call.results) == len(
            self.graph.calls[paired].results
        ):
            self.mapped.update(zip(call.results, self.graph.calls[paired].results))
        else:
            for key, value in zip(call.results, call.outputs):
                self.tensor(key, value)

    def tensor(self, key: int, value: Any) -> int | None:
        """The original tensor a converted one stands for, by identity, else by value."""
        if key not in self.mapped:
            found = self.graph.find(value, self.atol, self.rtol)
            if found is None:
                return None
            self.mapped[key] = found
        return self.mapped[key]

    def finish(self) -> None:
        """Record weighted calls left without a counterpart on either side."""
        for call in self.calls:
            if (
                call.layer.weights
                and call.index not in self.pairs
                and call.index not in self.loose
            ):
                self.problems.append(self._unpaired(call))
        for o in self.graph.calls:
            if o.layer.weights and o.index not in self._taken:
                reason = f"{label(o.layer)} (weights {_shapes(o.layer)}) has no counterpart in converted"
                if id(o.layer) in self._bound_back:
                    reason = f"original calls {label(o.layer)} more often than converted does"
                self.problems.append(Problem(reason, o.index, None))
        # In the converted model's call order; the original's leftovers last.
        self.problems.sort(
            key=lambda p: (p.converted is None, p.converted or 0, p.original or 0)
        )

    def facing(self, call: Call) -> int | None:
        """The original call standing where ``call`` stands: a free reader of its inputs."""
        taken = set(self.pairs.values())
        sources = [self.mapped.get(k) for k in call.sources]
        readers = [i for i in self.graph.readers_of(sources) if i not in taken]
        same = [
            i for i in readers if kind(self.graph.calls[i].layer) == kind(call.layer)
        ]
        return (same or readers or [self.loose.get(call.index)])[0]

    def _bindable(self, converted: Any, original: Any) -> bool:
        return self._bound.get(id(converted), original) is original and (
            self._bound_back.get(id(original), converted) is converted
        )

    def _bind(self, call: Call, original_call: Call) -> None:
        converted, original = call.layer, original_call.layer
        if not converted.weights:
            return  # weightless layers are alike whether shared or not
        if self._bindable(converted, original):
            if id(converted) not in self._bound:
                self._bound[id(converted)], self._bound_back[id(original)] = (
                    original,
                    converted,
                )
                _copy(original, converted, call, self.problems)
            return
        if id(converted) in self._bound:
            reason = (
                f"converted calls {label(converted)} again (one shared layer), "
                f"original calls a separate layer, {label(original)}"
            )
        else:
            reason = (
                f"original calls {label(original)} again (one shared layer), "
                f"converted calls a separate layer, {label(converted)}"
            )
        self.problems.append(Problem(reason, original_call.index, call.index))

    def _unpaired(self, call: Call) -> Problem:
        facing = self.facing(call)
        other = self.graph.calls[facing].layer if facing is not None else None
        if call.index in self._fresh:
            reason = (
                f"converted creates {label(call.layer)} anew each time the model "
                "runs, so its weights cannot be the original's"
            )
            return Problem(reason, facing, call.index)
        if other is not None and kind(other) == kind(call.layer):
            reason = (
                f"{label(other)} has weights {_shapes(other)} in original, "
                f"{label(call.layer)} has {_shapes(call.layer)} in converted"
            )
            return Problem(reason, facing, call.index)
        reason = f"{label(call.layer)} (weights {_shapes(call.layer)}) has no counterpart in original"
        return Problem(reason, facing, call.index)


def label(layer: Any) -> str:
    return f"{kind(layer)} '{layer.name}'"


def weight_key(layer: Any) -> tuple[str, tuple[tuple[int, ...], ...]]:
    if isinstance(layer, keras.Model):
        # A nested model is compared as a unit, whatever style it is written in, and its weights
        # come in its own order: a graph's calls', a subclass's ``__init__``'s.
        return "Model", tuple(sorted(tuple(w.shape) for w in layer.weights))
    return kind(layer), tuple(tuple(w.shape) for w in layer.weights)


def _config(layer: Any) -> dict:
    """The layer's configuration without its name, or {} when it has none to give."""
    try:
        config = dict(layer.get_config())
    except Exception:  # noqa: BLE001 - a user layer without get_config pairs by name and order
        return {}
    config.pop("name", None)
    return config


def _shapes(layer: Any) -> str:
    return ", ".join(str(tuple(w.shape)) for w in layer.weights)


def _copy(original: Any, converted: Any, call: Call, problems: list[Problem]) -> None:
    try:
        if isinstance(original, keras.Model) and isinstance(converted, keras.Model):
            _copy_model(original, converted)
        else:
            converted.set_weights(original.get_weights())
    except ValueError as error:
        reason = f"cannot copy the weights of {label(original)} to {label(converted)}: {error}"
        problems.append(Problem(reason, None, call.index))


def _copy_model(original: Any, converted: Any) -> None:
    """A nested model's weights, layer by layer: each of the original's layers that holds weights
    gives them to the converted model's layer of the same class, weight shapes and configuration,
    in the order each model lists them (a subclass makes a layer it calls last first, when its
    builder made it first: the ACGAN's ``cnn``)."""
    free: dict[Any, list[Any]] = {}
    for layer in _holders(converted):
        free.setdefault(_holder_key(layer), []).append(layer)
    for layer in _holders(original):
        found = free.get(_holder_key(layer))
        if not found:
            raise ValueError(f"{label(layer)} (weights {_shapes(layer)}) has no counterpart")
        found.pop(0).set_weights(layer.get_weights())
    left = [layer for group in free.values() for layer in group]
    if left:
        raise ValueError(f"{label(left[0])} (weights {_shapes(left[0])}) has no counterpart")


def _holders(layer: Any) -> list[Any]:
    """The layers inside ``layer`` that hold weights of their own, depth first, in the order the
    model lists them; a layer Keras does not let us look into holds all of its weights."""
    inner = getattr(layer, "layers", None) if isinstance(layer, keras.Model) else getattr(layer, "_layers", None)
    own = getattr(layer, "_trainable_variables", None)
    if inner is None or own is None:
        return [layer] if layer.weights else []
    found = [layer] if own or layer._non_trainable_variables else []
    for sub in inner:
        found += _holders(sub)
    return found


def _holder_key(layer: Any) -> tuple:
    config = _config(layer) if not isinstance(layer, keras.Model) else {}
    return kind(layer), tuple(tuple(w.shape) for w in layer.weights), repr(sorted(config.items()))
