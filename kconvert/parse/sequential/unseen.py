"""Why kconvert cannot read the layers given to ``Sequential(...)``, in the user's terms.

A list of layers is read when the source shows it (parse/layer_lists.py); anything else is
refused, and the diagnostic says what the expression is instead: the layers of another model
(``Sequential(model_A.layers[:-1])``, Géron's transfer learning), an attribute the class's
caller fills (``self.enc`` set by ``self.__dict__.update(kwargs)``), a name the block changes
after binding it, or a name it does not bind at all.
"""

from __future__ import annotations

import libcst as cst

from ..module_index import name_assignment
from ..names_in import identifiers, self_attributes_in
from ..source import SourceFile

_HINT = "write the layers as a list literal in the Sequential(...) call, or use model.add(...)"


def unseen_layers(src: SourceFile, value: cst.BaseExpression, before) -> tuple[str, str]:
    """The message and the hint for layers given as ``value``, the statements ``before`` it in its block."""
    code = src.code(value)
    shared = other_models_layers(src, value, value)
    if shared is not None:
        return shared
    if isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name) and value.value.value == "self":
        if not any(value.attr.value in self_attributes_in(statement) for statement in before):
            return (
                f"the layers are given as `{code}`, which no line of this method sets before the model:"
                " the code that makes the object supplies them, and kconvert does not follow it there",
                "write the layers as a list literal in the Sequential(...) call, or keep this model as it is",
            )
    if isinstance(value, cst.Name):
        return _name_reason(src, value.value, before)
    return f"the layers are given as `{code}`, which kconvert cannot see into", _HINT


def other_models_layers(src: SourceFile, value: cst.BaseExpression, given: cst.BaseExpression) -> tuple[str, str] | None:
    """The message and hint when ``value`` is another model's layers (``model_A.layers[:-1]``), read
    for the layers ``given`` (itself, or a comprehension over them: Géron's MC dropout model)."""
    owner = _model_of_layers(value)
    if owner is None:
        return None
    owner_code = src.code(owner).strip()
    return (
        f"the layers are given as `{src.code(given).strip()}`, the layers of another model (`{owner_code}`): their"
        " number and the input they expect are known only when the file runs, and the new model shares them"
        f" with `{owner_code}`",
        "keep this model Sequential, or list the layers it should share by name",
    )


def _model_of_layers(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """``model_A`` for ``model_A.layers``, ``model_A.layers[:-1]``, ``model_A.layers[1:3]``."""
    if isinstance(value, cst.Subscript):
        value = value.value
    if isinstance(value, cst.Attribute) and value.attr.value == "layers":
        return value.value
    return None


def _name_reason(src: SourceFile, name: str, before) -> tuple[str, str]:
    for statement in reversed(list(before)):
        if name not in identifiers(statement):
            continue
        assigned = name_assignment(statement)
        line = src.loc(statement).line
        if assigned is not None and assigned[0] == name:
            return (
                f"the layers are given as `{name}`, bound on line {line} to `{src.code(assigned[1]).strip()}`,"
                " which is not a list kconvert can see into (a list literal, a comprehension, or `+` of those)",
                _HINT,
            )
        return (
            f"the layers are given as `{name}`, which line {line} changes after making it; kconvert follows"
            " such a list only when it starts empty, each change is an append, and nothing after the model reads it",
            f"make `{name}` in one line (`{name} = [...] + [...]`, or a comprehension), or use model.add(...)",
        )
    return (
        f"the layers are given as `{name}`, which this block does not make before the model (a parameter,"
        " or a name from elsewhere): kconvert cannot see which layers it holds",
        _HINT,
    )
