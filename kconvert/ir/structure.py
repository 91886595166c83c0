"""A graph's structure with every name and spelling taken out.

Two graphs with equal ``structure`` build the same model: the same layers made
with the same arguments, called on the same tensors in the same order, and changed by
the same statements (ir/layer_statements.py).  Round
trip tests compare this, since a conversion may rename tensors, move
``input_shape=`` into ``keras.Input`` or requote strings.  A library function
called by a name the model's code gives it (``act = keras.activations.gelu``,
then ``act(x)``) is read as a call of its path, as a subclass's ``call()``
writes it (ir/library_names.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from .code import Picked, render, substitute
from .control import Cond, Loop
from .dataflow import has_else, produced
from .given_layers import given_layer
from .graph import Graph
from .layer_statements import LayerStatements
from .library_names import library_names, spelled_out
from .block_params import instance_params
from .model_parts import Block
from .normal_form import literal_truth, normal_text
from .nodes import Call, Define, Input, LayerDef, Node, Op, Stmt
from .op_layers import KINDS, LayerOf, layers_of
from .returned import packs_only, parts
from .source_text import Arg, Code, placeholder
from .weightless import WEIGHTLESS_LAYERS


def structure(graph: Graph, expand_helpers: bool = False) -> tuple:
    """The graph without names; ``expand_helpers`` writes helper calls out as their layers, and
    calls of a layer whose class is one of the graph's blocks as that block's body."""
    # Tensors are numbered in the order they are first read, so a value that
    # one style names and another does not (a helper's result) changes nothing.
    # A block's tensors are numbered per call (``scope``): each call makes its own.
    aliases: dict[str, str] = {}
    numbers: dict[str, int] = {}
    layers: dict[str, int] = {}
    blocks = {block.name: block for block in graph.blocks} if expand_helpers else {}

    def resolved(value: str) -> str:
        while value in aliases:
            value = aliases[value]
        return value

    # Each number's tensor: an expression that is one tensor alone is that tensor.
    named: dict[str, str] = {}

    def number(value: str) -> str:
        text = f"T{numbers.setdefault(resolved(value), len(numbers))}"
        named.setdefault(text, resolved(value))
        return text

    # With ``expand_helpers``, a tuple of tensors bound to one name (a helper's results, ``pair =
    # block(x)``) is read as written where it is read: one style binds it, another spells it out.
    packs: dict[str, str] = {}

    def code(value: Code, scope: str = "") -> str:
        return normal_text(numbered(value, scope))

    def numbered(value: Code, scope: str) -> str:
        text = value.text
        spelled = {}
        for placeholder_name, ref in value.refs:
            packed = packs.get(resolved(scope + ref))
            if packed is not None:
                spelled[placeholder_name] = packed
            else:
                text = _replace_name(text, placeholder_name, number(scope + ref))
        if not spelled:
            return text
        # ``pair[0]`` reads ``a`` of ``pair = (a, b)``, as a style that unpacks the pair writes it.
        return cst.Module([]).code_for_node(cst.parse_expression(substitute(text, spelled)).visit(Picked()))

    def args(items: tuple[Arg, ...], scope: str = "") -> tuple:
        return tuple((arg.keyword, arg.star, code(arg.value, scope)) for arg in items)

    functions = library_names(graph)
    # What the model's statements do to its layers (ir/layer_statements.py).
    statements = LayerStatements()
    statements.given(graph)

    def walk(body: tuple[Node, ...], owner: Graph = graph, scope: str = "", params=None) -> tuple:
        out = []
        for node in body:
            if isinstance(node, Op) and functions:
                node = replace(node, expr=replace(node.expr, text=spelled_out(node.expr.text, functions)))
            if isinstance(node, Input) and params is not None:
                continue
            if isinstance(node, (Call, Define)):
                statements.made(scope, owner.layer(node.layer).name, scope + node.layer, isinstance(node, Define))
            elif isinstance(node, Stmt):
                statements.statement(scope, node.code, owner, params)
            elif isinstance(node, Loop):
                statements.loop(scope, node.target, node.iterable.text)
            if isinstance(node, Input):
                out.append(("input", args(node.args), node.out) + ((normal_text(node.choice),) if node.choice else ()))
            elif isinstance(node, Call):
                layer = owner.layer(node.layer)
                if params:
                    # ``name=name`` of an instance made without a name is left out, as a helper
                    # written out leaves it (parse/helpers.py): ``None`` is every layer's default.
                    kept = (arg for arg in layer.args if not (arg.keyword == "name" and params.get(arg.value.text) == "None"))
                    layer = replace(layer, args=tuple(replace(arg, value=_bound(arg.value, params)) for arg in kept))
                    layer = given_layer(layer, params)
                block = blocks.get(layer.factory.text) if layer.factory is not None else None
                if block is not None:
                    out.extend(instance(block, layer, node, scope))
                    continue
                # A weightless layer called again is no shared state: one per call, as a Sequential
                # (which Keras saves with each object once) writes it.
                shared = scope + layer.id if layer.type_name not in WEIGHTLESS_LAYERS else f"{scope}{layer.id}@{id(node)}"
                if scope and _held_by_module(layer, params):
                    # A block's ``self.shared = shared`` of a module-level layer: one object, which
                    # every instance calls, as a helper reading ``shared`` calls it.
                    shared = f"(module {layer.reference.text})"
                key = layers.setdefault(shared, len(layers))
                kept = layer.kept_args()
                # A layer class picked by an expression (``{"GRU": GRU}[kind]``) is named by its text,
                # which black lays out anew: spacing and line breaks do not count.
                kind = layer.type_name if layer.type_name.isidentifier() else normal_text(layer.type_name)
                # An ``Activation`` (or ``Reshape``) is compared by what it computes, however it is
                # spelled, as the expression it stands for in a Sequential model is (``ir/op_layers.py``).
                factory = normal_text(layer.factory.text) if layer.factory and kind not in KINDS else None
                made = (kind, factory, args(kept, scope))
                out.append(("call", key, made, args(node.args, scope), len(node.more)))
            elif isinstance(node, Op) and expand_helpers and node.helper is not None and node.helper.body:
                out.extend(walk(node.helper.body, owner, scope, params))
                aliases.update((scope + a, scope + b) for a, b in zip(produced(node), node.helper.results))
            elif isinstance(node, Op) and _layers(node, params):
                out.extend(as_layers(_layers(node, params), scope + node.expr.values[0], scope + node.out))
            elif isinstance(node, Op) and expand_helpers and not node.more and node.changes is None and packs_only(node.expr):
                packs[resolved(scope + node.out)] = numbered(node.expr, scope)
            elif isinstance(node, Op):
                expr = _bound(node.expr, params) if params else node.expr
                text = code(expr, scope)
                alone = re.fullmatch(r"\(?(T\d+)\)?", text)
                same = named.get(alone.group(1)) if alone and not node.more and node.changes is None else None
                if same is not None:
                    # ``first = pair[0]`` of ``pair = (a, b)`` is ``a`` under another name, as a
                    # style that reads the pair as a list of tensors binds it.
                    aliases[scope + node.out] = same
                    continue
                out.append(("op", text, len(node.more), node.changes is not None))
            elif isinstance(node, Cond) and params and literal_truth(_tested(node.test, params, owner)) is not None:
                out.extend(decided(node, owner, scope, params))
            elif isinstance(node, (Loop, Cond)):
                for carried in node.carried:
                    if carried.init is not None:
                        aliases[scope + carried.param] = scope + carried.init
                inner = walk(node.body, owner, scope, params)
                for carried in node.carried:
                    aliases[scope + carried.out] = scope + carried.result
                if isinstance(node, Loop):
                    statements.left(scope, node.target)
                    iterable = _bound(node.iterable, params) if params else node.iterable
                    items = tuple((item.name, code(item.source, scope)) for item in node.items)
                    out.append(("loop", _target_if_read(node.target, (inner, items)), code(iterable, scope), items, inner))
                else:
                    test = _bound(node.test, params) if params else node.test
                    out.append(("if", code(test, scope), inner) + orelse_of(node, owner, scope, params))
        return tuple(out)

    def as_layers(made: tuple[LayerOf, ...], value: str, out: str) -> tuple:
        """An expression as the calls of the layers that compute it (``ir/op_layers.py``), as a
        Sequential model holds them: each on the one before's output, the last one's ``out``."""
        entries = []
        for index, same in enumerate(made):
            result = out if index == len(made) - 1 else f"{out}/{index}"
            key = layers.setdefault(result, len(layers))
            tensor = args((Arg(Code("_t", (("_t", value),))),))
            entries.append(("call", key, (same.kind, None, ((None, "", normal_text(same.arg)),)), tensor, 0))
            value = result
        return tuple(entries)

    def decided(node: Cond, owner: Graph, scope: str, params) -> tuple:
        """A block's ``if conv_first:`` on an argument given as a literal: only the branch it
        takes, as a helper written out in place decides it where it is called
        (parse/static_truth.py)."""
        for carried in node.carried:
            if carried.init is not None:
                aliases[scope + carried.param] = scope + carried.init
        if literal_truth(_tested(node.test, params, owner)):
            inner = walk(node.body, owner, scope, params)
            aliases.update((scope + carried.out, scope + carried.result) for carried in node.carried)
            return inner
        inner = walk(node.orelse, owner, scope, params)
        for carried in node.carried:
            end = carried.other if carried.other is not None else carried.init
            aliases[scope + carried.out] = scope + end
        return inner

    def orelse_of(node: Cond, owner: Graph, scope: str, params) -> tuple:
        """An ``else`` branch, and which tensor each branch leaves (``x = f(x)`` is not ``y = f(x)``)."""
        if not has_else(node):
            return ()
        orelse = walk(node.orelse, owner, scope, params)
        if not orelse and all(
            carried.init is not None
            and (carried.other is None or resolved(scope + carried.other) == resolved(scope + carried.init))
            for carried in node.carried
        ):
            # An ``else`` that leaves every tensor as it was (``else: raise ValueError(...)``)
            # builds what no ``else`` builds.
            return ()
        ends = tuple((number(scope + carried.result), number(scope + carried.other)) for carried in node.carried)
        return (orelse, ends)

    def given(value: Code, scope: str, as_op: str, ops: list) -> str:
        """The tensor a block's input is given: the one named, the one an expression picks
        (``self.down(pair[0])`` of ``pair = (a, b)`` is given ``a``, as ``down(a)`` is), or
        ``as_op``, the tensor of any other expression (``skips[-1]``), its op added to ``ops``
        as a written-out call binds its parameter (``x = skips[-1]``) before its body."""
        if value.text == placeholder(value.values[0]):
            return scope + value.values[0]
        text = code(value, scope)
        alone = re.fullmatch(r"\(?(T\d+)\)?", text)
        if alone:
            return named[alone.group(1)]
        ops.append(("op", text, 0, False))
        return as_op

    def instance(block: Block, layer: LayerDef, node: Call, scope: str) -> tuple:
        """One call of a block layer: its body, its parameters bound to the layer's arguments."""
        inner_scope = f"{scope}{layer.id}/{len(layers)}/"
        block_inputs = [item.out for item in block.graph.inputs_in_order()]
        ops: list = []
        tensors = [
            given(arg.value, scope, f"{inner_scope}(given {index})", ops)
            for index, arg in enumerate(node.args)
            if len(arg.value.values) == 1
        ]
        aliases.update((inner_scope + inner, outer) for inner, outer in zip(block_inputs, tensors))
        # An argument that reads a value of the caller (``AttentionGate(n)`` of ``n = x.shape[-1]``)
        # is numbered where the caller reads it, as a helper written out there reads it.
        params = {name: numbered(value, scope) for name, value in instance_params(block, layer).items()}
        inner = (*ops, *walk(block.graph.body, block.graph, inner_scope, params))
        results = [inner_scope + value for value in block.graph.outputs.values]
        made = produced(node)
        split = parts(block.graph.outputs) if len(made) > 1 and len(made) != len(results) else None
        if len(made) == 1 and len(results) > 1:
            # ``maps = self.block(x)`` of a block returning ``a, b``: ``maps`` is the pair, as an
            # expression of the block's results (a written-out helper's call says so too).
            split = (block.graph.outputs,)
        elif split is None or len(split) != len(made):
            aliases.update(zip((scope + value for value in made), results))
            return inner
        # ``x, skips = self.encoder(x)`` of a block returning ``x, (a, b)``: ``skips`` is the pair.
        for index, (value, part) in enumerate(zip(made, split)):
            if len(part.refs) == 1 and part.text == part.refs[0][0]:
                aliases[scope + value] = inner_scope + part.refs[0][1]
                continue
            whole = aliases[scope + value] = inner_scope + f"(outputs {index})"
            if packs_only(part):
                packs[whole] = numbered(part, inner_scope)
            else:
                inner = (*inner, ("op", code(part, inner_scope), 0, False))
        return inner

    body, outputs = walk(graph.body), code(graph.outputs)
    if layers_of(graph.outputs):
        # ``return tf.nn.softmax(self.out(x))`` is the layer a Sequential model ends with.
        body += as_layers(layers_of(graph.outputs), graph.outputs.values[0], "(outputs)")
        outputs = normal_text(number("(outputs)"))
    body = _number_inputs(body, number)
    return body, code(graph.inputs), outputs, code(_name(graph)) if graph.name else None, statements.numbered(layers)


