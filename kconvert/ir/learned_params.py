"""Parameters a model or block only learns layer state from (``norm.adapt(dataset)``).

keras.io's structured-data blocks take the training ``dataset`` and adapt a preprocessing
layer on it in their own code: ``feature_ds = dataset.map(...)``, then ``lookup.adapt(feature_ds)``.
Written as a class, such a parameter cannot be in ``get_config``: a ``tf.data.Dataset`` has no
config, and Keras would not save the model.  It need not be there: what the layer learned (a
vocabulary, a mean and variance) is its state, which ``model.save`` stores with the weights and
``load_model`` gives back once the class is made again.  So the class made from a config is made
without the data (``None``) and skips the statements that learn from it (emit/subclass/constructor.py,
emit/serializable.py), as a Keras user writes such a layer.

A parameter is one when the model's own statements, at the top of its code, read it only to
prepare a value for a call that changes a layer (``ir/reads.LAYER_MUTATORS``: ``adapt``,
``set_vocabulary``, ``set_weights`` ...), as the data itself (``data[:, column]``, ``dataset.map(...)``:
not ``column``, a setting the class keeps), and nothing else of the model (a layer's arguments, a
call, a test, its name) reads it or the values made from it, but for what it hands a block as
that block's own such parameter (``NormalizedFeature(0, data)``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

import libcst as cst

from .block_calls import blocks_as_layers
from .graph import Graph
from .model_parts import Block
from .nodes import LayerDef, Stmt
from .reads import changed_by_method, names_read, statement_binds, statement_names

# ``build(shape)`` sizes a layer from its argument, which a class made from its config needs again.
_STATE_ONLY = frozenset({"adapt", "set_vocabulary", "set_weights", "load_weights", "load_own_variables"})


# ``{block class name: (its parameters in order, those it learns from)}``.
LearningBlocks = Mapping[str, tuple[tuple[str, ...], frozenset[str]]]


def learning_blocks(blocks: tuple[Block, ...], classes: Mapping[str, str]) -> LearningBlocks:
    """What each block written as a class (``classes``: block name → class name) learns from; a
    block handing its data on to another learns from it too, so each pass sees one level deeper."""
    found: dict = {}
    for _ in range(len(blocks) + 1):
        passed = {
            classes[block.name]: (
                tuple(param.name for param in block.graph.params if not param.star),
                frozenset(learned_params(blocks_as_layers(block.graph, classes), found)),
            )
            for block in blocks
            if block.name in classes
        }
        if passed == found:
            break
        found = passed
    return found


def learned_params(graph: Graph, blocks: LearningBlocks = {}) -> dict[str, frozenset[int]]:
    """``{parameter: the ids of the statements that learn from it}``, for each such parameter;
    ``blocks``: the block classes whose instances ``graph`` makes, and what they learn from."""
    top = [node for node in graph.body if isinstance(node, Stmt) and not node.refs]
    instances = tuple(layer for layer in graph.layers if layer.type_name in blocks)
    layers = tuple(
        _without_learned_args(layer, blocks[layer.type_name]) if layer in instances else layer for layer in graph.layers
    )
    rest = replace(graph, body=tuple(node for node in graph.body if node not in top), params=(), layers=layers)
    elsewhere = names_read(rest)
    # What only the blocks' learned parameters are given (``NormalizedFeature(0, data)``).
    handed = names_read(replace(graph, body=(), params=(), name=None, extra=(), layers=instances)) - elsewhere
    found: dict[str, frozenset[int]] = {}
    for param in graph.params:
        if param.star or param.name == "name" or param.name in elsewhere:
            continue
        statements = _learning(top, param.name)
        if statements is None and param.name in handed:
            found[param.name] = frozenset()
            continue
        if statements is None or not all(_as_data(node.code, param.name) for node in statements):
            continue
        bound = set().union(*(statement_binds(node.code) for node in statements))
        if bound & elsewhere:
            continue
        found[param.name] = frozenset(id(node) for node in statements)
    return found


def _learning(top: list[Stmt], name: str) -> list[Stmt] | None:
    """The statements that read ``name`` or a value made from it, when each either binds such a
    value or hands it to a layer-changing call, and one such call is among them."""
    reading = {name}
    chosen: list[Stmt] = []
    for node in top:
        if not statement_names(node.code) & reading:
            continue
        kind = _kind(node.code)
        if kind is None:
            return None
        chosen.append(node)
        reading |= statement_binds(node.code)
    if not any(_kind(node.code) == "learns" for node in chosen):
        return None
    return chosen


def _kind(code: str) -> str | None:
    """``learns`` for a statement that hands a value to a layer-changing call, ``prepares`` for
    one that only binds names, else None."""
    module = cst.parse_module(code + "\n")
    if len(module.body) != 1 or not isinstance(module.body[0], cst.SimpleStatementLine):
        return None
    smalls = module.body[0].body
    if len(smalls) != 1:
        return None
    small = smalls[0]
    if changed_by_method(small) is not None and small.value.func.attr.value in _STATE_ONLY:
        return "learns"
    if isinstance(small, cst.Assign) and all(isinstance(target.target, cst.Name) for target in small.targets):
        return "prepares"
    return None


def _without_learned_args(layer: LayerDef, block: tuple[tuple[str, ...], frozenset[str]]) -> LayerDef:
    """A block's instance without the arguments it hands to the block's learned parameters."""
    params, learned = block
    args = tuple(
        arg
        for position, arg in enumerate(layer.args)
        if not (arg.keyword in learned or (arg.keyword is None and not arg.star and position < len(params) and params[position] in learned))
    )
    return replace(layer, args=args)


def _as_data(code: str, name: str) -> bool:
    """Whether a statement reads ``name`` only as a value to take from (``data[:, 0]``,
    ``data.map(...)``, ``adapt(data)``), never inside an index or in arithmetic (``column + 1``)."""

    class Finder(cst.CSTVisitor):
        setting = False

        def visit_SubscriptElement(self, node: cst.SubscriptElement) -> None:
            self.setting = self.setting or _reads(node, name)

        def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
            self.setting = self.setting or _reads(node, name)

        def visit_Comparison(self, node: cst.Comparison) -> None:
            self.setting = self.setting or _reads(node, name)

    finder = Finder()
    cst.parse_module(code + "\n").visit(finder)
    return not finder.setting


def _reads(node: cst.CSTNode, name: str) -> bool:
    class Finder(cst.CSTVisitor):
        found = False

        def visit_Name(self, inner: cst.Name) -> None:
            self.found = self.found or inner.value == name

    finder = Finder()
    node.visit(finder)
    return finder.found
