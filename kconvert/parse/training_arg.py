"""``training`` passed as a layer's positional argument: ``self.drop6(h, training)``.

TF2 tutorials pass the flag positionally to layers whose ``call(inputs, training=None)`` takes it
second. Keras 3 refuses that when the layer runs ("Only input tensors may be passed as positional
arguments"), so the model does not run as written; refused where it stands, with the keyword
spelling, which converts (``training=training`` is what a graph model passes itself), rather than
as a use of ``training`` in call().
"""

from __future__ import annotations

import libcst as cst

from .builder import Refusal, refuse
from .source import SourceFile
from .subclass.constructor import self_attribute


def positional_flag(src: SourceFile, call: cst.Call, flags: set[str], layers: set[str]) -> Refusal | None:
    """Why ``self.<layer>(x, training)`` cannot be converted as written, or None."""
    attr = self_attribute(call.func)
    if "training" not in flags or attr is None or attr not in layers:
        return None
    for arg in call.args[1:]:
        # A mask is a tensor, which Keras 3 takes positionally; the training flag is a bool or None.
        if arg.keyword is None and not arg.star and isinstance(arg.value, cst.Name) and arg.value.value == "training":
            return refuse(
                src.loc(arg),
                f"`training` is passed to `self.{attr}` as a positional argument, which Keras 3 refuses"
                " (only input tensors may be positional)",
                "pass it as `training=training`",
            )
    return None
