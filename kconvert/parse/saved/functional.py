"""A saved Functional config as an IR graph.

Each layer entry lists its calls (``inbound_nodes``); a tensor is named by
``keras_history`` = (layer, call number, output number).  Calls are written
in the order Keras runs them (``order.py``), each after the calls whose tensors
it reads.  A layer called more than once is bound to a variable first (a shared
layer); a tensor read more than once gets the name of the layer that made it.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable

from ...ir.graph import Graph
from ...ir.nodes import Call, Define, LayerDef
from ...ir.source_text import Arg, Code, placeholder
from .fold import fold_repeats
from .layers import NOWHERE, config_of, input_node, input_variable, layer_def, layer_name
from .model_name import model_keywords
from .names import identifier
from .order import keras_order
from .problems import SavedModelProblem
from .values import Customs, literal

TENSOR = "__keras_tensor__"
History = tuple[str, int, int]


class _Functional:
    def __init__(
        self, config: dict, customs: Customs, nested: Callable[[dict], str], reserve: Callable[[str], str]
    ) -> None:
        self.customs = customs
        self.nested = nested
        self.reserve = reserve
        self.config = config
        entries = config.get("layers")
        if not isinstance(entries, list):
            raise SavedModelProblem("this Functional config has no list of layers")
        self.entries = {layer_name(entry): entry for entry in entries}
        self.order = [layer_name(entry) for entry in entries]
        self.values: dict[History, str] = {}
        self.reads: Counter = Counter()

    def value(self, history: History) -> str:
        return self.values.setdefault(history, f"v{len(self.values)}")

    def graph(self) -> Graph:
        calls = []  # (layer, call number, node)
        for name in self.order:
            nodes = self.entries[name].get("inbound_nodes") or []
            if not isinstance(nodes, list) or any(not isinstance(node, dict) for node in nodes):
                raise SavedModelProblem(f"the calls of layer `{name}` are not in the Keras 3 format")
            calls += [(name, number, node) for number, node in enumerate(nodes)]
        inputs_code = self.structure(self.config.get("input_layers"), "input_layers")
        outputs_code = self.structure(self.config.get("output_layers"), "output_layers")
        for _, _, node in calls:
            self.collect(node, self.reads)
        body, layers = [], {}
        for name in self.order:
            entry = self.entries[name]
            if entry["class_name"] == "InputLayer":
                config = config_of(entry)
                body.append(input_node(self.value((name, 0, 0)), config, self.customs, input_variable(config)))
        made = {history for history in self.values if self.entries.get(history[0], {}).get("class_name") == "InputLayer"}
        keys = keras_order(self.parents(calls), self.output_calls(outputs_code))
        # Unreached calls (none, in a config Keras wrote) go last; the sort is stable.
        calls.sort(key=lambda call: keys.get(call[:2], (1, 0)))
        for name, number, node in self.ordered(calls, made):
            if name not in layers:
                layers[name] = self.layer(name, len(layers))
                if layers[name].binding == "named":
                    body.append(Define(layers[name].id, NOWHERE))
            body.append(self.call(layers[name], name, number, node, outputs_code))
        name, extra = model_keywords(self.config, "Functional", self.customs)
        # The saved entry of each layer made where it is called: what a repeated block may fold.
        self.inline = {layer.id: self.entries[name] for name, layer in layers.items() if layer.binding == "inline"}
        return Graph(tuple(layers.values()), tuple(body), inputs_code, outputs_code, name, extra, NOWHERE)

    def layer(self, name: str, index: int) -> LayerDef:
        layer = layer_def(f"l{index}", self.entries[name], self.customs, self.nested)
        if layer.binding == "inline" and len(self.entries[name].get("inbound_nodes") or []) > 1:
            variable = self.reserve(identifier(name))  # a module-level name: never `keras` or another model's
            return LayerDef(layer.id, layer.type_name, layer.factory, layer.args, "named", NOWHERE, variable)
        return layer

    def call(self, layer: LayerDef, name: str, number: int, node: dict, outputs: Code) -> Call:
        args = node.get("args") or []
        kwargs = node.get("kwargs") or {}
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise SavedModelProblem(f"a call of layer `{name}` is not in the Keras 3 format")
        # Keras records the call keywords it filled in itself as None. A recorded
        # ``training=False`` says what Keras 3 does anyway: a graph passes the model's own
        # flag over it, and inference without one; a subclass's call() written with it
        # would hold it while training.
        given = [(None, arg) for arg in args] + [
            (key, item)
            for key, item in kwargs.items()
            if item is not None and not (key == "training" and item is False)
        ]
        arguments = [self.argument(key, item) for key, item in given]
        count = 1 + max((history[2] for history in self.values if history[:2] == (name, number)), default=0)
        made = [self.value((name, number, output)) for output in range(count)]
        # A branch point, or one of several outputs, reads best under its layer's name.
        several = len(outputs.values) > 1
        wanted = any(self.reads[value] > 1 or (several and value in outputs.values) for value in made)
        base = identifier(name)
        more = tuple((value, f"{base}_{output}") for output, value in enumerate(made[1:], start=1))
        return Call(made[0], layer.id, tuple(arguments), NOWHERE, base if wanted or more else None, more)

    def argument(self, keyword: str | None, item: object) -> Arg:
        refs: list[tuple[str, str]] = []
        return Arg(Code(self.tensors(item, refs), tuple(refs)), keyword)

    def parents(self, calls: list) -> dict[tuple[str, int], list[tuple[str, int]]]:
        """The calls each call reads from, in the order Keras flattens its arguments (keywords sorted)."""
        found = {(name, 0): [] for name, entry in self.entries.items() if entry["class_name"] == "InputLayer"}
        histories = {value: history for history, value in self.values.items()}
        for name, number, node in calls:
            reads: Counter = Counter()
            kwargs = node.get("kwargs")
            self.collect([node.get("args"), [kwargs[key] for key in sorted(kwargs)] if isinstance(kwargs, dict) else []], reads)
            found[(name, number)] = list(dict.fromkeys(histories[value][:2] for value in reads))
        return found

    def output_calls(self, outputs: Code) -> list[tuple[str, int]]:
        histories = {value: history for history, value in self.values.items()}
        return list(dict.fromkeys(histories[value][:2] for value in outputs.values))

    def ordered(self, calls: list, made: set[History]) -> list:
        """The calls, each after the calls that make its tensors; the order given otherwise."""
        done = {self.values[history] for history in made}
        left, ordered = list(calls), []
        while left:
            for position, (name, number, node) in enumerate(left):
                needed = Counter()
                self.collect(node, needed)
                if all(value in done for value in needed):
                    ordered.append(left.pop(position))
                    done.update(value for history, value in self.values.items() if history[:2] == (name, number))
                    break
            else:
                raise SavedModelProblem(f"the calls of layer `{left[0][0]}` read tensors no layer of the config makes")
        return ordered

    def collect(self, item: object, reads: Counter) -> None:
        """Counts the tensors ``item`` (a call's arguments) reads."""
        if isinstance(item, dict) and item.get("class_name") == TENSOR:
            reads[self.value(self.history(item))] += 1
        elif isinstance(item, dict):
            for value in item.values():
                self.collect(value, reads)
        elif isinstance(item, list):
            for value in item:
                self.collect(value, reads)

    def history(self, tensor: dict) -> History:
        found = (tensor.get("config") or {}).get("keras_history")
        if not (isinstance(found, list) and len(found) == 3 and isinstance(found[0], str)):
            raise SavedModelProblem("a tensor of the config does not say which layer made it")
        if found[0] not in self.entries:
            raise SavedModelProblem(f"a tensor of the config comes from `{found[0]}`, a layer the config does not list")
        return found[0], int(found[1]), int(found[2])

    def tensors(self, item: object, refs: list[tuple[str, str]]) -> str:
        """A call argument as source, each tensor a placeholder recorded in ``refs``."""
        if isinstance(item, dict) and item.get("class_name") == TENSOR:
            value = self.value(self.history(item))
            refs.append((placeholder(value), value))
            return placeholder(value)
        if isinstance(item, list):
            return "[" + ", ".join(self.tensors(value, refs) for value in item) + "]"
        if isinstance(item, dict) and not ("class_name" in item and "config" in item):
            return "{" + ", ".join(f"{literal(str(k), self.customs)}: {self.tensors(v, refs)}" for k, v in item.items()) + "}"
        return literal(item, self.customs)

    def structure(self, item: object, what: str) -> Code:
        """``input_layers`` / ``output_layers``: one [layer, call, output] triple, a list or a dict of them."""
        refs: list[tuple[str, str]] = []
        text = self._structure(item, refs, what)
        for _, value in refs:
            self.reads[value] += 1
        return Code(text, tuple(refs))

    def _structure(self, item: object, refs: list, what: str) -> str:
        if isinstance(item, list) and len(item) == 3 and isinstance(item[0], str):
            value = self.value(self.history({"config": {"keras_history": item}}))
            refs.append((placeholder(value), value))
            return placeholder(value)
        if isinstance(item, list) and item:
            return "[" + ", ".join(self._structure(value, refs, what) for value in item) + "]"
        if isinstance(item, dict) and item:
            parts = (f"{literal(str(k), self.customs)}: {self._structure(v, refs, what)}" for k, v in item.items())
            return "{" + ", ".join(parts) + "}"
        raise SavedModelProblem(f"this Functional config's {what} is not a list of layers")


def lift_functional(
    config: dict, customs: Customs, nested: Callable[[dict], str], reserve: Callable[[str], str]
) -> tuple[Graph, Graph]:
    """The model's graph, and the same graph with its repeated blocks folded into helper blocks."""
    lifter = _Functional(config, customs, nested, reserve)
    graph = lifter.graph()
    return graph, fold_repeats(graph, lifter.inline, customs, reserve)
