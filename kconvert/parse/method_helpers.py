"""A plain class's own method that builds layers, called by the method that makes a model.

``x = self._inception_module(x)`` in ``Classifier.build_model``: the method is a
helper, as ``inception_module(x)`` of the module would be, its body lifted at
each call with ``self`` bound by the call's object (parse/helpers.py).  What it
reads of the object (``self.nb_filters``) stays in the lifted code as the
builder's own ``self.<attr>`` reads do, and becomes a parameter of the model's
class given where the builder makes it (parse/self_reads.py): read there, at
the moment the builder runs, it is the value the method read while the model
was built.  Like a helper function, it is a block (a Layer class in a subclass)
when it can be one, what it reads of the object the block's parameters, which
the call passes (parse/method_blocks.py).  A class that builds a graph calls it
as a function of the module instead (parse/method_functions.py).

A ``@staticmethod`` of such a class called by the class's name (``ResNet.residual_module(x, 64)``
in ``ResNet.build``) is a function of the module by another name: a helper read as one, with no
object to read (``static_definition``).

Only a class of no bases is read so (a Keras class's methods are its own
business, and a base class's method may be another one); a decorated method
is no plain method of ``self``.  What would make the written-out body differ
from the call is refused, naming it: the method sets attributes of the object,
a class of the module overrides it, or the object rebinds the name.
"""

from __future__ import annotations

import libcst as cst

from .builder import refuse
from .module_index import classes
from .self_uses import self_attribute, set_attributes
from .source import SourceFile
from .walk import walk


def method_definition(src: SourceFile, func: cst.BaseExpression) -> cst.FunctionDef | None:
    """The ``def`` of the plain class's method that ``self.<name>`` (``func``) calls, when ``func``
    is read in a method of that class whose first parameter is ``self``."""
    name = self_attribute(func)
    method = src.parent(func) if name is not None else None
    while method is not None and not isinstance(method, cst.FunctionDef):
        method = src.parent(method)
    owner = _owner(src, method) if method is not None else None
    if owner is None or not _takes_self(method):
        return None
    found = [item for item in owner.body.body if isinstance(item, cst.FunctionDef) and item.name.value == name]
    if len(found) != 1 or found[0].decorators or not _takes_self(found[0]):
        return None
    return found[0]


def static_definition(src: SourceFile, func: cst.BaseExpression) -> cst.FunctionDef | None:
    """The ``def`` of the ``@staticmethod`` that ``Net.block`` (``func``) names, when ``Net`` is a
    module-level class of no bases defining it once: a function of the module by another name."""
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
        return None
    owners = classes(src.module).get(func.value.value, ())
    if len(owners) != 1 or not _plain(owners[0]):
        return None
    found = [item for item in owners[0].body.body if isinstance(item, cst.FunctionDef) and item.name.value == func.attr.value]
    if len(found) != 1 or [_decorator(d) for d in found[0].decorators] != ["staticmethod"]:
        return None
    return found[0]


def _decorator(decorator: cst.Decorator) -> str | None:
    return decorator.decorator.value if isinstance(decorator.decorator, cst.Name) else None


def _plain(owner: cst.ClassDef) -> bool:
    plain = all(isinstance(base.value, cst.Name) and base.value.value == "object" for base in owner.bases)
    return plain and not owner.keywords


def _owner(src: SourceFile, method: cst.FunctionDef) -> cst.ClassDef | None:
    """The class of no bases (or only ``object``) that ``method`` is defined directly in."""
    body = src.parent(method)
    owner = src.parent(body) if isinstance(body, cst.IndentedBlock) else None
    return owner if isinstance(owner, cst.ClassDef) and _plain(owner) else None


def _takes_self(definition: cst.FunctionDef) -> bool:
    params = [*definition.params.posonly_params, *definition.params.params]
    return bool(params) and params[0].name.value == "self"


def refuse_unsound_method(src: SourceFile, definition: cst.FunctionDef) -> None:
    """Refuses a method helper whose body, written out in a class of its own, would not do what
    the call did: it sets the object's attributes, the module overrides it, or the object rebinds it."""
    name = definition.name.value
    owner = _owner(src, definition)
    assert owner is not None, "method_definition found it in a plain class"
    for statement in walk_targets(definition):
        attrs = set_attributes(statement)
        if attrs:
            raise refuse(
                src.loc(statement),
                f"`{name}` sets `self.{attrs[0]}`; written out in a class of its own, it would set it on"
                " that class, not on the object whose method makes the model",
                f"return the value from `{name}` and set it in the caller, or keep this model in its current style",
            )
    for item in owner.body.body:
        if isinstance(item, cst.FunctionDef):
            for target in walk_targets(item):
                if name in set_attributes(target):
                    raise refuse(
                        src.loc(target),
                        f"`self.{name} = ...` rebinds the method `{name}` the model calls",
                        "keep this model in its current style",
                    )
    for statements in classes(src.module).values():
        for other in statements:
            derived = any(isinstance(base.value, cst.Name) and base.value.value == owner.name.value for base in other.bases)
            again = any(isinstance(item, cst.FunctionDef) and item.name.value == name for item in other.body.body)
            if derived and again:
                raise refuse(
                    src.loc(other),
                    f"`{other.name.value}` overrides `{name}`, so `self.{name}(...)` may run either method",
                    "keep this model in its current style",
                )


def walk_targets(definition: cst.FunctionDef) -> list[cst.BaseExpression]:
    """Every target the function assigns, augments or deletes, in order."""
    found: list[cst.BaseExpression] = []

    class Visitor(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            found.append(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            found.append(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            found.append(node.target)

        def visit_Del(self, node: cst.Del) -> None:
            found.append(node.target)

    walk(definition.body, Visitor())
    return found


def plain_methods(src: SourceFile, block: cst.CSTNode) -> dict[str, cst.FunctionDef]:
    """The plain methods (undecorated, taking ``self``) of the class of no bases whose method's
    body ``block`` is; none when it is no such method's."""
    method = src.parent(block)
    while method is not None and not isinstance(method, (cst.FunctionDef, cst.ClassDef)):
        method = src.parent(method)
    owner = _owner(src, method) if isinstance(method, cst.FunctionDef) and _takes_self(method) else None
    if owner is None:
        return {}
    found = [item for item in owner.body.body if isinstance(item, cst.FunctionDef)]
    names = [item.name.value for item in found]
    return {
        item.name.value: item
        for item in found
        if not item.decorators and _takes_self(item) and names.count(item.name.value) == 1
    }
