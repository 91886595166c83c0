"""Statements that only look at an array between its assignment and its use.

The shape read at an array's assignment is the one a model is built with only if nothing between
changes it: ``x.shape``, ``print(x)``, a notebook's bare ``x``, ``np.mean(x)``, ``x.mean(axis=0)``,
``model.fit(x, y)``, a loop or a branch whose every line only looks, a ``def`` (its body runs when
called, a statement of its own) leave it; ``x.resize(...)``, ``x.shape = ...``, a function of the
file given ``x`` may not.
"""

from __future__ import annotations

import libcst as cst

from .names_in import name_nodes, suite_lines
from .source import SourceFile

LOOKS = frozenset({"shape", "dtype", "ndim", "size"})
LOOKERS = frozenset({"print", "len", "type", "display", "repr"})
# Methods of an array that make another and leave it as it is (``reshape`` and ``transpose``
# give a view of another shape; only ``resize`` and setting ``shape`` change it in place).
NEW_ARRAYS = frozenset(
    "mean std min max sum var astype copy reshape transpose squeeze flatten ravel".split()
)
MODEL_USES = frozenset({"fit", "evaluate", "predict"})


def only_looks(src: SourceFile, statement: cst.BaseStatement, name: str) -> bool:
    """Whether every mention of ``name`` in ``statement`` only looks at the array: ``x.shape``,
    ``x[0]``, ``print(x)``, a bare ``x`` or ``x, y``.  Any other use may change it in place
    (``x.resize(...)``, ``x.shape = ...``, a function that does so)."""
    if isinstance(statement, cst.FunctionDef):
        # ``def plot(model, X, y): ...``: defining a function runs only its header, and a body
        # whose ``X`` is its own parameter cannot reach the array (one that reads the global may
        # change it when called, where the call itself does not mention it).
        header = (*statement.decorators, *([statement.returns] if statement.returns else []))
        params = statement.params
        own = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)}
        defaults = [param.default for param in (*params.posonly_params, *params.params, *params.kwonly_params) if param.default]
        if statement.name.value == name or any(_mentions(part, name) for part in (*header, *defaults)):
            return False
        return name in own or not _mentions(statement.body, name)
    if isinstance(statement, (cst.For, cst.If)) and statement.orelse is None:
        # ``for i in range(k): fold = x[i * n:]``, ``if plot: plt.imshow(x[0])``: a loop or a branch
        # whose every line only looks.
        head = statement.iter if isinstance(statement, cst.For) else statement.test
        if isinstance(statement, cst.For) and _mentions(statement.target, name):
            return False
        return all(_a_look(src, node) for node in name_nodes(head) if node.value == name) and all(
            only_looks(src, line, name) for line in suite_lines(statement.body)
        )
    if not isinstance(statement, cst.SimpleStatementLine):
        return not _mentions(statement, name)
    for node in name_nodes(statement):
        if node.value == name and not _a_look(src, node):
            return False
    return True


def _mentions(node: cst.CSTNode, name: str) -> bool:
    return name in {found.value for found in name_nodes(node)}


def _a_look(src: SourceFile, node: cst.Name) -> bool:
    parent = src.parent(node)
    if isinstance(parent, cst.Element) and isinstance(src.parent(parent), cst.Tuple):
        node, parent = src.parent(parent), src.parent(src.parent(parent))
    if isinstance(parent, cst.Expr):
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
        return _leaves_arguments(src, call.func)
    return False


def _leaves_arguments(src: SourceFile, func: cst.BaseExpression) -> bool:
    """Whether a call of ``func`` leaves the shape of the arrays it is given: plotting, printing,
    numpy's and TensorFlow's functions (which make new arrays; only ``ndarray.resize`` resizes in
    place), and training or predicting with a model."""
    if isinstance(func, cst.Name) and func.value in LOOKERS:
        return True
    if isinstance(func, cst.Attribute) and func.attr.value in MODEL_USES and not src.qualified(func):
        return True
    names = src.qualified(func)
    if any(name.endswith(".resize") for name in names):
        return False
    return any(name.split(".")[0] in ("matplotlib", "numpy", "tensorflow") for name in names)


def _target(src: SourceFile, node: cst.CSTNode) -> bool:
    parent = src.parent(node)
    return isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del))
