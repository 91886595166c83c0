"""Data known to be an array, though the file does not write its shape.

A tutorial prepares ``X_train`` (``df.values``, ``train_test_split``, a scaler's
``fit_transform``, ``np.load``, a reshape by names) and fits a model with no input shape on it;
Keras builds that model on ``(None, *X_train.shape[1:])``, and an expert converting it writes
``keras.Input(shape=X_train.shape[1:])``, the same model, without running anything.  That holds
only when ``X_train`` is an array (numpy, or a TensorFlow tensor): a Python list has no
``shape``, a DataFrame or a dict may be taken apart into several inputs, and a ``tf.data``
Dataset or a generator yields batches whose shape the name does not have.  So each way of making
an array is one rule here, and anything else is no answer.
"""

from __future__ import annotations

import libcst as cst

from .data_literals import number
from .data_looks import only_looks
from .data_shapes import DEPTH, dataset_sample
from .names_in import bound_names
from .reaching import reaching_unpacked, statement_of
from .returned import returned_values
from .source import SourceFile

# numpy functions that return an array, whatever they are given (not ``np.where(cond)``, a tuple).
NUMPY = frozenset(
    f"numpy.{name}"
    for name in (
        "array asarray asarray_chkfinite ascontiguousarray load loadtxt genfromtxt fromfile concatenate stack"
        " vstack hstack dstack column_stack expand_dims reshape squeeze transpose swapaxes moveaxis"
        " zeros ones full empty zeros_like ones_like full_like empty_like clip float32 float64"
        " random.random random.rand random.randn random.normal random.uniform random.randint"
        " random.standard_normal random.choice random.permutation"
    ).split()
)
TENSORFLOW = frozenset(
    f"tensorflow.{name}"
    for name in "constant convert_to_tensor cast reshape expand_dims squeeze transpose concat stack".split()
)
KERAS = frozenset({"utils.pad_sequences", "preprocessing.sequence.pad_sequences", "utils.normalize"})
# sklearn's scalers: ``fit_transform`` / ``transform`` of an array gives a dense array of its shape.
SCALERS = frozenset(
    f"sklearn.preprocessing.{name}"
    for name in "StandardScaler MinMaxScaler RobustScaler MaxAbsScaler Normalizer QuantileTransformer PowerTransformer".split()
)
# scikit-learn's made-up data sets: ``X, y = make_circles(...)``, X a dense array (n_samples, n_features).
MAKERS = frozenset(
    f"sklearn.datasets.{name}"
    for name in (
        "make_circles make_moons make_blobs make_classification make_regression make_friedman1"
        " make_friedman2 make_friedman3 make_gaussian_quantiles make_hastie_10_2 make_swiss_roll make_s_curve"
    ).split()
)
# Methods of an array that give an array.
METHODS = frozenset({"astype", "reshape", "squeeze", "transpose", "copy", "flatten", "ravel", "clip", "numpy"})
# Reductions of an array, an array or a number: ``(x - x.mean(axis=0)) / x.std(axis=0)``.
REDUCTIONS = frozenset({"mean", "std", "min", "max", "sum", "var"})


def is_array(src: SourceFile, expr: cst.BaseExpression, depth: int = 0) -> bool:
    """Whether ``expr`` is certainly a numpy array or a TensorFlow tensor."""
    if depth > DEPTH:
        return False
    if isinstance(expr, cst.Name):
        return _named(src, expr, depth)
    if isinstance(expr, cst.Attribute):
        # ``df.values``, ``df[columns].values``: pandas' array of the frame.
        if expr.attr.value == "values":
            return not isinstance(src.parent(expr), cst.Call)
        return expr.attr.value in ("data", "target") and _bunch(src, expr.value)
    if isinstance(expr, cst.Subscript):
        # ``x[:, :-1]``, ``x[indices]``, ``x[..., None]``: a part of an array is an array.
        return is_array(src, expr.value, depth + 1)
    if isinstance(expr, cst.BinaryOperation):
        sides = (expr.left, expr.right)
        return any(is_array(src, side, depth + 1) for side in sides) and all(
            number(side) or is_array(src, side, depth + 1) or _reduced(src, side, depth) for side in sides
        )
    if isinstance(expr, cst.Call):
        return _made(src, expr, depth)
    return False


def _reduced(src: SourceFile, expr: cst.BaseExpression, depth: int) -> bool:
    """``x.mean(axis=0)`` of an array, or a name bound to one."""
    if isinstance(expr, cst.Name):
        found = reaching_unpacked(src, expr)
        return found is not None and not found[1] and _reduced(src, found[0], depth + 1)
    func = expr.func if isinstance(expr, cst.Call) else None
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in REDUCTIONS
        and is_array(src, func.value, depth + 1)
    )


def _made(src: SourceFile, call: cst.Call, depth: int) -> bool:
    func = call.func
    names = src.qualified(func)
    if names & (NUMPY | TENSORFLOW):
        return True
    keras = src.keras(func)
    if keras is not None and keras.path in KERAS:
        return True
    if isinstance(func, cst.Name):
        return _own_function(src, func, depth)
    if not isinstance(func, cst.Attribute):
        return False
    method = func.attr.value
    if method == "to_numpy":
        return True
    if method in METHODS:
        return is_array(src, func.value, depth + 1)
    if method in ("fit_transform", "transform") and call.args and not call.args[0].keyword:
        return _scaler(src, func.value) and is_array(src, call.args[0].value, depth + 1)
    return False


