"""The shape of the data a model is first fitted or called on, read from the file without running it.

A model with no ``keras.Input`` gets its shape from that data, and a Keras reader often knows it:
``np.random.random((1000, 20))``, ``keras.datasets.mnist.load_data()`` (28 x 28 images),
``x_train.reshape(-1, 784)``, ``x[..., np.newaxis]``.  Each way the file may write or transform an
array is one rule below; anything else is no answer, never a guess (a wrong shape is a different
model that converts without a word).  The axes come back as the file writes them, the first (the
batch) None when the file does not say it, every other a whole number.

A name is followed to the one assignment its read sees (parse/reaching.py, tuple unpacking too),
through statements that only look at it (parse/data_looks.py).
"""

from __future__ import annotations

import libcst as cst

from .data_literals import (
    DIMENSIONS,
    SHAPED,
    Axes,
    integer,
    literal_axes,
    made_axes,
    number,
    range_length,
)
from .data_looks import only_looks
from .shape_constants import shaped_call_axes
from .data_pipelines import KEEPS, batch_axes, fitted_part, loop_item, passed_values
from .reaching import reaching_unpacked
from .source import SourceFile

# ``(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()``: one sample of x.
DATASETS = {
    "mnist": ("28", "28"),
    "fashion_mnist": ("28", "28"),
    "cifar10": ("32", "32", "3"),
    "cifar100": ("32", "32", "3"),
    "boston_housing": ("13",),
}
# ``x.mean(axis=0)``: one row's shape, which broadcasts over the rows of ``x``.
REDUCTIONS = frozenset({"mean", "std", "min", "max", "sum", "var"})
DEPTH = 12
DATASET_METHODS = KEEPS | {"batch"}


def array_axes(src: SourceFile, expr: cst.BaseExpression, depth: int = 0) -> Axes | None:
    """The axes of the array ``expr``, when every step that makes it is a rule here."""
    axes = _axes_of(src, expr, depth)
    if not axes or any(axis is None for axis in axes[1:]):
        return None
    return axes


def _axes_of(src: SourceFile, expr: cst.BaseExpression, depth: int) -> Axes | None:
    if depth > DEPTH:
        return None
    if isinstance(expr, cst.Name):
        return _named(src, expr, (), depth)
    if isinstance(expr, cst.BinaryOperation):
        # ``x / 255``, ``x * 2. - 1.``: a number keeps the array's shape.
        if number(expr.right):
            return _axes_of(src, expr.left, depth + 1)
        if number(expr.left):
            return _axes_of(src, expr.right, depth + 1)
        # ``x - mean`` with ``mean = x.mean(axis=0)``: one sample's shape broadcasts over the rows.
        if not isinstance(expr.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.Divide)):
            return None
        axes = _axes_of(src, expr.left, depth + 1)
        sample = _row_reduction(src, expr.right, depth + 1)
        return axes if axes and sample is not None and axes[1:] == sample else None
    if isinstance(expr, cst.Subscript):
        return _indexed(src, expr, depth)
    if isinstance(expr, cst.Call):
        return _call_axes(src, expr, depth)
    return None


def _named(src: SourceFile, name: cst.Name, path: tuple[int, ...], depth: int) -> Axes | None:
    """The axes of part ``path`` of what ``name`` holds (``()`` for all of it)."""
    found = reaching_unpacked(src, name)
    if found is None:
        return _handed(src, name, path, depth)
    if not all(only_looks(src, statement, name.value) for statement in found[2]):
        return None
    value, where, _ = found
    return _part(src, value, (*where, *path), depth + 1)


def _handed(src: SourceFile, name: cst.Name, path: tuple[int, ...], depth: int) -> Axes | None:
    """The axes of a name no assignment binds: a batch of the dataset a ``for`` loops over, or
    the argument every call of its function passes (parse/data_pipelines.py)."""
    item = loop_item(src, name)
    if item is not None:
        return batch_axes(src, item[0], (*item[1], *path), _axes_of, depth + 1)
    passed = passed_values(src, name) if not path else None
    if not passed:
        return None
    axes = [_axes_of(src, value, depth + 1) for value in passed]
    return axes[0] if all(axes) and all(other == axes[0] for other in axes) else None


