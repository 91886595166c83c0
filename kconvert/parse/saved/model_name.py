"""The model's own constructor keywords from its config: ``name=`` unless Keras made it up, ``trainable=False``."""

from __future__ import annotations

from ...ir.source_text import Arg, Code
from .names import is_generated
from .values import Customs, literal


def model_keywords(config: dict, class_name: str, customs: Customs) -> tuple[Code | None, tuple[Arg, ...]]:
    name = config.get("name")
    kept = None if not isinstance(name, str) or is_generated(name, class_name) else Code(literal(name, customs))
    extra = (Arg(Code("False"), "trainable"),) if config.get("trainable") is False else ()
    return kept, extra
