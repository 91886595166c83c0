"""What a call in the model's code calls, for the lifters: a layer (made inline, bound to a
name before, or from outside the model), a merge function of ``keras.layers``, or a function
(Keras', the file's own, or a TensorFlow one, written as its ``keras.ops`` twin or refused;
kept as written in a ``tf_keras`` model, which Keras 2 reads).

A mixin of ``FunctionalLifter``: it reads the lifter's ``src``, ``builder``, ``env``,
``named`` and ``ambiguous``.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import BuiltinAssignment

from .builder import refuse
from .closure_helpers import closure_helper
from .helpers import helper_definition
from .keras_names import KERAS2
from .known_layers import MERGE_LAYERS
from .names_in import identifiers
from .spelling import layer_class, module_bindings, spell
from .tf_twins import hint, twin_args


class CallKinds:
    def merge_class(self, call: cst.Call) -> tuple[str, str] | None:
        """``Concatenate`` and how to spell it for ``layers.concatenate([a, b], axis=1)``: a merge
        helper of ``keras.layers`` called on its inputs first and on nothing but constants after.
        An attribute's class is spelled from the same module; a bare imported ``concatenate``'s
        with a name the file imports, else by its own name, which the subclass emitter imports
        (unless the file names it otherwise: then it stays an expression)."""
        keras = self.src.keras(call.func)
        if keras is None or not keras.is_merge_function:
            return None
        if not call.args or call.args[0].keyword is not None or call.args[0].star:
            return None
        if any(self.reads_tensor(arg.value) for arg in call.args[1:]):
            return None
        name = MERGE_LAYERS[keras.last]
        if isinstance(call.func, cst.Attribute):
            return name, f"{self.src.code(call.func.value)}.{name}"
        bindings = module_bindings(self.src.module)
        factory = layer_class(bindings, keras.root, name)
        # A file that names ``Add`` anywhere (bound to something else, in any scope) keeps the helper.
        if factory is None and name not in identifiers(self.src.module):
            # Spelled as the import the subclass emitter then asks for (``from keras.layers import Add``).
            factory = spell(bindings, keras.root, name)[0]
        return None if factory is None else (name, factory)

    def layer_called(self, call: cst.Call) -> str | None:
        """The layer a call on tensors calls (made now if inline), or None for a function."""
        kind = self.call_kind(call)
        if kind != "function" and not call.args:
            # ``Dense(8)()`` fails when the model is built; a class would write ``self.dense()``.
            raise refuse(
                self.src.loc(call),
                f"`{self.src.code(call.func)}` is called with no input, which fails when the model is built",
                "pass the layer the tensor it works on, e.g. `Dense(8)(x)`",
            )
        if kind == "inline":
            made = call.func
            # ``Dense(x.shape[-1])``: the tensor is named in the IR, like any other it reads.
            args = tuple(self.builder.arg(arg, self.code(arg.value)) for arg in made.args)
            return self.builder.constructed_layer(made, "inline", args=args).id
        if kind == "named":
            return self.named[call.func.value]
        if kind == "external":
            return self.builder.external_layer(call.func).id
        return None

    def call_kind(self, call: cst.Call) -> str:
        """``inline``, ``named`` or ``external`` for a layer call, ``function`` otherwise."""
        func = call.func
        if not self.reads_tensor(call):
            # ``layers.Embedding(n, d)(keras.ops.arange(n))``: a layer made and called on a
            # constant is still a layer of the model, made once.
            made = self.src.keras(func.func) if isinstance(func, cst.Call) else None
            return "inline" if made is not None and made.is_layer_class else "function"
        if isinstance(func, cst.Call):
            # ``conv_bn_relu(64)(x)``: a closure called at once is a helper call, not a layer's.
            return "function" if closure_helper(self.src, call) is not None else "inline"
        if isinstance(func, cst.Name) and func.value in self.ambiguous:
            line = self.ambiguous[func.value].line
            raise refuse(
                self.src.loc(call),
                f"`{func.value}` is a different layer depending on which branch of the `if` on line {line} ran",
                "call the layer inside each branch",
            )
        if isinstance(func, cst.Name) and func.value in self.env:
            raise refuse(
                self.src.loc(call),
                f"`{func.value}` holds a tensor here, not a layer: calling it fails when the model is built",
                "keep the layer's name for the layer, and give its output another name",
            )
        if isinstance(func, cst.Name) and func.value in self.named:
            return "named"
        if isinstance(func, cst.Attribute) and self.reads_tensor(func.value):
            # ``inputs.items()`` on a dict of inputs: a method of the value, not a layer.
            return "function"
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.BaseString):
            # ``"rank {}".format(x.shape)`` in a check's message: a method of a string, not a layer.
            return "function"
        if self.src.keras(func) is not None:
            return "function"
        if isinstance(func, cst.Attribute) and helper_definition(self.src, func) is not None:
            # ``self._conv_block(x)``: a method of the object that builds layers, a helper.
            return "function"
        foreign = self._tensorflow_function(call)
        if foreign is not None:
            if self._keras2() or twin_args(foreign, call) is not None:
                return "function"
            raise refuse(
                self.src.loc(call),
                f"`{self.src.code(func)}` ({foreign}) is a TensorFlow function;"
                " Keras 3 does not accept it on Keras tensors",
                hint(foreign, call),
            )
        return "function" if self._is_function(func) else "external"

    def _tensorflow_function(self, call: cst.Call) -> str | None:
        foreign = sorted(name for name in self.src.qualified(call.func) if name.startswith("tensorflow."))
        return foreign[0] if foreign and self.src.keras(call.func) is None else None

    def as_keras_op(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """``tf.nn.relu(x)`` written as the file spells ``keras.ops.relu(x)``; other calls as they are.

        ``original`` decides (what it calls, whether it reads a tensor); ``updated``, the same call
        with its tensors renamed, is what gets rewritten.
        """
        if self._keras2():
            return updated
        foreign = self._tensorflow_function(original) if self.reads_tensor(original) else None
        found = twin_args(foreign, updated, self.builder.ops()) if foreign is not None else None
        if found is None:
            return updated
        name, args = found
        return updated.with_changes(func=cst.parse_expression(f"{self.builder.ops()}.{name}"), args=args)

    def _keras2(self) -> bool:
        """Whether the model is Keras 2's (``tf_keras``), which takes TensorFlow functions on its
        tensors as they are (a ``TFOpLambda`` layer) and has no ``keras.ops`` to write them in."""
        return self.builder.keras_root() == KERAS2

    def _is_function(self, func: cst.BaseExpression) -> bool:
        """A function of the file (a helper), a lambda or a builtin: not a layer object."""
        if not isinstance(func, cst.Name):
            return False
        scope = self.src.scope(func)
        if scope is None:
            return False
        assignments = scope[func.value]
        if not assignments:
            return True
        return any(
            isinstance(a, BuiltinAssignment)
            or isinstance(getattr(a, "node", None), (cst.FunctionDef, cst.Lambda))
            or self._keras_function(getattr(a, "node", None))
            for a in assignments
        )

    def _keras_function(self, target: cst.CSTNode | None) -> bool:
        """``preprocess_input = keras.applications.densenet.preprocess_input``: a name given to one
        of Keras' functions (lower-case, unlike its layer classes) is no layer object."""
        assign = self.src.parent(self.src.parent(target)) if isinstance(target, cst.Name) else None
        if not isinstance(assign, cst.Assign) or not isinstance(assign.value, cst.Attribute):
            return False
        found = self.src.keras(assign.value)
        return found is not None and found.path.rsplit(".", 1)[-1][:1].islower()
