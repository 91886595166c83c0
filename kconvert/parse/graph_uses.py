"""Code after a model that needs the model to be a graph.

A Functional or Sequential model has symbolic ``input``/``output`` tensors and
lists its layers in graph order; a subclass has neither.  Feature extractors
(``keras.Model(model.input, model.layers[-2].output)``), ``get_layer`` and
indexing ``model.layers`` stop working, or pick another layer, when the model
becomes a subclass, so to-subclass refuses there and names the line.

``model.get_layer("fc1")`` is the exception: a subclass finds the layer that was
made with ``name="fc1"`` among its own attributes, as long as nothing then asks
that layer for its symbolic ``output`` (``named_layer``, ``found_by_name``).

A graph model also unpacks its one input given in a list (``model.fit([x], y)``,
Keras' ``unpack_singleton``); a subclass's ``call()`` gets the list as written
(``LISTED``).
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from ..ir.graph import Graph
from ..ir.nodes import Call, Define
from ..ir.source_text import Loc
from .later_reads import mentioning
from .legacy_saves import argument, bound_values, h5_checkpoints, legacy_h5
from .module_index import name_assignment
from .names_in import bound_names
from .source import SourceFile
from .walk import walk

# What only a Functional model (a graph class too) has in Keras 3: a Sequential model has none either.
OUTPUT_NAMES = "output_names"
# Attributes only a graph model has.
GRAPH_ONLY = frozenset(
    {"input", "inputs", "output", "outputs", "get_layer", "input_shape", "output_shape", OUTPUT_NAMES}
)
# What only a layer called on symbolic tensors has: a subclass calls its layers on real ones.
SYMBOLIC = frozenset({"input", "output", "input_shape", "output_shape"})
_NAMED = re.compile(r'\.get_layer\(("[^"]*")\)$')
# The model's methods that take its input first (``x=``), and what a use that lists it reads as.
INPUT_METHODS = frozenset({"fit", "predict", "evaluate", "train_on_batch", "test_on_batch", "predict_on_batch"})
LISTED = "([...])"
# A dict keyed by literal names handed to the model: its inputs by their ``Input(name=...)``
# (``model.fit({"title": titles}, ...)``), or its outputs by their layers' names
# (``compile(loss={"priority": ...})``, ``fit(x, {"priority": ...})``). Keras matches the keys to a
# graph model's input and output names; a subclass has none, and its call() gets the dict as it is.
KEYED_INPUTS = "({...})"
KEYED_OUTPUTS = "(...={...})"
# The model saved in Keras' legacy HDF5 format (``model.save("m.h5")``, ``save_format="h5"``, or
# ``model.fit(..., callbacks=[ModelCheckpoint("best.h5")])``, found at the checkpoint):
# ``load_model`` finds a saved model's class there by its bare name, which a registered class
# (``package>Name``) is not filed under, so a class kconvert writes does not load back.
SAVED_H5 = "(...h5)"
# The model's config read where the file makes a model of a config with a Keras class's own
# ``from_config`` (``keras.Model.from_config(model.get_config())``): each style's config has its own
# form (a graph's layers and edges, a Sequential's layer list, a class's constructor arguments),
# which that call reads as the class it is called on, so another style's config builds another
# model, or fails. ``type(model).from_config(...)`` makes the model's own class again.
REBUILT = "(...config)"
_CONFIG_CLASSES = frozenset({"Model", "Sequential", "Functional"})
# Where a model's methods take the targets (``y``) and what compile() keys by output.
_TARGETS = {"fit": 1, "evaluate": 1, "train_on_batch": 1, "test_on_batch": 1}
_BY_OUTPUT = frozenset({"loss", "loss_weights", "metrics", "weighted_metrics"})


def graph_uses(src: SourceFile, target: str, statements) -> tuple[tuple[str, Loc], ...]:
    """``(what, where)`` for each use of ``target`` in ``statements`` that needs a graph model; a
    ``get_layer`` by a literal name whose layer is not asked for graph attributes is
    ``model.get_layer("name")`` (``named_layer`` reads it back)."""
    # A ``Later`` finds the statements that mention ``target`` through its index, not by reading each;
    # ``self.encoder`` is found by ``self``.
    mentioned = mentioning(statements, {target.split(".")[0]})
    found: list[tuple[str, Loc]] = []
    for statement in mentioned:
        visitor = _Uses(target, src=src)
        walk(statement, visitor)
        found += [(_symbolic_later(what, statement, statements), src.loc(node)) for what, node in visitor.found]
        if target in bound_names(statement):
            break
    # Only a file that reads the model's config is searched for the call that makes a model of one.
    if any(what.endswith(REBUILT) for what, _ in found) and not _rebuilds_config(statements):
        found = [(what, loc) for what, loc in found if not what.endswith(REBUILT)]
    return tuple(found)


def _rebuilds_config(statements) -> bool:
    """Whether a statement calls ``from_config`` on a Keras model class by its name
    (``tf.keras.Model.from_config(config)``, ``Sequential.from_config``), not on the model's own
    (``type(model).from_config``)."""

    class FromConfig(cst.CSTVisitor):
        found = False

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "from_config":
                owner = func.value
                name = owner.attr.value if isinstance(owner, cst.Attribute) else getattr(owner, "value", None)
                self.found |= name in _CONFIG_CLASSES

    visitor = FromConfig()
    for statement in statements:
        walk(statement, visitor)
        if visitor.found:
            return True
    return False


def named_layer(what: str) -> str | None:
    """``"fc1"`` for a use ``model.get_layer("fc1")``, else None."""
    match = _NAMED.search(what)
    return ast.literal_eval(match.group(1)) if match else None


def found_by_name(graph: Graph, name: str) -> bool:
    """Whether a layer made with ``name=name`` is one of the model's own, outside any helper block
    (a block written as a Layer class keeps its layers to itself)."""
    own = {node.layer for node in graph.walk() if isinstance(node, (Call, Define))}
    for layer in graph.layers:
        for arg in layer.args:
            if layer.id in own and arg.keyword == "name" and named_literal(arg.value.text) == name:
                return True
    return False


def named_literal(text: str) -> object:
    """The value of a literal argument (``"fc1"``), None for any other expression."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None


