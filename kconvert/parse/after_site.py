"""The code that runs after a model site, and what it reads of the model: the names the
model's own statements bind, the layers it keeps reading, the uses only a graph supports."""

from __future__ import annotations

import libcst as cst

from ..ir.bindings import node_binds
from ..ir.graph import Graph
from ..ir.nodes import Stmt
from ..ir.reads import statement_binds
from ..ir.source_text import Loc
from .graph_uses import graph_uses
from .later_reads import Later, read_before_rebound
from .names_in import leaves_block
from .sites import ModelSite
from .source import SourceFile


def code_after(src: SourceFile, site: ModelSite, statements) -> Later:
    """What runs after the model: the rest of its block, then what follows the ``with`` or ``if``
    blocks around it (a layer made in ``with strategy.scope():`` and unfrozen after it); and the
    functions and methods written above the model in those blocks, which may be called after it
    (``def show(): return x.shape``, where ``x`` is a tensor of the model's code). Nothing after a
    ``return`` or ``raise`` runs: a builder's lines left below its ``return model`` read nothing.
    """
    blocks = ((site.block, site.end), *after_block(src, site.block))
    above = [*site.block.body[: site.start]] + [line for block, start in blocks[1:] for line in block.body[: start - 1]]
    parts = []
    if not leaves_block(site.block.body[site.end - 1]):
        for block, start in blocks:
            stop = next((index + 1 for index in range(start, len(block.body)) if leaves_block(block.body[index])), None)
            parts.append((block, start, len(block.body) if stop is None else stop))
            if stop is not None:
                break
    return Later(parts, tuple(_functions(above)))


def after_block(src: SourceFile, block) -> list[tuple[cst.CSTNode, int]]:
    """The statements that run after a ``with`` or ``if`` block ends, out to the module
    (``with strategy.scope(): model = ...`` then ``model.layers[1]`` at module level),
    as ``(block, start)`` parts."""
    found: list[tuple[cst.CSTNode, int]] = []
    node = block
    while not isinstance(node, cst.Module):
        owner = src.parent(node)
        if isinstance(owner, (cst.FunctionDef, cst.ClassDef)) or owner is None:
            break
        parent = src.parent(owner)
        if isinstance(owner, (cst.With, cst.If)) and isinstance(parent, (cst.Module, cst.IndentedBlock)):
            found.append((parent, list(parent.body).index(owner) + 1))
        node = owner
    return found


def model_owned(src: SourceFile, names: set[str], after) -> set[str]:
    """The layer names only the model uses: one that later code reads (``norm.adapt(data)``) stays outside."""
    return set(names) - set(read_before_rebound(after, set(names), src.loc))


def bound_and_read_later(src: SourceFile, site: ModelSite, statements) -> tuple[tuple[str, Loc], ...]:
    """Names a plain statement among the model's binds (``DEPTH = 2`` between adds, ``count += 1``
    in a loop of layers), or a loop of its layers (``for units in sizes:``), that later code
    reads, with the first place that reads each."""
    bound: set[str] = set()
    for node in site.graph.walk():
        # Only a name the statement binds is gone: one it changes through a method
        # (``K.image_data_format()``) is still the module's or the function's.
        bound |= node_binds(node, in_place=False)
    return tuple(read_before_rebound(code_after(src, site, statements), bound, src.loc).items())


def top_level_bound(graph: Graph, reads: tuple[tuple[str, Loc], ...]) -> frozenset[str]:
    """Of ``reads``, the names a statement of the model's own level binds: a module-level model
    keeps that statement where the rest of the file sees it."""
    bound: set[str] = set()
    for node in graph.body:
        if isinstance(node, Stmt):
            bound |= statement_binds(node.code)
    return frozenset(name for name, _ in reads if name in bound)


def site_graph_uses(src: SourceFile, site: ModelSite, statements):
    """Uses of the model, after it is made, that only a graph model supports: in its own code, and
    where a builder that returns it is called (``model = build_model()``, then
    ``keras.Model(model.input, model.layers[2].output)``)."""
    found = ()
    if site.binding.target is not None:
        found = graph_uses(src, site.binding.target, code_after(src, site, statements))
        if not _returned(statements[site.end :], site.binding.target):
            return found
    if site.scope is None:
        return found
    for target, later in _builder_results(src.module, site.scope):
        found += graph_uses(src, target, later)
    return found


