"""TensorFlow functions called on Keras tensors, and their ``keras.ops`` twins.

Keras 3 refuses ``tf.nn.relu(x)`` on a symbolic tensor (Keras 2 wrapped it in a
``TFOpLambda`` layer).  Where ``keras.ops`` has a function that computes the same
thing from the same positional arguments, the parser writes that instead, in
every target style; any other TensorFlow function is refused with the name to use.
A test runs each pair below in TensorFlow on the same inputs.
"""

from __future__ import annotations

import libcst as cst

_AXIS = frozenset({"axis"})
_REDUCE = frozenset({"axis", "keepdims"})

# ``tensorflow.<path>`` -> (``keras.ops`` name, the keywords both accept with one meaning).
TWINS: dict[str, tuple[str, frozenset[str]]] = {
    **{path: ("relu", frozenset()) for path in ("nn.relu",)},
    "nn.relu6": ("relu6", frozenset()),
    **{path: ("sigmoid", frozenset()) for path in ("nn.sigmoid", "sigmoid", "math.sigmoid")},
    **{path: ("tanh", frozenset()) for path in ("nn.tanh", "tanh", "math.tanh")},
    **{path: ("softmax", _AXIS) for path in ("nn.softmax", "math.softmax")},
    **{path: ("log_softmax", _AXIS) for path in ("nn.log_softmax", "math.log_softmax")},
    "nn.elu": ("elu", frozenset()),
    "nn.selu": ("selu", frozenset()),
    **{path: ("softplus", frozenset()) for path in ("nn.softplus", "math.softplus")},
    **{path: ("softsign", frozenset()) for path in ("nn.softsign", "math.softsign")},
    **{path: ("silu", frozenset()) for path in ("nn.silu", "nn.swish")},
    **{path: ("exp", frozenset()) for path in ("exp", "math.exp")},
    "math.log": ("log", frozenset()),
    **{path: ("sqrt", frozenset()) for path in ("sqrt", "math.sqrt")},
    **{path: ("square", frozenset()) for path in ("square", "math.square")},
    **{path: ("abs", frozenset()) for path in ("abs", "math.abs")},
    **{path: ("negative", frozenset()) for path in ("negative", "math.negative")},
    **{path: ("matmul", frozenset()) for path in ("matmul", "linalg.matmul")},
    "reshape": ("reshape", frozenset()),
    "transpose": ("transpose", frozenset()),
    "concat": ("concatenate", _AXIS),
    "stack": ("stack", _AXIS),
    "expand_dims": ("expand_dims", _AXIS),
    "squeeze": ("squeeze", _AXIS),
    "cast": ("cast", frozenset({"dtype"})),
    **{f"{space}reduce_{name}": (name, _REDUCE) for space in ("", "math.") for name in ("sum", "max", "min")},
    **{path: ("mean", _REDUCE) for path in ("reduce_mean", "math.reduce_mean")},
    **{path: (path.rsplit(".", 1)[-1], frozenset()) for path in ("add", "math.add", "multiply", "math.multiply")},
    **{path: (path.rsplit(".", 1)[-1], frozenset()) for path in ("subtract", "math.subtract")},
    **{path: (path.rsplit(".", 1)[-1], frozenset()) for path in ("maximum", "math.maximum", "minimum", "math.minimum")},
}

# Hint names for functions that have a ``keras.ops`` function of another meaning or signature.
_HINT_NAMES = {"reduce_prod": "prod", "reduce_any": "any", "reduce_all": "all", "gather": "take"}


def twin(dotted: str, call: cst.Call) -> str | None:
    """The ``keras.ops`` name that ``call`` of TensorFlow's ``dotted`` can be written as, if any."""
    found = TWINS.get(dotted.removeprefix("tensorflow."))
    if found is None:
        return None
    name, keywords = found
    for arg in call.args:
        if arg.star or (arg.keyword is not None and arg.keyword.value not in keywords):
            return None
    return name


def hint_name(dotted: str) -> str:
    """``tensorflow.reduce_prod`` -> ``keras.ops.prod``: what to write instead, for the refusal's hint."""
    path = dotted.removeprefix("tensorflow.")
    known = TWINS.get(path)
    last = path.rsplit(".", 1)[-1]
    return f"keras.ops.{known[0] if known else _HINT_NAMES.get(last, last)}"
