"""Names the user chooses for code kconvert writes (``--class-name``).

A class is a Python identifier, so a keyword or ``1bad`` would only fail later
inside black; a class called ``keras`` or ``Model`` would shadow the very names
the generated code calls.  Both are the user's mistake, reported as such.
A name that only this file uses (``model``, ``np``) is checked per model, in
``convert.py``, where the file's names are known.
"""

from __future__ import annotations

import keyword

# Names the generated subclass itself reads, whatever the file imports.
KERAS_NAMES = frozenset({"keras", "tf", "tensorflow", "layers", "ops", "Model", "Sequential", "Input", "Layer"})


def class_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a generated class, or None when it can."""
    if not name.isidentifier():
        return f"{name!r} is not a Python identifier"
    if keyword.iskeyword(name):
        return f"{name!r} is a Python keyword"
    if name in KERAS_NAMES:
        return f"{name!r} would shadow the Keras name the generated class uses"
    return None
