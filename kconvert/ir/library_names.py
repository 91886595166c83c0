"""Names a model's code gives library functions (``preprocess_input =
keras.applications.vgg16.preprocess_input``), which a subclass's ``call()`` calls by the path
itself: stored on the model, a function would be read back as a layer of it."""

from __future__ import annotations

import re
from collections import Counter

from .graph import Graph
from .bindings import node_binds
from .nodes import Stmt

_LIBRARY_FUNCTION = re.compile(r"^(\w+) = ((?:keras|tf|tensorflow)(?:\.\w+)*\.[a-z_]\w*)$")


def library_function(code: str) -> tuple[str, str] | None:
    """``(name, path)`` of a statement that only names a library function, else ``None``."""
    found = _LIBRARY_FUNCTION.match(code)
    return (found.group(1), found.group(2)) if found else None


def library_names(graph: Graph) -> dict[str, str]:
    """The names the graph's statements give library functions, each bound by nothing else
    (``act = keras.activations.gelu`` then ``for act in (...)`` names no one function)."""
    named = [found for node in graph.walk() if isinstance(node, Stmt) and (found := library_function(node.code))]
    once = Counter(name for node in graph.walk() for name in node_binds(node))
    return {name: path for name, path in named if once[name] == 1}


def spelled_out(text: str, names: dict[str, str]) -> str:
    """``text`` with each call of such a name written as a call of its path."""
    if not names:
        return text
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, names)) + r")(?=\s*\()")
    return pattern.sub(lambda found: names[found[1]], text)
