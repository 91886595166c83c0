"""A builder's parameter the model reads only for its data's sizes: those sizes as the class's parameters.

``def build_model(x_train, y_train): ... layers.Dense(y_train.shape[1])``: a Functional model
reads the array while it is built and keeps nothing of it.  A class target that took ``y_train``
as its parameter would keep the whole array as an attribute and in ``get_config()``, so saving
writes the training data into the model's config, or fails outright for an object JSON cannot
hold (a ``WindowGenerator``, a tokenizer).  A Keras user writes the class on the sizes instead:
each size the model reads (``y_train.shape[1]``, ``x.shape[1:]``, ``len(tokenizer.word_index)``)
is a parameter named after what it reads (``y_train_dim``, ``x_shape``,
``tokenizer_word_index_size``), given by the line that makes the instance, where the data is
(``Param.given``, as a method's ``self.latent_dim`` is): the value is read at the same moment
as before.  A parameter read in any other way, by a block of its own name, or with a default the
caller may leave out stays what it was.
"""

from __future__ import annotations

import keyword
import re

from collections import Counter
from dataclasses import replace

import libcst as cst

from ..ir.code import substitute
from ..ir.graph import Graph
from ..ir.build_slice import input_reads
from ..ir.input_reads import params_read_only_by_inputs
from ..ir.model_parts import RESERVED_PARAMS, Param
from ..ir.nodes import Input, Stmt
from ..ir.reads import names_read, statement_binds_anywhere
from ..ir.texts import transform_texts, visit_texts
from ..types import Style


def lifted_data_params(graph: Graph, target: Style) -> Graph:
    """``graph`` with each parameter it reads only through its data's sizes replaced by those sizes."""
    candidates = {param.name for param in graph.params if _liftable(param)} - _block_params(graph)
    # A method's ``self.x_train`` (``Param.given``) stays the subclass's parameter even when only the
    # ``Input`` reads it (emit/subclass/build.py): its sizes then, not the data.
    kept = {param.name for param in graph.params if param.given} if target is Style.SUBCLASS else set()
    if target is Style.SUBCLASS:
        # The line that builds the instance reads them, in the builder (emit/subclass/build.py).
        candidates -= params_read_only_by_inputs(graph) - kept
    if not candidates:
        return graph
    found = _Sizes(candidates)
    visit_texts(graph, found)
    read = Counter(found.reads)
    shapes = _Sizes(candidates)
    for node in graph.walk():
        if isinstance(node, Input):
            for arg in node.args:
                if arg.value.text:
                    cst.parse_expression(arg.value.text).visit(shapes)
    beside = read - Counter(shapes.reads)
    if target is Style.SUBCLASS:
        # A size only the ``Input`` reads stays in the line that builds the instance, where the data is.
        read = Counter({text: (read if found.sizes[text] in kept else beside)[text] for text in read})
    lifted = [(text, root) for text, root in found.sizes.items() if root not in found.other and read[text]]
    if not lifted:
        return graph
    taken = set(names_read(graph)) | RESERVED_PARAMS
    # The one shape only the model's ``Input`` reads is what a Keras user calls ``input_shape``.
    only_input = [text for text, _ in lifted if not beside[text] and found.kinds[text][0] == "shape"]
    if len(only_input) == 1:
        found.kinds[only_input[0]] = ("input", None, [])
    chosen = _names([text for text, _ in lifted], found.kinds, taken)
    # ``n_features = x_train.shape[1]``: the author named that size; the statement goes, the name
    # stays.  Not a name a subclass's ``Input`` reads: the line that builds it reads the statement.
    built = input_reads(graph) if target is Style.SUBCLASS else set()
    named = {text: each for text, each in _named_sizes(graph, set(chosen)).items() if each[0] not in built}
    chosen.update({text: name for text, (name, _) in named.items()})
    dropped = [node for _, node in named.values()]
    graph = replace(graph, body=tuple(node for node in graph.body if not any(node is each for each in dropped)))
    graph = transform_texts(graph, _Replace(chosen))
    roots = {root for _, root in lifted}
    params: list[Param] = []
    for param in graph.params:
        if param.name not in roots:
            params.append(param)
            continue
        for text, root in lifted:
            if root == param.name:
                given = _given(text, param)
                params.append(Param(chosen[text], given=given))
    return replace(graph, params=tuple(params))


def _named_sizes(graph: Graph, texts: set[str]) -> dict[str, tuple[str, Stmt]]:
    """Each size read of ``texts`` that a statement of the model's own code binds to a name of its
    own, ``n_features = x_train.shape[1]``, bound nowhere else: that name and statement."""
    binds = Counter(
        name for node in graph.walk() if isinstance(node, Stmt) for name in statement_binds_anywhere(node.code)
    )
    own = {param.name for param in graph.params} | RESERVED_PARAMS
    found: dict[str, tuple[str, Stmt]] = {}
    for node in graph.body:
        small = _single_assignment(node.code) if isinstance(node, Stmt) and not node.refs else None
        if small is None:
            continue
        name = small.targets[0].target.value
        text = cst.Module([]).code_for_node(small.value.with_changes(lpar=[], rpar=[]))
        if text in texts and text not in found and binds[name] == 1 and name not in own:
            found[text] = (name, node)
    return found


def _single_assignment(code: str) -> cst.Assign | None:
    try:
        statement = cst.parse_statement(code)
    except cst.ParserSyntaxError:
        return None
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    single = isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
    return small if single else None


def _liftable(param: Param) -> bool:
    # A default the caller may rely on (``x=None``) has no size to read where the instance is made.
    return param.default is None and not param.star and not param.layer


