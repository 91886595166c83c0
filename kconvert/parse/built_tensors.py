"""Layer classes of the file whose ``build()`` keeps a tensor it computes.

``self.positions = tf.range(input_shape[1])`` in ``build()`` (keras.io's ViViT): a layer built
inside a symbolic trace (a subclass's first call traces ``call()`` in a scratch graph) keeps a
tensor of that trace, and every later call fails with "tensor ... is out of scope", as a
``Normalization``'s statistics do. A model class that calls such a layer builds it before any
trace, in a ``build()`` of its own (emit/subclass/build.py).
"""

from __future__ import annotations

import libcst as cst

from .memo import once
from .module_index import classes

# Where a tensor comes from: TensorFlow, Keras' backend-neutral ops, Keras 2's backend.
_TENSOR_ROOTS = frozenset({"tf", "tensorflow", "ops", "K", "backend"})
# What those modules make that is no tensor: layers, and what configures them.
_NO_TENSOR = frozenset({"keras", "layers", "initializers", "regularizers", "constraints", "Variable"})


def keeps_built_tensor(src, func: cst.BaseExpression) -> bool:
    """Whether ``func`` names a class of the file whose ``build()`` stores a computed tensor."""
    return isinstance(func, cst.Name) and func.value in built_tensor_classes(src)


def built_tensor_classes(src) -> frozenset[str]:
    """The classes of the file whose ``build()`` stores a computed tensor: a layer the model is
    given (ViViT's builder takes ``positional_encoder=PositionalEncoder(...)``) may be one."""
    return once("built_tensors", src.module, _keeping)


def _keeping(module: cst.Module) -> frozenset[str]:
    return frozenset(name for name, made in classes(module).items() if any(_keeps(cls) for cls in made))


def _keeps(cls: cst.ClassDef) -> bool:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    build = next((item for item in body if isinstance(item, cst.FunctionDef) and item.name.value == "build"), None)
    if build is None:
        return False

    class Stored(cst.CSTVisitor):
        found = False

        def visit_Assign(self, node: cst.Assign) -> None:
            on_self = any(
                isinstance(target.target, cst.Attribute)
                and isinstance(target.target.value, cst.Name)
                and target.target.value.value == "self"
                for target in node.targets
            )
            self.found |= on_self and isinstance(node.value, cst.Call) and _tensor_call(node.value.func)

    stored = Stored()
    build.visit(stored)
    return stored.found


def _tensor_call(func: cst.BaseExpression) -> bool:
    """``tf.range``, ``keras.ops.arange``, ``ops.convert_to_tensor``: a dotted call of a tensor module."""
    parts = []
    while isinstance(func, cst.Attribute):
        parts.insert(0, func.attr.value)
        func = func.value
    if not isinstance(func, cst.Name) or not parts:
        return False
    path = [func.value, *parts]
    if path[0] == "keras" and len(path) > 2 and path[1] == "ops":
        return True
    return path[0] in _TENSOR_ROOTS and not _NO_TENSOR.intersection(path[1:])
