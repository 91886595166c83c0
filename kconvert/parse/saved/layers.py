"""One saved layer entry as an IR ``LayerDef``, and an ``InputLayer`` as an IR ``Input``."""

from __future__ import annotations

from typing import Callable

from ...ir.nodes import Input, LayerDef
from ...ir.source_text import Arg, Code, Loc
from .names import identifier, is_generated
from .problems import SavedModelProblem
from .values import Customs, arguments, callee_of, literal

MODEL_CLASSES = frozenset({"Sequential", "Functional", "Model"})
# A saved model has no source lines; every node stands at the top of the file.
NOWHERE = Loc(1, 1)


def config_of(entry: object) -> dict:
    if not isinstance(entry, dict) or not isinstance(entry.get("class_name"), str):
        raise SavedModelProblem("the config lists a layer without a class name")
    config = entry.get("config")
    if not isinstance(config, dict):
        raise SavedModelProblem(f"the layer `{entry['class_name']}` has no config mapping")
    return config


def layer_name(entry: dict) -> str:
    name = entry.get("name", config_of(entry).get("name"))
    if not isinstance(name, str):
        raise SavedModelProblem(f"a `{entry['class_name']}` layer has no name in the config")
    return name


def is_model(entry: dict) -> bool:
    return entry["class_name"] in MODEL_CLASSES and str(entry.get("module", "keras")).startswith("keras")


def layer_def(layer_id: str, entry: dict, customs: Customs, nested: Callable[[dict], str]) -> LayerDef:
    """The layer an entry makes; ``nested`` writes a nested model first and returns its variable."""
    config = config_of(entry)
    if is_model(entry):
        variable = nested(entry)
        return LayerDef(layer_id, entry["class_name"], None, (), "external", NOWHERE, variable, Code(variable))
    callee, public = callee_of(entry, customs)
    args = tuple(Arg(Code(text), key) for key, text in arguments(config, public, entry["class_name"], customs))
    return LayerDef(layer_id, entry["class_name"], Code(callee), args, "inline", NOWHERE)


def input_node(value: str, config: dict, customs: Customs, variable: str | None) -> Input:
    """``keras.Input(shape=..., name=...)`` from an ``InputLayer`` config (Keras 3's ``batch_shape``)."""
    batch_shape = config.get("batch_shape")
    if not isinstance(batch_shape, list) or not batch_shape:
        raise SavedModelProblem("an InputLayer of the config has no batch_shape")
    args = [Arg(Code(literal(batch_shape[1:], customs)), "shape")]
    if batch_shape[0] is not None:
        args.append(Arg(Code(literal(batch_shape[0], customs)), "batch_size"))
    if config.get("dtype") not in (None, "float32"):
        args.append(Arg(Code(literal(config["dtype"], customs)), "dtype"))
    for flag in ("sparse", "ragged", "optional"):
        if config.get(flag):
            args.append(Arg(Code("True"), flag))
    name = config.get("name")
    if isinstance(name, str) and not is_generated(name, "InputLayer"):
        args.append(Arg(Code(literal(name, customs)), "name"))
    return Input(value, tuple(args), NOWHERE, variable)


def input_variable(config: dict) -> str | None:
    name = config.get("name")
    return identifier(name) if isinstance(name, str) and not is_generated(name, "InputLayer") else None
