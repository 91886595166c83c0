"""Where code after a model saves the whole model in Keras' legacy HDF5 format.

``model.save("m.h5")``, ``save_model(model, path, save_format="h5")``, and a
``ModelCheckpoint("best.h5")`` among the callbacks ``model.fit`` is given (Keras 3 saves a
checkpoint whose path ends in ``.h5`` as a whole model, in that format): ``load_model`` finds a
model saved so by its class's bare name, which a class kconvert writes, registered as
``package>Name``, is not filed under (``graph_uses.SAVED_H5``).
"""

from __future__ import annotations

import libcst as cst

from .source import SourceFile

_H5_SUFFIXES = (".h5", ".hdf5")
# ``ModelCheckpoint(filepath, monitor, verbose, save_best_only, save_weights_only, ...)``
_WEIGHTS_ONLY_AT = 4


def argument(call: cst.Call, index: int, keyword_name: str) -> cst.BaseExpression | None:
    """The call's argument at positional ``index``, or given as ``keyword=``."""
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if index < len(positional):
        return positional[index].value
    return keyword(call, keyword_name)


def keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    """The call's argument given as ``name=``."""
    return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def bound_values(src: SourceFile | None, name: cst.BaseExpression | None) -> list[cst.BaseExpression | None]:
    """What each assignment the read ``name`` may see gives it (None for a binding that is no
    ``name = <value>``); nothing for what is no name, or where scopes are not known."""
    scope = src.scope(name) if src is not None and isinstance(name, cst.Name) else None
    if scope is None:
        return []
    referents = [referent for access in scope.accesses[name] for referent in access.referents]
    return [_assigned(src, getattr(referent, "node", None)) for referent in referents]


def legacy_h5(call: cst.Call, index: int, src: SourceFile | None) -> bool:
    """Whether a save call writes the legacy HDF5 format: ``save_format="h5"``, or a path (its
    argument ``index``) whose literal part ends in ``.h5`` (``os.path.join("models", "net.h5")``,
    ``f"net_{i}.h5"`` too), or a name every assignment of which is such a path."""
    given = keyword(call, "save_format")
    if isinstance(given, cst.SimpleString) and given.evaluated_value in {"h5", "hdf5"}:
        return True
    path = argument(call, index, "filepath")
    if isinstance(path, cst.Name):
        values = bound_values(src, path)
        return bool(values) and all(value is not None and _h5_literal(value) for value in values)
    return path is not None and _h5_literal(path)


def h5_checkpoints(fit: cst.Call, src: SourceFile | None) -> list[cst.Call]:
    """The ``ModelCheckpoint(...)`` calls among the ``callbacks=`` a ``fit`` call is given that
    save the whole model as .h5: written in the list, or bound to a name the list holds, the
    list itself written there or bound to the name given."""
    given = keyword(fit, "callbacks")
    lists = [given] if isinstance(given, (cst.List, cst.Tuple)) else bound_values(src, given)
    found = []
    for listed in lists:
        if not isinstance(listed, (cst.List, cst.Tuple)):
            continue
        for element in listed.elements:
            value = element.value
            made = bound_values(src, value) if isinstance(value, cst.Name) else [value]
            found += [call for call in made if isinstance(call, cst.Call) and _saves_whole_h5(call, src)]
    return found


def _saves_whole_h5(call: cst.Call, src: SourceFile | None) -> bool:
    return _checkpoint(call) and legacy_h5(call, 0, src) and not _weights_only(call)


def _checkpoint(call: cst.Call) -> bool:
    name = call.func.attr if isinstance(call.func, cst.Attribute) else call.func
    return isinstance(name, cst.Name) and name.value == "ModelCheckpoint"


def _weights_only(checkpoint: cst.Call) -> bool:
    """Whether the checkpoint may save weights only: ``save_weights_only=`` anything but ``False``."""
    given = argument(checkpoint, _WEIGHTS_ONLY_AT, "save_weights_only")
    return given is not None and not (isinstance(given, cst.Name) and given.value == "False")


def _assigned(src: SourceFile, target: cst.CSTNode | None) -> cst.BaseExpression | None:
    """The value ``name = <value>`` gives the name ``target``; None for any other binding."""
    owner = src.parent(target) if target is not None else None
    statement = src.parent(owner) if isinstance(owner, cst.AssignTarget) else None
    return statement.value if isinstance(statement, cst.Assign) and len(statement.targets) == 1 else None


def _h5_literal(path: cst.BaseExpression) -> bool:
    class Literals(cst.CSTVisitor):
        found = False

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            value = node.evaluated_value
            self.found |= isinstance(value, str) and value.lower().endswith(_H5_SUFFIXES)

        def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
            self.found |= node.value.lower().endswith(_H5_SUFFIXES)

    literals = Literals()
    path.visit(literals)
    return literals.found