def _held_by_module(layer: LayerDef, params) -> bool:
    """Whether a block's layer is an object the block reads by a name of the module, not one of
    its parameters (which each instance is given anew)."""
    return layer.reference is not None and layer.reference.text.isidentifier() and layer.reference.text not in (params or {})


def _layers(node: Op, params) -> tuple[LayerOf, ...]:
    """The layers a plain expression of one tensor is (``keras.ops.relu(x)``), if it is any."""
    if node.helper is not None or node.more or node.changes is not None:
        return ()
    return layers_of(_bound(node.expr, params) if params else node.expr)


def _target_if_read(target: str, body: tuple) -> str:
    """A loop's target, or ``_`` when nothing in its body reads it: ``for i in range(3)`` and
    ``for _ in range(3)`` around the same layers build the same model."""
    names = set(re.findall(r"[A-Za-z_]\w*", target))
    texts = _strings(body)
    if any(re.search(rf"\b{name}\b", text) for name in names for text in texts):
        # As black prints it: an emitter that formats the loop writes ``for k, c in cfg`` for the
        # original's ``for k,c in cfg`` or ``for (k, c) in cfg``, the same loop.
        return normal_text(_without_parentheses(target))
    return "_"


def _without_parentheses(target: str) -> str:
    """A loop target without the parentheses around it, which black drops (``for (i, args) in``)."""
    try:
        node = cst.parse_expression(target)
    except cst.ParserSyntaxError:
        return target
    if not getattr(node, "lpar", None):
        return target
    return cst.Module(body=[]).code_for_node(node.with_changes(lpar=[], rpar=[]))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _bound(value: Code, params: dict[str, str]) -> Code:
    """``value`` with the block's parameters replaced by the arguments of one call."""
    return replace(value, text=substitute(value.text, params)) if params else value


def _tested(test: Code, params: dict[str, str], owner: Graph) -> str:
    """A block's test with its parameters bound; one given a layer object the block calls (``if
    activation:``) is true, as the object is, and as a helper written out decides it
    (parse/static_truth.py)."""
    layered = {layer.reference.text for layer in owner.layers if layer.binding == "external" and layer.reference}
    return _bound(test, {name: "True" if name in layered else value for name, value in params.items()}).text


def _number_inputs(body: tuple, number) -> tuple:
    """Each Input with the number of its tensor, known once the whole graph has read it."""
    out = []
    for entry in body:
        if entry[0] == "input":
            entry = (entry[0], entry[1], number(entry[2]))
        elif entry[0] in ("loop", "if"):
            entry = (*entry[:-1], _number_inputs(entry[-1], number))
        out.append(entry)
    return tuple(out)


def _name(graph: Graph) -> Code:
    """The model's name; a builder parameter (``name="mlp"``) by its default, which a subclass keeps."""
    for param in graph.params:
        if param.name == graph.name.text and param.default is not None:
            return param.default
    return graph.name


def _replace_name(text: str, old: str, new: str) -> str:
    return render(Code(text, ((old, "_"),)), {"_": new})
