"""Names in an emitted subclass: its layer attributes and its loop variables (the class: class_name.py)."""

from __future__ import annotations

import keyword
import re
from collections import Counter

import libcst as cst

from ...ir.control import Loop
from ...ir.given_layers import called_params
from ...ir.graph import Graph, branches, walk
from ...ir.nodes import Call, Define, LayerDef, Node, Op
from ...parse.known_layers import KERAS_LAYERS
from ..model_attributes import MODEL_ATTRIBUTES
from ..serializable import stored_as
from .class_name import SPELLED
from .helpers import walk_written_out, written_out
from .name_claims import settle_claims

# Tensor names that say nothing about the layer that made them.
GENERIC_NAMES = frozenset({"x", "y", "h", "z", "out", "output", "outputs", "inputs", "net", "tensor"})


def snake(type_name: str) -> str:
    """``Conv2D`` → ``conv2d``, ``BatchNormalization`` → ``batch_normalization``,
    ``Conv2DTranspose`` → ``conv2d_transpose`` (the name Keras gives it)."""
    last = type_name.split(".")[-1]
    if not last.isidentifier():
        # A layer the file makes with an expression (``Dense(1) * 1``, ``pick or Dense(2)``):
        # its type's name is the last class it names, else it is just a layer.
        classes = re.findall(r"\b[A-Z]\w*", type_name)
        last = classes[-1] if classes else "Layer"
    words = re.sub(
        r"(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[0-9][A-Z])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])",
        "_",
        last,
    )
    return words.lower()


# The short names the Keras guides and keras-io examples give a layer of a type (``self.conv1``,
# ``self.bn1``, ``self.pool1``, ``self.layernorm1``, ``self.attention``), where Keras' own name
# (``conv2d``, ``batch_normalization``, ``max_pooling2d``) is longer; docs/styles.md#layer-attributes.
NOUNS = {
    "convolution": "conv",
    "convolution_transpose": "conv_transpose",
    "max_pooling": "pool",
    "max_pool": "pool",
    "average_pooling": "pool",
    "avg_pool": "pool",
    "global_average_pooling": "global_pool",
    "global_max_pooling": "global_pool",
    "global_avg_pool": "global_pool",
    "global_max_pool": "global_pool",
    "batch_normalization": "bn",
    "layer_normalization": "layernorm",
    "multi_head_attention": "attention",
    "re_lu": "relu",
    "leaky_re_lu": "leaky_relu",
    "p_re_lu": "prelu",
}


_MIXED_CASE = sorted((word for word in SPELLED.values() if not word.isupper()), key=len, reverse=True)


def layer_noun(type_name: str) -> str:
    """What a layer of this type is called when the source gave it no name: ``Conv2D`` → ``conv``,
    ``MaxPooling2D`` → ``pool``, ``UpSampling2D`` → ``up_sampling``, ``ResidualUnit`` →
    ``residual_unit``; the dimension says nothing a reader does not see in the constructor."""
    for word in _MIXED_CASE:
        # ``LeNet5`` → ``lenet5``, ``ResNetBlock`` → ``resnet_block``: one word, as the field writes it.
        type_name = type_name.replace(word, word.capitalize())
    # ``MLPBlock`` → ``mlp_block``, as Keras splits an acronym from the word after it.
    type_name = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", type_name)
    name = re.sub(r"(?<=[a-z])\d+d(?=$|_transpose$)", "", snake(type_name))
    return NOUNS.get(name, name)


def numbered(base: str, number: int) -> str:
    """``conv1`` for a one-word name, as the guides number layers; ``residual_unit_1`` and
    ``conv2d_1`` where the number would run into a word or a digit."""
    if "_" in base or base[-1:].isdigit():
        return f"{base}_{number}"
    return f"{base}{number}"