def _part(src: SourceFile, value: cst.BaseExpression, path: tuple[int, ...], depth: int) -> Axes | None:
    """The axes of part ``path`` of the value ``value`` that a tuple assignment unpacks."""
    if not path:
        return _axes_of(src, value, depth)
    if isinstance(value, cst.Name):
        return _named(src, value, path, depth)
    if not isinstance(value, cst.Call) or not isinstance(value.func, (cst.Name, cst.Attribute)):
        return None
    if _is(src, value.func, "sklearn.model_selection.train_test_split"):
        # ``a_train, a_test, b_train, b_test = train_test_split(a, b, ...)``: rows of each array.
        arrays = [arg.value for arg in value.args if arg.keyword is None]
        if len(path) != 1 or any(arg.star for arg in value.args) or path[0] >= 2 * len(arrays):
            return None
        axes = _axes_of(src, arrays[path[0] // 2], depth + 1)
        return None if axes is None else [None, *axes[1:]]
    sample = dataset_sample(src, value)
    if sample is not None and path in ((0, 0), (1, 0)):
        return [None, *sample]
    return None


def dataset_sample(src: SourceFile, call: cst.Call) -> tuple[str, ...] | None:
    """One sample of the images of ``keras.datasets.NAME.load_data()``, however the module is named."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value != "load_data":
        return None
    owner = func.value
    keras = src.keras(owner)
    if keras is None and isinstance(owner, cst.Name):
        found = reaching_unpacked(src, owner)
        keras = src.keras(found[0]) if found is not None and not found[1] else None
    if keras is None or not keras.path.startswith("datasets."):
        return None
    return DATASETS.get(keras.path.removeprefix("datasets."))


def _row_reduction(src: SourceFile, expr: cst.BaseExpression, depth: int) -> Axes | None:
    """The axes after the first of ``x`` for ``x.mean(axis=0)`` (``std``, ``min``, ...), or a name
    bound to it, when every one is a whole number: the shape of one row of ``x``."""
    if isinstance(expr, cst.Name) and depth <= DEPTH:
        found = reaching_unpacked(src, expr)
        return None if found is None or found[1] else _row_reduction(src, found[0], depth + 1)
    func = expr.func if isinstance(expr, cst.Call) else None
    if not (isinstance(func, cst.Attribute) and func.attr.value in REDUCTIONS and len(expr.args) == 1):
        return None
    arg = expr.args[0]
    if arg.star or arg.keyword is not None and arg.keyword.value != "axis" or integer(arg.value) != 0:
        return None
    axes = _axes_of(src, func.value, depth + 1)
    return None if not axes or None in axes[1:] else axes[1:]


def _indexed(src: SourceFile, expr: cst.Subscript, depth: int) -> Axes | None:
    """``x[:5000]`` (rows: the first axis unknown), ``x[[0]]`` (one row), ``x[..., np.newaxis]``,
    ``x[:, :, None]``: whole slices keep an axis, a new axis is 1; an index or a part of another
    axis is no answer."""
    axes = _axes_of(src, expr.value, depth + 1)
    if axes is None:
        return None
    items = [element.slice for element in expr.slice]
    ellipses = sum(isinstance(item, cst.Index) and isinstance(item.value, cst.Ellipsis) for item in items)
    taken = sum(isinstance(item, cst.Slice) for item in items)
    if ellipses > 1 or taken > len(axes):
        return None
    out: Axes = []
    at = 0
    for item in items:
        if isinstance(item, cst.Slice):
            whole = item.lower is None and item.upper is None and item.step is None
            if at > 0 and not whole:
                return None
            out.append(axes[at] if whole else None)
            at += 1
        elif isinstance(item.value, cst.Ellipsis):
            spread = len(axes) - taken
            out.extend(axes[at : at + spread])
            at += spread
        elif _new_axis(src, item.value):
            out.append("1")
        elif at == 0 and _picked_rows(item.value) is not None:
            # ``x[[0]]``, ``x[[0, 5]]``: those rows, one sample's shape kept.
            out.append(_picked_rows(item.value))
            at += 1
        else:
            return None
    return [*out, *axes[at:]]


def _picked_rows(expr: cst.BaseExpression) -> str | None:
    """How many rows a list of whole numbers picks (``[0]``), or None for anything else."""
    if not isinstance(expr, cst.List) or not expr.elements:
        return None
    if any(not isinstance(element, cst.Element) or integer(element.value) is None for element in expr.elements):
        return None
    return str(len(expr.elements))


def _new_axis(src: SourceFile, expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Name) and expr.value == "None":
        return True
    return isinstance(expr, cst.Attribute) and _is(src, expr, "numpy.newaxis", "tensorflow.newaxis")


def _call_axes(src: SourceFile, call: cst.Call, depth: int) -> Axes | None:
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    name = func.attr.value
    if name == "reshape" or name in SHAPED or name in DIMENSIONS:
        # A shape may read its axes through names: ``x.reshape(x.shape[0], *input_shape)``.
        return shaped_call_axes(src, func, call.args)
    if any(arg.star for arg in call.args):
        return None
    positional = [arg.value for arg in call.args if arg.keyword is None]
    keyword = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    if name in DATASET_METHODS:
        # ``fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(32))``: the x of each batch.
        return fitted_part(src, call, _axes_of, depth + 1)
    if name == "astype":
        return _axes_of(src, func.value, depth + 1)
    if _is(src, func, "tensorflow.cast") and positional:
        return _axes_of(src, positional[0], depth + 1)
    if _is(src, func, "numpy.expand_dims", "tensorflow.expand_dims"):
        return _expanded(src, positional, keyword, depth)
    if _is(src, func, "numpy.array", "tensorflow.constant"):
        # ``np.array([[1., 2.], [3., 4.]])``: the nesting of a literal of numbers.
        if len(positional) != 1 or set(keyword) - {"dtype"}:
            return None
        return literal_axes(positional[0]) or None
    if _is(src, func, "numpy.concatenate", "tensorflow.concat"):
        return _stacked_rows(src, func, positional, keyword, depth)
    if _is(src, func, "numpy.arange", "tensorflow.range", "numpy.linspace", "tensorflow.linspace"):
        length = range_length(name, positional, keyword)
        return None if length is False else [length]
    return made_axes(func, positional, keyword)


def _expanded(src: SourceFile, positional, keyword, depth: int) -> Axes | None:
    """``np.expand_dims(x, -1)``, ``tf.expand_dims(x, axis=-1)``: a new axis of 1 where ``axis`` says."""
    if len(positional) == 2 and not keyword:
        axis = positional[1]
    elif len(positional) == 1 and set(keyword) == {"axis"}:
        axis = keyword["axis"]
    else:
        return None
    place = integer(axis)
    axes = _axes_of(src, positional[0], depth + 1)
    if place is None or axes is None:
        return None
    place = place if place >= 0 else len(axes) + 1 + place
    if not 0 <= place <= len(axes):
        return None
    return [*axes[:place], "1", *axes[place:]]


def _stacked_rows(src: SourceFile, func, positional, keyword, depth: int) -> Axes | None:
    """``np.concatenate([x[:a], x[b:]])`` / ``tf.concat([...], axis=0)``: rows of arrays that agree
    on every other axis (numpy joins along the first axis unless told; ``tf.concat`` must be told)."""
    axis = keyword.get("axis", positional[1] if len(positional) == 2 else None)
    if len(positional) + len(keyword) != 2 and not (len(positional) == 1 and not keyword and _is(src, func, "numpy.concatenate")):
        return None
    if axis is not None and integer(axis) != 0 or not positional or not isinstance(positional[0], (cst.List, cst.Tuple)):
        return None
    parts = [element for element in positional[0].elements]
    if not parts or any(isinstance(part, cst.StarredElement) for part in parts):
        return None
    tails = [_axes_of(src, part.value, depth + 1) for part in parts]
    if any(tail is None or None in tail[1:] for tail in tails) or len({tuple(tail[1:]) for tail in tails}) != 1:
        return None
    return [None, *tails[0][1:]]


def _is(src: SourceFile, func: cst.BaseExpression, *names: str) -> bool:
    """Whether ``func`` is one of the functions ``names`` (``tensorflow.cast``), however imported."""
    return bool(src.qualified(func) & set(names))




def fitted_data(call: cst.Call) -> cst.BaseExpression | None:
    """The data a ``fit(x, y)`` / ``fit(x=x)`` / ``model(x)`` call is given: its ``x``."""
    for position, arg in enumerate(call.args):
        if arg.star:
            return None
        if arg.keyword is None and position == 0 or arg.keyword is not None and arg.keyword.value == "x":
            return arg.value
    return None
