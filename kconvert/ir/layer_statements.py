"""What a model's own statements do to its layers after making them: ``base.trainable =
False``, ``for layer in base.layers[:-4]: layer.trainable = True``.

``structure`` compares layers by how they are made and called; a statement that changes one
through its name is part of the model too.  A conversion that made the layer again after the
statement (the frozen base a subclass calls twice, session 33) built the same calls on a
trainable copy and passed.  So the safety check also compares, per layer, what the statements
that reach it (through its name, while the name holds that layer) change of it, in the order
they run, as Python's ``ast`` reads them (spacing, quotes and comments do not count), a
helper's or a block's parameters given their arguments.
"""

from __future__ import annotations

import ast

from .graph import Graph
from .nodes import Define
from .reads import LAYER_MUTATORS, statement_binds, statement_names


class LayerStatements:
    """Filled while ``structure`` walks a graph; each layer is known by its key there
    (``scope + layer id``), each name by the scope it is read in."""

    def __init__(self) -> None:
        self.current: dict[tuple[str, str], str | None] = {}
        self.found: dict[str, list[str]] = {}
        # A loop's variable, inside a loop over a list (``for layer in stack: x = layer(x)``):
        # each pass one of the list's layers, whose changes are the list's, ``each stack``.
        self.drawn: dict[tuple[str, str], str] = {}

    def given(self, graph: Graph) -> None:
        """The layers the model's code does not make (``self.bert = bert`` of a module-level
        layer, or one made above the model's lines): their names hold them from the start."""
        defined = {node.layer for node in graph.walk() if isinstance(node, Define)}
        for layer in graph.layers:
            if layer.binding != "inline" and layer.id not in defined:
                self.made("", layer.name, layer.id, defined=False)

    def made(self, scope: str, name: str | None, key: str, defined: bool) -> None:
        """A layer made (``defined``) or first called under ``name``: the name holds it from here."""
        if name and (defined or (scope, name) not in self.current):
            self.current[(scope, name)] = key

    def statement(self, scope: str, code: str, owner: Graph, params: dict[str, str] | None) -> None:
        bound = statement_binds(code)
        for name in bound:
            # Made by the statement (a class's ``self.base = ...`` read back), when the name is one layer's.
            layers = [layer.id for layer in owner.layers if layer.binding == "named" and layer.name == name]
            if layers:
                self.current[(scope, name)] = scope + layers[0] if len(layers) == 1 else None
        # ``for layer in stack: layer.trainable = False``: its ``layer`` is the loop's, each pass another.
        for name in _loop_targets(code):
            self.loop(scope, name)
        for name in statement_names(code) - bound:
            key = self.current.get((scope, name)) or self.drawn.get((scope, name))
            changes = _changes(code, name, params or {}) if key is not None else []
            if changes:
                self.found.setdefault(key, []).extend(changes)
        # ``for layer in stack: layer.trainable = False``, a loop of its own over the list.
        for listed, changes in _each_changes(code, params or {}):
            self.found.setdefault(scope + listed, []).extend(changes)

    def loop(self, scope: str, target: str, iterable: str = "") -> None:
        """A loop's variable is another object each pass: a layer's name it takes holds none, and
        over a list (``iterable``) it is that list's layer, until ``left``."""
        for name in _names(target):
            if (scope, name) in self.current:
                self.current[(scope, name)] = None
        listed = _listed(iterable)
        if listed is not None and target.isidentifier():
            self.drawn[(scope, target)] = scope + listed

    def left(self, scope: str, target: str) -> None:
        self.drawn.pop((scope, target), None)

    def numbered(self, layers: dict[str, int]) -> tuple:
        """The statements of each layer, by the number ``structure`` gave it, then those of each
        list's layers, by the list."""
        own = sorted((layers[key], tuple(texts)) for key, texts in self.found.items() if key in layers)
        each = sorted((key, tuple(texts)) for key, texts in self.found.items() if EACH in key)
        return tuple(own) + tuple(each)


EACH = "each "


def _listed(iterable: str) -> str | None:
    """``each stack`` for a loop over the list ``stack`` (``self.stack``, as a class holds it)."""
    name = iterable.strip().removeprefix("self.")
    return EACH + name if name.isidentifier() else None


def _each_changes(code: str, params: dict[str, str]) -> list[tuple[str, list[str]]]:
    """``(each stack, changes)`` for the loops of a statement over a list of names that change
    their variable (``for layer in stack: layer.trainable = False``)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for loop in ast.walk(tree):
        if not isinstance(loop, ast.For) or not isinstance(loop.target, ast.Name):
            continue
        listed = _listed(ast.unparse(loop.iter))
        changes = [change for line in loop.body for change in _changes(ast.unparse(line), loop.target.id, params)]
        if listed is not None and changes:
            found.append((listed, changes))
    return found


def _loop_targets(code: str) -> set[str]:
    """The names the ``for`` loops of a statement's text bind."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {
        name.id
        for loop in ast.walk(tree)
        if isinstance(loop, (ast.For, ast.comprehension))
        for name in ast.walk(loop.target)
        if isinstance(name, ast.Name)
    }


def _names(target: str) -> set[str]:
    try:
        return {node.id for node in ast.walk(ast.parse(f"({target})", mode="eval")) if isinstance(node, ast.Name)}
    except SyntaxError:
        return set()


def _changes(code: str, name: str, params: dict[str, str]) -> list[str]:
    """The parts of a statement that change the layer ``name`` holds: an assignment to an
    attribute or item of it (``base.trainable = False``), a loop over its parts
    (``for layer in base.layers[:-4]: layer.trainable = True``), a call of a method that sets
    its weights; each as ``ast`` prints it, the name written ``_layer`` and a helper's or a
    block's parameters given their arguments.  A statement that only reads the layer
    (``cct_tokenizer.positional_embedding(size)``) changes nothing, and a class may write it
    elsewhere."""
    try:
        tree = ast.parse(code)
        given = {param: ast.parse(value, mode="eval").body for param, value in params.items()}
    except SyntaxError:
        return [code]
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        changed = any(not isinstance(target, ast.Name) and _root(target) == name for target in targets)
        looped = isinstance(node, ast.For) and _root(node.iter) == name
        called = (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in LAYER_MUTATORS
            and _root(node.value.func.value) == name
        )
        if changed or looped or called:
            found.append(node)

    class Named(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id == name:
                return ast.Name(id="_layer", ctx=node.ctx)
            return given.get(node.id, node)

    return [ast.dump(Named().visit(node)) for node in found]


def _root(node: ast.AST) -> str | None:
    """``base`` of ``base.layers[:-4]``, ``base.trainable``, ``base``."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None