def attribute_names(graph: Graph, reads: frozenset[str]) -> dict[str, str]:
    """``self.<attr>`` for every layer: its source name where it had a telling one, else its type.

    A layer the source did not name is named after its type as the Keras guides name it
    (``layer_noun``: ``conv``, ``pool``, ``dense``); made in a loop, the layers are lists,
    named ``<noun>_layers`` (``<noun>s`` for a file's own block class, ``residual_units``).
    A noun several layers share is numbered from 1 (``conv1``, ``conv2``), and so is a source
    name that several layers of one type make (``deep = Dense(16)(deep)`` twice:
    ``deep_1``, ``deep_2``, not ``deep`` then ``dense``); names a Model already
    has (``layers``, ``name``), parameter names and the class's kept methods are never taken.
    """
    loops = loop_layers(graph)
    taken = set(MODEL_ATTRIBUTES) | {name for param in graph.params for name in (param.name, stored_as(param.name))}
    # A method the class keeps (``def dense1(self)``) would be hidden by a layer of its name.
    taken |= {method.name for method in graph.methods}
    wanted: dict[str, str] = {}
    # ``(base, list suffix, whether the source wrote the base)`` → the layers numbered under it.
    by_type: dict[tuple[str, str, bool], list[str]] = {}
    in_helpers = helper_layer_names(graph)
    preferred_of = {layer.id: in_helpers.get(layer.id) or _preferred(graph, layer, loops, reads) for layer in graph.layers}
    preferred_of = settle_claims(graph, preferred_of, layer_noun)
    kinds = Counter((preferred_of[layer.id], layer.type_name) for layer in graph.layers)
    # A name that one type's layers share is theirs, numbered; a layer of another type gets its own type's.
    shared = {name for (name, _), count in kinds.items() if name is not None and count > 1}
    for layer in graph.layers:
        preferred = preferred_of[layer.id]
        if given_layer(graph, layer) is not None:
            # The layer a block is given (``activation``) is the attribute its parameter is kept in.
            wanted[layer.id] = stored_as(given_layer(graph, layer))
        elif preferred in shared and kinds[preferred, layer.type_name] > 1 and preferred not in taken:
            by_type.setdefault((preferred, "", True), []).append(layer.id)
        elif preferred is not None and preferred not in taken and preferred not in shared and preferred not in wanted.values():
            wanted[layer.id] = preferred
        else:
            suffix = _list_suffix(layer.type_name) if layer.id in loops else ""
            by_type.setdefault((layer_noun(layer.type_name), suffix, False), []).append(layer.id)
    for (base, suffix, from_source), ids in by_type.items():
        if suffix == "s" and (len(ids) > 1 or f"{base}s" in taken or f"{base}s" in wanted.values()):
            # Numbered, a plural would read ``residual_unit_1s``.
            suffix = "_layers"
        number = 0
        for layer_id in ids:
            number += 1 if len(ids) > 1 else 0
            candidate = _numbered(base, number, from_source) + suffix
            if not number and not from_source and not suffix and _taken(candidate, taken, wanted):
                # One layer whose noun a parameter holds (``dropout``): ``dropout_layer``, not a number
                # that says there are two.
                candidate = f"{base}_layer"
            while _taken(candidate, taken, wanted):
                number += 1
                candidate = _numbered(base, number, from_source) + suffix
            wanted[layer_id] = candidate
    return wanted


def given_layer(graph: Graph, layer: LayerDef) -> str | None:
    """The parameter of ``graph`` that holds ``layer``, a layer object its caller makes (``Param.layer``,
    or a parameter the model calls, ``gen`` of a builder's ``model.add(gen)``)."""
    if layer.binding != "external" or layer.reference is None:
        return None
    held = called_params(graph)
    return next(
        (param.name for param in graph.params if (param.layer or param.name in held) and param.name == layer.reference.text),
        None,
    )


def _taken(name: str, taken: set[str], wanted: dict[str, str]) -> bool:
    return name in taken or name in wanted.values() or keyword.iskeyword(name)


def _numbered(base: str, number: int, from_source: bool) -> str:
    """``base`` itself for 0; a name the source wrote keeps its spelling whole (``deep_1``)."""
    if not number:
        return base
    return f"{base}_{number}" if from_source else numbered(base, number)


def _list_suffix(type_name: str) -> str:
    """``dense_layers`` for Keras' own layers, but ``residual_units`` for a class the file names
    as a noun (``ResidualUnit``), as block lists are (``self.residual_blocks``)."""
    last = snake(type_name).rsplit("_", 1)[-1]
    if type_name in KERAS_LAYERS or not last.isalpha() or last.endswith("s"):
        return "_layers"
    return "s"


# ``bit_model.layers[1]``, ``encoder.layers[-1]``: a layer object reached through attributes and indexes.
_PICKED = re.compile(r"^[A-Za-z_]\w*(?:\.\w+|\[-?\d+\])+$")


def _generic(tensor: str) -> str:
    """``x_1`` and ``x2`` say as little as ``x``."""
    return re.sub(r"_?\d+$", "", tensor)


_OUTPUT_SUFFIX = re.compile(r"(?<=[a-z0-9])_(?:out|output|outputs)$")