def _block_params(graph: Graph) -> set[str]:
    """Parameter names of the graph's blocks: their code's reads of those names are the blocks' own."""
    names: set[str] = set()
    for block in graph.blocks:
        names |= {param.name for param in block.graph.params} | _block_params(block.graph)
    return names


def _given(text: str, param: Param) -> str:
    """What the line making the instance passes: the size read of what it passes for ``param``."""
    return text if param.given is None else substitute(text, {param.name: param.given})


def _names(texts: list[str], kinds: dict[str, tuple[str, int | None, list[str]]], taken: set[str]) -> dict[str, str]:
    """Each size read's parameter: ``y_train_dim``, ``x_shape``, ``vocab_size``; two axes of one
    array are told apart by their index (``x_dim1``, ``x_dim_last``), anything else by a number."""
    preferred = {text: _preferred(kinds[text]) for text in texts}
    shared = {name for name in preferred.values() if list(preferred.values()).count(name) > 1}
    names: dict[str, str] = {}
    taken = set(taken)
    for text in texts:
        what, index, _ = kinds[text]
        name = preferred[text]
        if name in shared and what == "dim" and index is not None:
            name += "_last" if index == -1 else str(index) if index >= 0 else f"_{-index}_from_last"
        chosen, counter = name, 0
        while chosen in taken or keyword.iskeyword(chosen):
            counter += 1
            chosen = f"{name}_{counter}"
        taken.add(chosen)
        names[text] = chosen
    return names


def _access_root(node: cst.BaseExpression) -> tuple[str, list[str]] | None:
    """``window.train["y"]`` as its root name and the parts read on it (``["window", "train", "y"]``);
    None when a part is not an attribute or a constant key."""
    parts: list[str] = []
    while True:
        if isinstance(node, cst.Name):
            return node.value, [node.value, *reversed(parts)]
        if isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
        elif isinstance(node, cst.Subscript) and len(node.slice) == 1:
            key = node.slice[0].slice
            if not isinstance(key, cst.Index) or not isinstance(key.value, (cst.SimpleString, cst.Integer)):
                return None
            value = key.value.evaluated_value if isinstance(key.value, cst.SimpleString) else key.value.value
            if not isinstance(value, (str, int)):
                return None
            parts.append(str(value))
            node = node.value
        else:
            return None


def _integer(node: cst.BaseExpression | None) -> bool:
    return node is None or _index(node) is not None


def _index(node: cst.BaseExpression) -> int | None:
    if isinstance(node, cst.Integer):
        return int(node.value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) and isinstance(node.expression, cst.Integer):
        return -int(node.expression.value)
    return None


def _size(node: cst.BaseExpression) -> tuple[str, int | None, str, list[str]] | None:
    """``(kind, axis, root, parts)`` when ``node`` reads a size of data: ``len(d)``, ``d.shape``,
    ``d.shape[1]`` (``dim``) or ``d.shape[1:]``, where ``d`` is a name or constant accesses of one."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "len":
        if len(node.args) == 1 and not node.args[0].keyword and not node.args[0].star:
            found = _access_root(node.args[0].value)
            return ("size", None, *found) if found else None
        return None
    kind, axis = "shape", None
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        key = node.slice[0].slice
        if isinstance(key, cst.Index) and _index(key.value) is not None:
            kind, axis = "dim", _index(key.value)
        elif not (isinstance(key, cst.Slice) and _integer(key.lower) and _integer(key.upper) and key.step is None):
            return None
        node = node.value
    if not (isinstance(node, cst.Attribute) and node.attr.value == "shape"):
        return None
    found = _access_root(node.value)
    return (kind, axis, *found) if found else None


def _preferred(kind: tuple[str, int | None, list[str]]) -> str:
    what, _, parts = kind
    if what == "input":
        return "input_shape"
    base = "_".join(re.sub(r"\W", "_", part) for part in parts).strip("_")
    return f"{base}_{what}"


class _Sizes(cst.CSTVisitor):
    """Every size read of the candidate parameters (its text → root), and the candidates read otherwise."""

    def __init__(self, candidates: set[str]) -> None:
        self.candidates = candidates
        self.sizes: dict[str, str] = {}
        self.kinds: dict[str, tuple[str, int | None, list[str]]] = {}
        self.other: set[str] = set()
        self.reads: list[str] = []

    def visit_Call(self, node: cst.Call) -> bool:
        return self._visit(node)

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        return self._visit(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self._visit(node) is False:
            return False
        # ``d.units`` reads ``d`` whole, not a size of it; the attribute's own name reads nothing.
        node.value.visit(self)
        return False

    def _visit(self, node: cst.BaseExpression) -> bool | None:
        found = _size(node)
        if found is None or found[2] not in self.candidates:
            return None
        kind, axis, root, parts = found
        text = cst.Module([]).code_for_node(node.with_changes(lpar=[], rpar=[]))
        self.sizes.setdefault(text, root)
        self.reads.append(text)
        self.kinds[text] = (kind, axis, parts)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.candidates:
            self.other.add(node.value)


class _Replace(cst.CSTTransformer):
    """Each size read (its text) → its parameter."""

    def __init__(self, chosen: dict[str, str]) -> None:
        self.chosen = chosen

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> cst.CSTNode:
        updated = super().on_leave(original, updated)
        if not isinstance(original, cst.BaseExpression) or _size(original) is None:
            return updated
        text = cst.Module([]).code_for_node(original.with_changes(lpar=[], rpar=[]))
        name = self.chosen.get(text)
        if name is None:
            return updated
        return cst.Name(name, lpar=original.lpar, rpar=original.rpar)