def _symbolic_later(what: str, statement: cst.CSTNode, statements) -> str:
    """``layer = model.get_layer("fc1")`` then ``layer.output``: the layer is asked for a graph."""
    assigned = name_assignment(statement)
    if named_layer(what) is None or assigned is None:
        return what
    # Only such a line needs the statements after it: listing them at every use of the model
    # made a file's cost uses x statements.
    listed = list(statements)
    later = listed[listed.index(statement) + 1 :]
    visitor = _Uses(assigned[0], SYMBOLIC)
    for statement in mentioning(later, {assigned[0]}):
        walk(statement, visitor)
        if assigned[0] in bound_names(statement):
            break
    return what.split("(")[0] if visitor.found else what


class _Uses(cst.CSTVisitor):
    def __init__(self, target: str, attributes: frozenset[str] = GRAPH_ONLY, src: SourceFile | None = None) -> None:
        self.target = target
        self.attributes = attributes
        self.src = src
        self.found: list[tuple[str, cst.CSTNode]] = []
        self.asked: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Call) and self._get_layer(node.value) and node.attr.value in SYMBOLIC:
            # ``model.get_layer("fc1").output``
            self.asked.add(id(node.value))
        if _spelled(node.value) == self.target:
            if node.attr.value in self.attributes and id(node) not in self.asked:
                self.found.append((f"{self.target}.{node.attr.value}", node))

    def visit_Call(self, node: cst.Call) -> None:
        called = self._called(node)
        if called is not None and _one_listed(node):
            self.found.append((f"{called}{LISTED}", node))
        given = argument(node, 0, "x")
        if called is not None and (_keyed(given) or isinstance(given, cst.DictComp) or self._bound_to_dict(given)):
            self.found.append((f"{called}{KEYED_INPUTS}", node))
        elif called is not None and _keyed_validation(node, 0):
            self.found.append((f"{called}{KEYED_INPUTS}", node))
        method = called.rsplit(".", 1)[-1] if called is not None and "." in called else None
        targets = argument(node, _TARGETS[method], "y") if method in _TARGETS else None
        if _keyed(targets) or (method == "fit" and _keyed_validation(node, 1)):
            self.found.append((f"{called}{KEYED_OUTPUTS}", node))
        if self._of_target(node.func, "compile") and any(
            arg.keyword is not None and arg.keyword.value in _BY_OUTPUT and _keyed(arg.value) for arg in node.args
        ):
            self.found.append((f"{self.target}.compile{KEYED_OUTPUTS}", node))
        if self.attributes is GRAPH_ONLY and self._of_target(node.func, "get_config"):
            # Not a layer's config (``layer = model.get_layer("fc1")``, then ``layer.get_config()``).
            self.found.append((f"{self.target}.get_config{REBUILT}", node))
        saves = self._of_target(node.func, "save") and legacy_h5(node, 0, self.src)
        if saves or (_saves_model(node, self.target) and legacy_h5(node, 1, self.src)):
            self.found.append((f"{self.target}.save{SAVED_H5}", node))
        if self._of_target(node.func, "fit") or self._of_target(node.func, "fit_generator"):
            self.found += [(f"{self.target}.fit{SAVED_H5}", made) for made in h5_checkpoints(node, self.src)]
        if not self._get_layer(node) or id(node) in self.asked:
            return
        self.asked.add(id(node.func))
        args = [arg for arg in node.args if arg.keyword is None or arg.keyword.value == "name"]
        value = args[0].value if len(node.args) == 1 and args else None
        if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
            self.found.append((f'{self.target}.get_layer("{value.evaluated_value}")', node))
        else:
            self.found.append((f"{self.target}.get_layer", node))

    def _bound_to_dict(self, value: cst.BaseExpression | None) -> bool:
        """Whether ``value`` is a name every assignment of which makes a dict of literal keys or
        a dict comprehension (``inputs = {name: tf.constant([v]) for name, v in row.items()}``)."""
        values = bound_values(self.src, value)
        return bool(values) and all(_keyed(found) or isinstance(found, cst.DictComp) for found in values)

    def _called(self, call: cst.Call) -> str | None:
        """``model`` or ``model.fit`` when ``call`` hands the model its input, else None."""
        if _spelled(call.func) == self.target:
            return self.target
        if any(self._of_target(call.func, method) for method in INPUT_METHODS):
            return f"{self.target}.{call.func.attr.value}"
        return None

    def _get_layer(self, call: cst.Call) -> bool:
        return self._of_target(call.func, "get_layer")

    def _of_target(self, node: cst.BaseExpression, attr: str) -> bool:
        """Whether ``node`` is ``<target>.<attr>``."""
        return isinstance(node, cst.Attribute) and node.attr.value == attr and _spelled(node.value) == self.target

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if self._of_target(node.value, "layers"):
            self.found.append((f"{self.target}.layers[{_position(node)}]", node))


