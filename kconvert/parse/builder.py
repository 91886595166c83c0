"""Accumulates one IR graph while a parser walks the source.

The builder hands out unique value and layer ids, turns layer constructor calls
into ``LayerDef``s (catching layer names Keras does not have), and carries the
``Refusal`` that parsers raise internally and the site boundary turns into a
diagnostic value.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import libcst as cst

from ..ir.nodes import LayerDef
from ..ir.source_text import Arg, Code, Loc
from ..types import Diagnostic
from .keras_names import KERAS2, KerasName
from .known_layers import KERAS_LAYERS
from .built_tensors import built_tensor_classes, keeps_built_tensor
from .module_index import called_arguments, returns_inner_function
from .reaching import reaching_call
from .source import SourceFile
from .spelling import file_root, module_bindings, spell, spelled_as_class


# Expressions that can be called as written, without parentheses.
ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript)


class Refusal(Exception):
    """Raised inside a parser; caught where a model site is lifted, never escapes."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def refuse(loc: Loc, message: str, hint: str = "") -> Refusal:
    return Refusal(Diagnostic(loc.line, loc.col, message, hint))


@dataclass
class GraphBuilder:
    src: SourceFile
    # The Keras path the model is spelled from (``tensorflow.keras`` for ``tf.keras.Model``), which
    # the emitted code keeps: the parser's own ``keras.ops`` must be spelled from it too.
    root: str | None = None
    _values: int = 0
    _layers: int = 0

    def __post_init__(self) -> None:
        self.layers: list[LayerDef] = []
        self._external: dict[tuple[str, str | None], LayerDef] = {}
        # The iterable of the last loop whose variable is this name: ``layer`` in ``for layer in
        # head`` is another object than in ``for layer in base``, and stays head's last after it.
        self._drawn_from: dict[str, str] = {}
        # Layers bound to names by the model's own statements: name -> layer id.
        self.named: dict[str, str] = {}
        # Helper functions read as blocks (``parse/helper_blocks.py``), by name.
        self.blocks: dict = {}
        # Keras names the graph's own code spells that the file may have to import (``ops``).
        self.symbols: set[str] = set()
        # ``res = x``: (the tensor, the other name), for ``Graph.aliases``.
        self.aliases: list[tuple[str, str]] = []

    def keras_root(self) -> str:
        """The model's Keras root, or the file's when the model's own code does not name it."""
        return self.root or file_root(module_bindings(self.src.module))

    def ops(self) -> str:
        """How this file spells ``keras.ops``, for code the parser writes itself."""
        spelled, request = spell(module_bindings(self.src.module), self.keras_root(), "ops")
        if request is not None:
            self.symbols.add("ops")
        return spelled

    def layer_by_id(self, layer_id: str) -> LayerDef:
        return next(layer for layer in self.layers if layer.id == layer_id)

    def new_value(self) -> str:
        self._values += 1
        return f"v{self._values}"

    def _new_layer_id(self) -> str:
        self._layers += 1
        return f"l{self._layers}"

    def args(self, call: cst.Call) -> tuple[Arg, ...]:
        """Arguments of a call that reads no tensor, kept as written."""
        return tuple(self.arg(arg, Code(self.src.code(arg.value))) for arg in call.args)

    @staticmethod
    def arg(arg: cst.Arg, value: Code) -> Arg:
        keyword = arg.keyword.value if arg.keyword is not None else None
        return Arg(value, keyword, arg.star if isinstance(arg.star, str) else "")

    def constructed_layer(
        self, call: cst.Call, binding: str, name: str | None = None, args: tuple[Arg, ...] | None = None
    ) -> LayerDef:
        """``Dense(4, activation="relu")`` as a layer definition."""
        self.check_known_layer(call.func)
        layer = LayerDef(
            id=self._new_layer_id(),
            type_name=self.type_name(call.func),
            factory=Code(self.src.code(call.func)),
            args=self.args(call) if args is None else args,
            binding=binding,
            loc=self.src.loc(call),
            name=name,
            closure=returns_inner_function(self.src, call.func),
            own_shape=not self.is_layer_class(call.func),
            builds_tensor=keeps_built_tensor(self.src, call.func),
            calls_given=called_arguments(self.src, call),
        )
        self.layers.append(layer)
        return layer

    def is_layer_class(self, func: cst.BaseExpression) -> bool:
        """Whether ``func`` is a layer class, which ignores ``input_shape=`` when called on a
        tensor: a Keras layer, or another one spelled as a class is (``hub.KerasLayer``). A Keras
        Application or a function takes it as its own parameter (``DenseNet121(input_shape=...)``
        sizes the network it makes)."""
        keras = self.src.keras(func)
        return keras.is_layer_class if keras is not None else spelled_as_class(func)

    def merge_layer(self, call: cst.Call, class_name: str, factory: str) -> LayerDef:
        """The layer ``layers.concatenate([a, b], axis=1)`` makes, ``layers.Concatenate(axis=1)``
        (``factory`` spells the class): every argument but the inputs, which the helper passes
        on in the class's own order."""
        layer = LayerDef(
            id=self._new_layer_id(),
            type_name=class_name,
            factory=Code(factory),
            args=tuple(self.arg(arg, Code(self.src.code(arg.value))) for arg in call.args[1:]),
            binding="inline",
            loc=self.src.loc(call),
            function=Code(self.src.code(call.func)),
        )
        self.layers.append(layer)
        return layer

    def external_layer(self, expr: cst.BaseExpression, loc: Loc | None = None) -> LayerDef:
        """A layer object made outside the model, referenced by ``expr`` (one def per text);
        ``loc`` for an expression kconvert wrote, which has no place in the source."""
        text = self.src.code(expr)
        scope = self.src.scope(expr) if isinstance(expr, cst.Name) and loc is None else None
        if scope is not None and not scope[expr.value] and not self.src.star_modules:
            raise refuse(
                self.src.loc(expr),
                f"`{expr.value}` is used as a layer, but this file never defines or imports it",
                f"define `{expr.value}` before the model, or import it",
            )
        if not isinstance(expr, ATOMS) and not expr.lpar:
            # ``Dense(64) if BIG else Dense(8)`` is called as ``(...)(x)``: the text says so once.
            text = f"({text})"
        key = (text, self._drawn_from.get(text))
        if key not in self._external:
            made = self._made_as(expr) or self._chosen_kind(expr)
            keeping = built_tensor_classes(self.src)
            layer = LayerDef(
                id=self._new_layer_id(),
                type_name=made or text,
                factory=None,
                args=(),
                binding="external",
                loc=loc or self.src.loc(expr),
                name=text if isinstance(expr, cst.Name) else None,
                reference=Code(text),
                holds=self._held(expr),
                # A layer of a class not known here may be one of the file's that keeps a tensor.
                builds_tensor=made in keeping if made else bool(keeping),
            )
            self.layers.append(layer)
            self._external[key] = layer
        return self._external[key]

    def loop_entered(self, names, iterable: str) -> None:
        """A loop binds ``names`` to the elements of ``iterable`` from here on."""
        self._drawn_from.update((name, iterable) for name in names)

    def _chosen_kind(self, expr: cst.BaseExpression) -> str | None:
        """``Dense`` for ``Dense(64) if BIG else Dense(8)``: the class both branches make."""
        if not isinstance(expr, cst.IfExp):
            return None
        kinds = {
            self.type_name(branch.func) if isinstance(branch, cst.Call) else None for branch in (expr.body, expr.orelse)
        }
        return kinds.pop() if len(kinds) == 1 and None not in kinds else "Layer"

    def _made_as(self, expr: cst.BaseExpression) -> str | None:
        """``Normalization`` for ``norm`` when its scope makes ``norm = layers.Normalization()``,
        or makes it again and the read sees that binding (parse/reaching.py)."""
        call = self.made_by(expr) or reaching_call(self.src, expr)
        keras = self.src.keras(call.func) if call is not None else None
        return keras.last if keras is not None and keras.is_layer_class else None

    def _held(self, expr: cst.BaseExpression) -> tuple[str, ...]:
        """``("Normalization", "RandomFlip")`` for ``augment`` when its scope makes
        ``augment = keras.Sequential([layers.Normalization(), layers.RandomFlip()])``."""
        call = self.made_by(expr)
        keras = self.src.keras(call.func) if call is not None else None
        if keras is None or keras.last != "Sequential" or not call.args or not isinstance(call.args[0].value, cst.List):
            return ()
        listed = (self.src.keras(element.value.func) for element in call.args[0].value.elements if isinstance(element.value, cst.Call))
        return tuple(made.last for made in listed if made is not None and made.is_layer_class)

    def made_by(self, expr: cst.BaseExpression) -> cst.Call | None:
        """The call that makes the object ``expr`` names, when its scope binds the name once, by a
        plain ``name = Call(...)``."""
        scope = self.src.scope(expr) if isinstance(expr, cst.Name) else None
        if scope is None:
            return None
        assignments = list(scope[expr.value])
        target = getattr(assignments[0], "node", None) if len(assignments) == 1 else None
        assign = self.src.parent(self.src.parent(target)) if isinstance(target, cst.Name) else None
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or assign.targets[0].target is not target:
            return None
        return assign.value if isinstance(assign.value, cst.Call) else None

    def type_name(self, func: cst.BaseExpression) -> str:
        keras = self.src.keras(func)
        if keras is not None:
            return keras.last
        if isinstance(func, cst.Attribute):
            return func.attr.value
        if isinstance(func, cst.Name):
            return func.value
        return self.src.code(func)

    def check_known_layer(self, func: cst.BaseExpression) -> None:
        keras: KerasName | None = self.src.keras(func)
        legacy = self.src.legacy_keras(func)
        if legacy is not None:
            raise refuse(
                self.src.loc(func),
                f"`{legacy}` is a Keras 2 internal path that Keras 3 does not have",
                "import layers from `keras` or `tensorflow.keras` instead",
            )
        if keras is None or not keras.is_layer_class or keras.is_known_layer:
            return
        close = difflib.get_close_matches(keras.last, sorted(KERAS_LAYERS), n=1)
        hint = f"did you mean `{close[0]}`?" if close else "check the layer name against keras.layers"
        written = self.src.code(func)
        keras_of = "`tf_keras`" if keras.root == KERAS2 else "Keras 3"
        if written.split(".")[-1] != keras.last:
            # ``from keras.layers import CuDNNLSTM as LSTM``: asking "did you mean `LSTM`?" of
            # code that says ``LSTM`` names neither the import nor its fix.
            raise refuse(
                self.src.loc(func),
                f"`{written}` is layers.{keras.last} (imported under that name), which {keras_of} does not have",
                f"import `{close[0]}` itself" if close else "check the layer name against keras.layers",
            )
        raise refuse(self.src.loc(func), f"unknown layer `{written}`: {keras_of} has no layers.{keras.last}", hint)
