"""Python names from the names Keras gave layers and models.

Keras names an unnamed layer after its class (``Conv2D`` → ``conv2d``,
``conv2d_3``); such a name says nothing a reader needs, so it is neither
passed as ``name=`` nor used for a variable.  Every other name is kept.
"""

from __future__ import annotations

import keyword
import re

GENERATED_MODELS = ("sequential", "functional", "model")
GENERATED_INPUTS = ("input_layer", "input")


def snake(class_name: str) -> str:
    """``BatchNormalization`` → ``batch_normalization``, as Keras names layers."""
    words = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()


def is_generated(name: object, class_name: str) -> bool:
    if not isinstance(name, str):
        return False
    stems = {snake(class_name)}
    if class_name == "InputLayer":
        stems.update(GENERATED_INPUTS)
    if class_name in ("Sequential", "Functional", "Model"):
        stems.update(GENERATED_MODELS)
    return any(re.fullmatch(re.escape(stem) + r"(_\d+)?", name) for stem in stems)


def identifier(name: str) -> str:
    """A legal, non-keyword identifier that reads like ``name``."""
    text = re.sub(r"\W+", "_", name).strip("_").lower() or "layer"
    if text[0].isdigit():
        text = "_" + text
    return text + "_" if keyword.iskeyword(text) else text
