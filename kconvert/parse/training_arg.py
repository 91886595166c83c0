"""``training`` passed as a layer's positional argument: ``self.drop6(h, training)``.

TF2 tutorials pass the flag positionally to layers whose ``call(inputs, training=None)`` takes it
second. Keras 3 refuses that when the layer runs ("Only input tensors may be passed as positional
arguments"), so the model does not run as written; refused where it stands, with the keyword
spelling, which converts (``training=training`` is what a graph model passes itself), rather than
as a use of ``training`` in call().

``training=False if training is None else training`` is what a graph's ``training=False`` is in a
subclass (Keras 3's ``Functional`` passes the model's own flag when it has one): read back as it.
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


def graph_flag(arg: cst.Arg, flags: set[str]) -> str | None:
    """``"False"`` for ``training=False if training is None else training``: the flag a graph's
    call holds while the model is called without one; None for any other argument."""
    value = arg.value
    if not (arg.keyword is not None and arg.keyword.value == "training" and "training" in flags):
        return None
    if not (isinstance(value, cst.IfExp) and isinstance(value.body, cst.Name) and value.body.value in ("True", "False")):
        return None
    test = value.test
    is_none = (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == "training"
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Is)
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    )
    if is_none and isinstance(value.orelse, cst.Name) and value.orelse.value == "training":
        return value.body.value
    return None
