"""Where the layers a model reads from outside its own code are made.

A layer kept outside the model (``dense_1 = Dense(64)`` at module level, because later
code reads it; ``backbone = DenseNet121(...)`` among a subclass's ``__init__`` locals) is
compared by the call that makes it, as if the model made it (same_graph.py): these are the
places that call is looked for.
"""

from __future__ import annotations

import libcst as cst

from ..parse.memo import once
from ..parse.module_index import classes, single_call_assignments
from ..parse.names_in import calls_in
from ..parse.sites import ModelSite
from ..parse.source import SourceFile


def making_statement(site: ModelSite) -> int | None:
    """The index of the statement that makes the model: its own first statement, or for a class
    the first statement of its block below it that calls it (``__init__`` reads the names then).
    None for a class made first inside a function or nowhere in its block: the names it reads
    hold what they hold when that function runs, which no reading of the text can tell."""
    statement = site.block.body[site.start]
    if not isinstance(statement, cst.ClassDef):
        return site.start
    name = statement.name.value
    for index in range(site.start + 1, len(site.block.body)):
        later = site.block.body[index]
        if any(isinstance(call.func, cst.Name) and call.func.value == name for call in calls_in(later)):
            # A call inside a def runs whenever the def is called.
            return None if isinstance(later, (cst.FunctionDef, cst.ClassDef)) else index
    return None


def module_level_calls(module: cst.Module) -> dict[str, cst.Call]:
    """``single_call_assignments`` of every module-level block, a later block's winning
    (gathered once per module: each model of the file asks)."""
    return once("module_level_calls", module, _gather_module_level_calls)


def _gather_module_level_calls(module: cst.Module) -> dict[str, cst.Call]:
    made: dict[str, cst.Call] = {}
    for block in module_level_blocks(module):
        made.update(single_call_assignments(block))
    return made


def module_level_blocks(module: cst.Module) -> list:
    """The module and the bodies of its ``with`` and ``if`` blocks (``with strategy.scope():``),
    where a layer a converted model reads may be made, outside any function."""
    blocks: list = [module]
    pending = list(module.body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, cst.If) and isinstance(statement.orelse, (cst.If, cst.Else)):
            pending.append(statement.orelse if isinstance(statement.orelse, cst.If) else statement.orelse)
        if isinstance(statement, (cst.If, cst.With, cst.Else)):
            blocks.append(statement.body)
            pending.extend(statement.body.body)
    return blocks


def init_locals(src: SourceFile, site: ModelSite) -> dict[str, cst.Call]:
    """For a subclass, the locals of its ``__init__`` (``backbone = DenseNet121(...)``)."""
    for statement in classes(src.module).get(site.name, ()):
        for item in statement.body.body:
            if isinstance(item, cst.FunctionDef) and item.name.value == "__init__":
                return single_call_assignments(item.body)
    return {}