def _spelled(node: cst.BaseExpression) -> str | None:
    """``model`` for a name, ``self.encoder`` for an attribute of a name, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return f"{node.value.value}.{node.attr.value}"
    return None


def _one_listed(call: cst.Call) -> bool:
    """Whether the call's input (its first positional argument, or ``x=``) is an array in a list or
    tuple of one (``[x_test]``); ``[17.0]`` or ``[["some text"]]`` is the data itself."""
    first = [arg for arg in call.args if arg.keyword is None and not arg.star][:1]
    given = first or [arg for arg in call.args if arg.keyword is not None and arg.keyword.value == "x"]
    value = given[0].value if given else None
    if not isinstance(value, (cst.List, cst.Tuple)) or len(value.elements) != 1:
        return False
    element = value.elements[0]
    return isinstance(element, cst.Element) and isinstance(element.value, (cst.Name, cst.Attribute, cst.Subscript, cst.Call))


def _saves_model(call: cst.Call, target: str) -> bool:
    """Whether ``call`` is ``save_model(model, ...)`` (``keras.models.``, ``keras.saving.``) of ``target``."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    return name == "save_model" and _spelled(argument(call, 0, "model")) == target


def _keyed(value: cst.BaseExpression | None) -> bool:
    """Whether ``value`` is a dict written with a literal string key (``{"title": titles}``)."""
    return isinstance(value, cst.Dict) and any(
        isinstance(element, cst.DictElement)
        and isinstance(element.key, cst.SimpleString)
        and isinstance(element.key.evaluated_value, str)
        for element in value.elements
    )


def _keyed_validation(call: cst.Call, index: int) -> bool:
    """Whether ``validation_data=(x, y)`` keys its ``index``-th element by names."""
    data = next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "validation_data"), None)
    if not isinstance(data, (cst.Tuple, cst.List)) or len(data.elements) <= index:
        return False
    element = data.elements[index]
    return isinstance(element, cst.Element) and _keyed(element.value)


def _position(node: cst.Subscript) -> str:
    """``-2`` for ``layers[-2]`` (counted from the end: the same in Sequential and Functional), ``1``
    for ``layers[1]`` (renumbered by rewrite/layer_indexes.py), else ``...``."""
    index = node.slice[0].slice if len(node.slice) == 1 else None
    value = index.value if isinstance(index, cst.Index) else None
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        if isinstance(value.expression, cst.Integer):
            return f"-{value.expression.evaluated_value}"
    if isinstance(value, cst.Integer):
        return str(value.evaluated_value)
    return "..."
