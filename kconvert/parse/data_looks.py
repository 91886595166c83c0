"""Statements that only look at an array between its assignment and its use.

The shape read at an array's assignment is the one a model is built with only if nothing between
changes it: ``x.shape``, ``print(x)``, a notebook's bare ``x``, ``y = x + 10``, ``np.mean(x)``, ``x.mean(axis=0)``,
``model.fit(x, y)``, a loop or a branch whose every line only looks, a ``def`` (its body runs when
called, a statement of its own) leave it; ``x.resize(...)``, ``x.shape = ...``, a function of the
file given ``x`` may not.
"""

from __future__ import annotations

import libcst as cst

from .names_in import name_nodes, suite_lines
from .returned import own_function
from .source import SourceFile

LOOKS = frozenset({"shape", "dtype", "ndim", "size"})
LOOKERS = frozenset({"print", "len", "type", "display", "repr"})
# Methods of an array that make another and leave it as it is (``reshape`` and ``transpose``
# give a view of another shape; only ``resize`` and setting ``shape`` change it in place).
NEW_ARRAYS = frozenset(
    "mean std min max sum var astype copy reshape transpose squeeze flatten ravel".split()
)
MODEL_USES = frozenset({"fit", "evaluate", "predict"})
DEPTH = 3


def only_looks(src: SourceFile, statement: cst.BaseStatement, name: str, depth: int = 0) -> bool:
    """Whether every mention of ``name`` in ``statement`` only looks at the array: ``x.shape``,
    ``x[0]``, ``print(x)``, a bare ``x`` or ``x, y``.  Any other use may change it in place
    (``x.resize(...)``, ``x.shape = ...``, a function that does so)."""
    if isinstance(statement, cst.FunctionDef):
        return _defined_only(src, statement, name, depth)
    if isinstance(statement, (cst.For, cst.If)) and statement.orelse is None:
        # ``for i in range(k): fold = x[i * n:]``, ``if plot: plt.imshow(x[0])``: a loop or a branch
        # whose every line only looks.
        head = statement.iter if isinstance(statement, cst.For) else statement.test
        if isinstance(statement, cst.For) and _mentions(statement.target, name):
            return False
        return all(_a_look(src, node, depth) for node in name_nodes(head) if node.value == name) and all(
            only_looks(src, line, name, depth) for line in suite_lines(statement.body)
        )
    if not isinstance(statement, cst.SimpleStatementLine):
        return not _mentions(statement, name)
    for node in name_nodes(statement):
        if node.value == name and not _a_look(src, node, depth):
            return False
    return True


def _defined_only(src: SourceFile, definition: cst.FunctionDef, name: str, depth: int) -> bool:
    """``def plot(model, X, y): ...``: defining a function runs only its header, and a body whose
    ``X`` is its own parameter cannot reach the array (a body reading the global may change it
    when called, where the call does not mention it).  A default ``train_data=X`` hands the array
    itself to the body, which must then only look at ``train_data``."""
    params = definition.params
    every = (*params.posonly_params, *params.params, *params.kwonly_params)
    header = (*definition.decorators, *([definition.returns] if definition.returns else []))
    if definition.name.value == name or any(_mentions(part, name) for part in header):
        return False
    for param in every:
        if param.default is None or not _mentions(param.default, name):
            continue
        given = isinstance(param.default, cst.Name) and param.default.value == name
        if not given or not _param_looks(src, definition, param.name.value, depth):
            return False
    return name in {param.name.value for param in every} or not _mentions(definition.body, name)


def _mentions(node: cst.CSTNode, name: str) -> bool:
    return name in {found.value for found in name_nodes(node)}


def _a_look(src: SourceFile, node: cst.Name, depth: int) -> bool:
    parent = src.parent(node)
    if isinstance(parent, cst.Element) and isinstance(src.parent(parent), cst.Tuple):
        node, parent = src.parent(parent), src.parent(src.parent(parent))
    if isinstance(parent, cst.Expr):
        return True
    if isinstance(parent, (cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.ComparisonTarget)):
        # ``y = X + 10``, ``X > 0``: an operand is read, the result is another array.
        return True
    if isinstance(parent, cst.Attribute) and parent.value is node:
        if parent.attr.value in NEW_ARRAYS:
            called = src.parent(parent)
            return isinstance(called, cst.Call) and called.func is parent
        return parent.attr.value in LOOKS and not _target(src, parent)
    if isinstance(parent, cst.Subscript) and parent.value is node:
        return not _target(src, parent)
    if isinstance(parent, cst.Arg) and not parent.star:
        call = src.parent(parent)
        if not isinstance(call, cst.Call):
            return False
        return _leaves_arguments(src, call.func) or _own_function_looks(src, call, parent, depth)
    return False


def _own_function_looks(src: SourceFile, call: cst.Call, arg: cst.Arg, depth: int) -> bool:
    """``plot_predictions(train_data=X_train)``: the file's own function (parse/returned.py's
    ``own_function``), whose parameter that takes the array only looks at it."""
    definition = own_function(src, call.func) if isinstance(call.func, cst.Name) else None
    if definition is None or any(other.star for other in call.args):
        return False
    params = definition.params
    if params.posonly_params or params.star_arg is not cst.MaybeSentinel.DEFAULT or params.star_kwarg:
        return False
    if arg.keyword is not None:
        param = arg.keyword.value
    else:
        position = [other for other in call.args if other.keyword is None].index(arg)
        if position >= len(params.params):
            return False
        param = params.params[position].name.value
    return _param_looks(src, definition, param, depth)


def _param_looks(src: SourceFile, definition: cst.FunctionDef, param: str, depth: int) -> bool:
    """Whether the body of ``definition`` only looks at its parameter ``param`` (nested calls of
    the file's functions followed a few deep, a recursion not at all)."""
    if depth >= DEPTH or definition.asynchronous is not None:
        return False
    return all(only_looks(src, line, param, depth + 1) for line in definition.body.body)


def _leaves_arguments(src: SourceFile, func: cst.BaseExpression) -> bool:
    """Whether a call of ``func`` leaves the shape of the arrays it is given: plotting, printing,
    numpy's and TensorFlow's functions (which make new arrays; only ``ndarray.resize`` resizes in
    place), and training or predicting with a model."""
    if isinstance(func, cst.Name) and func.value in LOOKERS:
        return True
    if isinstance(func, cst.Attribute) and func.attr.value in MODEL_USES:
        # ``model.fit(x, y)`` on a name of the file (``src.qualified`` gives the name back as it
        # is written), not a function some module imports under that name.
        if src.qualified(func) <= {src.code(func)}:
            return True
    names = src.qualified(func)
    if any(name.endswith(".resize") for name in names):
        return False
    return any(name.split(".")[0] in ("matplotlib", "numpy", "tensorflow") for name in names)


def _target(src: SourceFile, node: cst.CSTNode) -> bool:
    parent = src.parent(node)
    return isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del))
