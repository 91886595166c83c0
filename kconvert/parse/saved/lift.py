"""A saved model's config lifted into the IR, nested models first.

The result is the list of models the written module defines, in the order it
defines them: each nested model as a module-level variable (kept in the style
it was saved in), the saved model last.  A model of the user's own class
cannot be looked into: it becomes a call of that class with its config.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.graph import Graph
from ...types import Style
from .functional import lift_functional
from .layers import config_of, is_model, layer_name
from .names import identifier, is_generated
from .problems import SavedModelProblem
from .sequential import lift_sequential
from .values import Custom, Customs, arguments, call_arguments, callee_of

KERAS_2_HINT = "load it with Keras 3 (keras.models.load_model) and save it again as .keras, then convert that"


@dataclass(frozen=True)
class Part:
    """One model the module defines: an IR graph in the style it was saved in, or a class call."""

    variable: str
    style: Style
    graph: Graph | None = None
    call: str | None = None  # a model of the user's own class: ``MyModel(units=64)``
    # The graph with its repeated blocks folded into helper blocks (the graph itself when none repeat).
    folded: Graph | None = None


@dataclass(frozen=True)
class Lifted:
    parts: tuple[Part, ...]  # nested models first, the saved model last
    customs: tuple[Custom, ...]


def lift(config: object, keras_version: str | None, variable: str) -> Lifted:
    if keras_version is not None and keras_version.startswith(("1.", "2.")):
        raise SavedModelProblem(f"this model was saved by Keras {keras_version} (tf.keras 2.x)", KERAS_2_HINT)
    entry = model_entry(config)
    lifter = _Lifter({variable, "keras"})
    main = lifter.part(entry, variable)
    return Lifted((*lifter.parts, main), tuple(lifter.customs.found.values()))


def model_entry(config: object) -> dict:
    """The ``{"class_name": ..., "config": ...}`` of the model; a bare ``get_config()`` is wrapped."""
    if isinstance(config, dict) and "class_name" in config and "config" in config:
        if isinstance(config.get("keras_version"), str) and config["keras_version"].startswith(("1.", "2.")):
            raise SavedModelProblem(f"this model was saved by Keras {config['keras_version']} (tf.keras 2.x)", KERAS_2_HINT)
        return config
    if isinstance(config, dict) and isinstance(config.get("layers"), list):
        return {"class_name": "Functional" if "input_layers" in config else "Sequential", "config": config}
    raise SavedModelProblem(
        "this JSON is not a Keras model config (no class_name and config, no list of layers)",
        "give a file written by model.save(), model.to_json() or json.dump(model.get_config(), ...)",
    )


class _Lifter:
    def __init__(self, taken: set[str]) -> None:
        self.customs = Customs()
        self.parts: list[Part] = []
        self.taken = set(taken)

    def part(self, entry: dict, variable: str) -> Part:
        config = config_of(entry)
        _refuse_keras_2(config)
        if entry["class_name"] == "Sequential" and is_model(entry):
            return Part(variable, Style.SEQUENTIAL, lift_sequential(config, self.customs, self.nested))
        if is_model(entry):
            graph, folded = lift_functional(config, self.customs, self.nested, self.reserve)
            return Part(variable, Style.FUNCTIONAL, graph, folded=folded)
        callee, public = callee_of(entry, self.customs)
        if public is not None:
            raise SavedModelProblem(f"this file holds a `{entry['class_name']}`, not a model", "give a saved model")
        pairs = arguments(config, None, entry["class_name"], self.customs)
        return Part(variable, Style.SUBCLASS, call=f"{callee}({call_arguments(pairs)})")

    def nested(self, entry: dict) -> str:
        """Writes a nested model as its own variable; returns the variable."""
        name = layer_name(entry)
        variable = self.reserve(identifier(name) if not is_generated(name, entry["class_name"]) else "block")
        self.parts.append(self.part(entry, variable))
        return variable

    def reserve(self, base: str) -> str:
        """A module-level name no other model, layer variable or import of the module has."""
        variable, number = base, 0
        while variable in self.taken:
            number += 1
            variable = f"{base}_{number}"
        self.taken.add(variable)
        return variable


def _refuse_keras_2(config: dict) -> None:
    """Keras 2 wrote calls as nested lists and inputs with ``batch_input_shape``; Keras 3 reads neither here."""
    layers = config.get("layers")
    for entry in layers if isinstance(layers, list) else []:
        layer = entry.get("config") if isinstance(entry, dict) else None
        nodes = entry.get("inbound_nodes") if isinstance(entry, dict) else None
        old_calls = isinstance(nodes, list) and any(isinstance(node, list) for node in nodes)
        if old_calls or (isinstance(layer, dict) and "batch_input_shape" in layer and "batch_shape" not in layer):
            raise SavedModelProblem("this config was written by Keras 2 (tf.keras 2.x)", KERAS_2_HINT)
