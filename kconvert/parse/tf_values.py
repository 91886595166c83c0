"""How a TensorFlow argument's value reads in ``keras.ops``, for ``tf_twins``.

Each reader takes the value as written and gives the ``keras.ops`` value of the same meaning, or
None when the value has none (a layout only known when the code runs, sizes where ``keras.ops``
reads indices): the call is then refused, not rewritten.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import libcst as cst

Values = Callable[[cst.BaseExpression], "cst.BaseExpression | None"]


def spelled(literals: dict[str, str]) -> Values:
    """A string literal spelled apart in ``keras.ops`` (``"NHWC"`` -> ``"channels_last"``)."""

    def mapped(value: cst.BaseExpression) -> cst.BaseExpression | None:
        if not isinstance(value, cst.SimpleString):
            return None
        meaning = literals.get(ast.literal_eval(value.value))
        return None if meaning is None else cst.SimpleString(value.quote + meaning + value.quote)

    return mapped


def integer(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """An int literal, as written."""
    return value if isinstance(value, cst.Integer) else None


def stated(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """Anything but ``None``: ``tf.gather(..., axis=None)`` means axis 0, ``keras.ops.take`` flattens."""
    return None if isinstance(value, cst.Name) and value.value == "None" else value


def sizes(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """An int literal or a list of them: a pooling window, read by ``spatial`` once the layout is known."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return value if all(isinstance(e.value, cst.Integer) for e in value.elements) else None
    return integer(value)


def spatial(window: cst.BaseExpression, rank: int, channels_first: bool) -> cst.BaseExpression | None:
    """``[1, 2, 2, 1]`` -> ``(2, 2)``: TensorFlow's window may list the batch and channel axes too
    (size 1 each), ``keras.ops`` pooling takes the spatial sizes only; ``rank`` 0 when only the
    input knows it (``tf.nn.max_pool``), so only lengths that tell it apart are read."""
    if not isinstance(window, (cst.List, cst.Tuple)):
        return window
    found = [element.value for element in window.elements]
    if len(found) == (rank or 2):
        return window
    if len(found) not in ((rank + 2,) if rank else (4, 5)):
        return None
    kept = found[2:] if channels_first else found[1:-1]
    dropped = found[:2] if channels_first else [found[0], found[-1]]
    if any(size.value != "1" for size in dropped):
        return None
    return cst.parse_expression(f"({', '.join(size.value for size in kept)}{',' * (len(kept) == 1)})")