def _builder_results(module: cst.Module, scope: str):
    """``(target, the statements after)`` for each ``target = scope(...)`` at the module's level or
    in a function's or method's body, or in a block of theirs (``if __name__ == "__main__":``, a
    loop over folds); ``self.encoder = encoder()`` in a method is read after it there and in the
    class's other methods (keras.io's NNCLR reads ``self.encoder.output_shape``), as is
    ``self.model = self.build_model(...)`` of a builder that is a method of the class (hfawaz's
    classifiers, under ``if build:``, save it as .hdf5 in ``fit``)."""
    yield from _assigned(list(module.body), scope, [])
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            yield from _assigned(list(statement.body.body), scope, [])
        elif isinstance(statement, cst.ClassDef):
            methods = [item for item in statement.body.body if isinstance(item, cst.FunctionDef)]
            own = any(method.name.value == scope for method in methods)
            for method in methods:
                others = [other for other in methods if other is not method]
                yield from _assigned(list(method.body.body), scope, others, own)


def _assigned(body: list, scope: str, methods: list, own: bool = False, after: tuple = ()):
    """What ``_builder_results`` finds in ``body``, ``after`` running after it; ``own``: the
    builder is a method of the class whose other ``methods`` these are."""
    for index, statement in enumerate(body):
        rest = [*body[index + 1 :], *after]
        if isinstance(statement, (cst.If, cst.With, cst.For, cst.While, cst.Try)):
            for block in _blocks(statement):
                yield from _assigned(list(block.body), scope, methods, own, tuple(rest))
            continue
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
            continue
        if not _calls(small.value.func, scope, own):
            continue
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            yield target.value, rest
        elif methods and _of_self(target):
            yield f"self.{target.attr.value}", rest + methods


def _calls(func: cst.BaseExpression, scope: str, own: bool) -> bool:
    """Whether ``func`` names the builder: ``build_model``, or ``self.build_model`` in its class."""
    if isinstance(func, cst.Name):
        return func.value == scope
    return own and _of_self(func) and func.attr.value == scope


def _blocks(statement: cst.CSTNode) -> list[cst.BaseSuite]:
    """The indented blocks of a compound statement: its body, its ``elif``s' and ``else``, its handlers'."""
    found = [statement.body]
    orelse = getattr(statement, "orelse", None)
    while orelse is not None:
        found.append(orelse.body)
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    found += [handler.body for handler in getattr(statement, "handlers", ())]
    final = getattr(statement, "finalbody", None)
    return found + ([final.body] if final is not None else [])


def _of_self(node: cst.BaseExpression) -> bool:
    """Whether ``node`` is ``self.<name>``."""
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self"


def _returned(rest, target: str) -> bool:
    """Whether the builder's own level ends in ``return target`` (after ``model.compile(...)``)."""
    for statement in rest:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if isinstance(small, cst.Return):
            return isinstance(small.value, cst.Name) and small.value.value == target
    return False


def parameter_graph_uses(src: SourceFile, site: ModelSite, statements) -> tuple[tuple[str, Loc], ...]:
    """Uses that need a graph model, in the file's other functions, of a parameter named as the
    model a builder returns (``def init(df): ... return model``, then ``def apply(model, df)``
    reads ``model.layers[0]``): the caller that hands the model over (a notebook framework,
    another module) is not in the file, so the parameter may well be this model."""
    target = site.binding.target
    if site.scope is None or target is None or not _returned(statements[site.end :], target):
        return ()
    found: tuple[tuple[str, Loc], ...] = ()
    for function in _functions(src.module.body):
        names = {param.name.value for param in (*function.params.posonly_params, *function.params.params)}
        if function.name.value != site.scope and target in names:
            found += graph_uses(src, target, function.body.body)
    return found


def _functions(statements) -> list[cst.FunctionDef]:
    """The functions among ``statements``, and the methods of the classes among them (a class's
    own lines run where it stands)."""
    found = []
    for statement in statements:
        if isinstance(statement, cst.FunctionDef):
            found.append(statement)
        elif isinstance(statement, cst.ClassDef):
            found += [inner for inner in statement.body.body if isinstance(inner, cst.FunctionDef)]
    return found
