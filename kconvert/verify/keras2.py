"""Models the verifier cannot build: those of ``tf_keras``, the Keras 2 package.

The worker builds and compares models with Keras 3 (``keras``, which ``tf.keras`` is in
TensorFlow 2.16+); a ``tf_keras`` model is of another library that the worker's comparisons do
not read.  Such a pair is not run: its report says plainly that it cannot be verified.
"""

from __future__ import annotations

import ast

from .slicer import ModelSlice

CANNOT = (
    "cannot verify: this model is built with `tf_keras`, the Keras 2 package, and the verifier"
    " builds and compares models with Keras 3"
)


def keras2_slice(piece: ModelSlice) -> bool:
    """Whether the slice imports ``tf_keras`` (a model of the file's other imports is Keras 3's)."""
    if "tf_keras" not in piece.source:
        return False
    try:
        tree = ast.parse(piece.source)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        names += [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
        if any(name.split(".")[0] == "tf_keras" for name in names):
            return True
    return False