def _preferred(graph: Graph, layer: LayerDef, loops: set[str], reads: frozenset[str]) -> str | None:
    if layer.name and layer.name.isidentifier() and layer.binding != "external":
        return layer.name
    if layer.binding == "external" and layer.reference is not None and layer.reference.text.isidentifier():
        # ``encoded = encoder(inputs)``: the model or layer object the file made is ``self.encoder``.
        return layer.reference.text
    calls = graph.calls_of(layer.id)
    # ``seq, h, c = LSTM(...)(x)``: ``seq`` names one output, not the layer.
    if layer.id not in loops and len(calls) == 1 and not calls[0].more:
        tensor = calls[0].name or ""
        if _OUTPUT_SUFFIX.sub("", tensor).startswith(layer_noun(layer.type_name)):
            # ``lstm_out = LSTM(32)(x)`` names the layer's output: the layer is ``self.lstm``
            # (``model_output = Dense(1)(x)`` is not a ``self.model``).
            tensor = _OUTPUT_SUFFIX.sub("", tensor)
        # ``p = MaxPool2D(2)(x)``: a letter names a tensor for the moment, not a layer a class
        # keeps (``self.p``); the layer's type names it then.  ``s1``, ``e3`` are the source's
        # numbering (a fire module's squeeze and expand convolutions), kept.
        if len(tensor) > 1 and _generic(tensor) not in GENERIC_NAMES and tensor not in reads:
            return tensor
    for arg in layer.args:
        if arg.keyword == "name":
            literal = cst.parse_expression(arg.value.text)
            if isinstance(literal, cst.SimpleString) and literal.evaluated_value.isidentifier():
                # ``name="Output"`` is Keras' name for the layer; the attribute is Python's, in snake case.
                return snake(literal.evaluated_value)
    if layer.binding == "external" and layer.name and layer.name.isidentifier():
        return layer.name
    if layer.binding == "external" and layer.reference is not None and _PICKED.match(layer.reference.text):
        # ``bit_model.layers[1]``, a layer picked out of another model: ``self.bit_model_layers_1``.
        return re.sub(r"\W+", "_", layer.reference.text).strip("_")
    return None


def helper_layer_names(graph: Graph) -> dict[str, str]:
    """``residual_block2_conv1``: a helper's layers named after the helper and its call's number.

    In a loop they are lists: ``mixer_block_dense1_layers``.
    """
    names: dict[str, str] = {}
    calls: Counter = Counter()
    # A helper called in a loop makes a list of each of its layers, named as lists are.
    in_loops = {
        id(inner) for node in graph.walk() if isinstance(node, Loop) for inner in walk_written_out(node.body)
    }
    sites = Counter(node.helper.name for node in graph.walk() if isinstance(node, Op) and node.helper)
    for node in graph.walk():
        if not (isinstance(node, Op) and node.helper is not None):
            continue
        calls[node.helper.name] += 1
        lists = "_layers" if id(node) in in_loops else ""
        # A lone call in a loop needs no number: the lists already tell its passes apart.
        number = "" if lists and sites[node.helper.name] == 1 else calls[node.helper.name]
        made = [inner.layer for inner in walk(node.helper.body) if isinstance(inner, (Call, Define))]
        made = list(dict.fromkeys(layer for layer in made if graph.layer(layer).binding != "external"))
        types = Counter(layer_noun(graph.layer(layer).type_name) for layer in made)
        numbers: Counter = Counter()
        for layer in made:
            kind = layer_noun(graph.layer(layer).type_name)
            numbers[kind] += 1
            kind = numbered(kind, numbers[kind]) if types[kind] > 1 else kind
            # ``_conv_block`` (a private helper, or a method of the object) names public layers.
            names[layer] = f"{node.helper.name.lstrip('_') or node.helper.name}{number}_{kind}{lists}"
    return names


def loop_layers(graph: Graph) -> set[str]:
    found: set[str] = set()
    for node in graph.walk():
        if isinstance(node, Loop):
            found |= set(layers_in(graph, node.body))
    return found


def layers_in(graph: Graph, body: tuple[Node, ...]) -> list[str]:
    """Layers made inside a loop body (inline, defined there, or by a helper), in order of first use."""
    found: list[str] = []
    for node in walk_written_out(body):
        if isinstance(node, (Call, Define)) and node.layer not in found:
            if isinstance(node, Define) or graph.layer(node.layer).binding == "inline":
                found.append(node.layer)
    return found


def loops_around(body: tuple[Node, ...], layer_id: str) -> list[Loop] | None:
    """The loops inside ``body`` around the first node that makes ``layer_id``, outermost first;
    None when ``body`` does not make it."""
    for node in body:
        if isinstance(node, (Call, Define)) and node.layer == layer_id:
            return []
        if isinstance(node, Loop):
            inside = loops_around(node.body, layer_id)
            if inside is not None:
                return [node, *inside]
            continue
        nested = list(branches(node))
        if isinstance(node, Op) and node.helper is not None:
            nested.append(written_out(node.helper))
        for branch in nested:
            inside = loops_around(branch, layer_id)
            if inside is not None:
                return inside
    return None


def singular(name: str) -> str:
    if name.endswith("_layers"):
        return name[: -len("_layers")]
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return "layer"


def free_name(preferred: str, reserved: frozenset[str]) -> str:
    name, counter = preferred, 0
    while name in reserved:
        counter += 1
        name = f"{preferred}_{counter}"
    return name
