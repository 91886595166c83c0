"""A block's parameters at one instance: what the structure of a model reads in its body.

Each parameter is the argument the instance was made with, or its default, put where the
block's body reads it, as a helper written out at its call has it. A parameter the block
assigns to (``if size is None: size = 3``) is a name of its body instead, as it is in a
written-out helper (parse/helpers.py binds it first): the statements that bind it are not
compared, so both read it by its name.
"""

from __future__ import annotations

import re

from .graph import branches
from .model_parts import Block
from .nodes import LayerDef, Node, Stmt
from .reads import statement_binds_anywhere
from .source_text import Code

# ``groups = groups.copy()``: the same value, which a block class changing a list it is given works
# on (emit/serializable.py), no new binding.
_COPIED = re.compile(r"(\w+) = \1\.copy\(\)")


def instance_params(block: Block, layer: LayerDef) -> dict[str, Code]:
    """Each parameter of ``block`` the body reads as given, with the argument ``layer`` was made
    with, or its default."""
    params = [param for param in block.graph.params if not param.star]
    bound = {param.name: param.default for param in params if param.default is not None}
    positional = [arg for arg in layer.args if arg.keyword is None and not arg.star]
    bound.update((param.name, arg.value) for param, arg in zip(params, positional))
    bound.update((arg.keyword, arg.value) for arg in layer.args if arg.keyword is not None)
    rebound = assigned_in(block.graph.body)
    return {name: value for name, value in bound.items() if name not in rebound}


def assigned_in(body: tuple[Node, ...]) -> set[str]:
    """The names the statements of ``body`` assign, at any depth."""
    found: set[str] = set()
    for node in body:
        if isinstance(node, Stmt) and not _COPIED.fullmatch(node.code.strip()):
            found |= statement_binds_anywhere(node.code, in_place=False)
        for branch in branches(node):
            found |= assigned_in(branch)
    return found