def _own_function(src: SourceFile, func: cst.Name, depth: int) -> bool:
    """``vectorize_sequences(train_data)``: the file's own function, each of whose returns is an
    array (parse/returned.py), read in the function's own body."""
    values = returned_values(src, func)
    return bool(values) and all(is_array(src, value, depth + 1) for value in values)


def _bunch(src: SourceFile, owner: cst.BaseExpression) -> bool:
    """``housing = fetch_california_housing()``: a scikit-learn data set, whose ``data`` and
    ``target`` are arrays (frames with ``as_frame=True``)."""
    found = reaching_unpacked(src, owner) if isinstance(owner, cst.Name) else None
    value = found[0] if found is not None and not found[1] else None
    if not isinstance(value, cst.Call) or any(arg.keyword is not None and arg.keyword.value == "as_frame" for arg in value.args):
        return False
    return any(
        name.startswith(("sklearn.datasets.load_", "sklearn.datasets.fetch_")) for name in src.qualified(value.func)
    )


def _scaler(src: SourceFile, owner: cst.BaseExpression) -> bool:
    """``StandardScaler()``, or a name bound to one (``scaler = MinMaxScaler()``)."""
    if isinstance(owner, cst.Name):
        found = reaching_unpacked(src, owner)
        if found is None or found[1]:
            return False
        owner = found[0]
    return isinstance(owner, cst.Call) and bool(src.qualified(owner.func) & SCALERS)


def _named(src: SourceFile, name: cst.Name, depth: int) -> bool:
    """What the assignment that the read of ``name`` sees holds; ``x /= 255`` keeps an array one
    (parse/reaching.py reads it as ``x / 255``)."""
    found = reaching_unpacked(src, name)
    if found is None:
        return False
    value, path, _ = found
    return _part(src, value, path, depth + 1)


def _part(src: SourceFile, value: cst.BaseExpression, path: tuple[int, ...], depth: int) -> bool:
    """Whether part ``path`` of ``value`` (``()`` for all of it) is an array."""
    if not path:
        return is_array(src, value, depth)
    if not isinstance(value, cst.Call):
        return False
    if path == (0,) and any(name in MAKERS for name in src.qualified(value.func)):
        return True
    if src.qualified(value.func) & {"sklearn.model_selection.train_test_split"}:
        # ``a_train, a_test, b_train, b_test = train_test_split(a, b, ...)``: rows of each array.
        arrays = [arg.value for arg in value.args if arg.keyword is None]
        if len(path) != 1 or any(arg.star for arg in value.args) or path[0] >= 2 * len(arrays):
            return False
        return is_array(src, arrays[path[0] // 2], depth + 1)
    # ``(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()``: arrays of numbers
    # (not imdb's or reuters', whose samples are lists of different lengths).
    return len(path) == 2 and dataset_sample(src, value) is not None




def named_shape(
    src: SourceFile, data: cst.BaseExpression, statements, made_at: int, used_at: int, batch: bool, rows: bool
):
    """``X.shape[1:]`` (``X.shape`` with ``batch``) for the ``keras.Input`` of a model made at
    ``statements[made_at]`` and first built at ``statements[used_at]`` on ``data``: a name of an
    array, bound in this block before the model is made, so that the Input reads it there, and
    neither rebound nor changed in place up to the use, so that it reads the very data.  With
    ``rows`` (a ``fit`` or ``evaluate``, which build on the sample shape, never with ``batch``),
    data bound after the model as rows of such an array (``partial_x_train = x_train[10000:]``)
    has its sample shape: the Input reads that of ``x_train``."""
    if not isinstance(data, cst.Name) or statement_of(src, data)[0] is not statements[used_at]:
        return None
    if not is_array(src, data):
        return None
    name = data.value
    bound = next((i for i in reversed(range(used_at)) if name in bound_names(statements[i])), None)
    if bound is None:
        return None
    if bound >= made_at:
        source = _rows_of(src, data, statements, bound) if rows and not batch else None
        return None if source is None else named_shape(src, source, statements, made_at, bound, batch, rows)
    if not all(only_looks(src, statement, name) for statement in statements[made_at:used_at]):
        return None
    return f"{name}.shape" if batch else f"{name}.shape[1:]"


def _rows_of(src: SourceFile, data: cst.Name, statements, bound: int) -> cst.Name | None:
    """``x_train`` when the read ``data`` sees ``data = x_train[a:b]`` at ``statements[bound]`` (a
    slice of rows keeps every other axis), and only looks at ``data`` after it."""
    found = reaching_unpacked(src, data)
    if found is None or found[1] or statement_of(src, found[0])[0] is not statements[bound]:
        return None
    value = found[0]
    if not (
        isinstance(value, cst.Subscript)
        and isinstance(value.value, cst.Name)
        and len(value.slice) == 1
        and isinstance(value.slice[0].slice, cst.Slice)
    ):
        return None
    if not all(only_looks(src, statement, data.value) for statement in found[2]):
        return None
    return value.value
