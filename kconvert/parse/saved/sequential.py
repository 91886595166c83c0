"""A saved ``Sequential`` config as an IR chain: its ``InputLayer`` (or build shape), then each layer."""

from __future__ import annotations

from typing import Callable

from ...ir.graph import Graph
from ...ir.nodes import Call, Input
from ...ir.source_text import Arg, Code, ref
from .layers import NOWHERE, config_of, input_node, input_variable, layer_def
from .model_name import model_keywords
from .problems import SavedModelProblem
from .values import Customs, literal


def lift_sequential(config: dict, customs: Customs, nested: Callable[[dict], str]) -> Graph:
    entries = config.get("layers")
    if not isinstance(entries, list):
        raise SavedModelProblem("this Sequential config has no list of layers")
    if entries and config_of(entries[0]) is not None and entries[0]["class_name"] == "InputLayer":
        first = input_node("v0", entries[0]["config"], customs, input_variable(entries[0]["config"]))
        entries = entries[1:]
    else:
        first = Input("v0", _shape_args(config, customs), NOWHERE)
    body: list = [first]
    layers = []
    current = first.out
    for number, entry in enumerate(entries, start=1):
        config_of(entry)
        if entry["class_name"] == "InputLayer":
            raise SavedModelProblem("this Sequential config has an InputLayer after its first layer")
        layer = layer_def(f"l{number}", entry, customs, nested)
        layers.append(layer)
        out = f"v{number}"
        body.append(Call(out, layer.id, (Arg(ref(current)),), NOWHERE))
        current = out
    if current == first.out:
        raise SavedModelProblem("this Sequential model has no layers", "there is no architecture to write")
    name, extra = model_keywords(config, "Sequential", customs)
    return Graph(tuple(layers), tuple(body), ref(first.out), ref(current), name, extra, NOWHERE)


def _shape_args(config: dict, customs: Customs) -> tuple[Arg, ...]:
    """A Sequential saved before it had an input: its build shape, if Keras recorded one."""
    shape = config.get("build_input_shape")
    if isinstance(shape, list) and len(shape) > 1:
        return (Arg(Code(literal(shape[1:], customs)), "shape"),)
    return ()
