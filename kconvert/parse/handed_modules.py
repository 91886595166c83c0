"""Keras modules a file is handed by its caller: ``get_submodules_from_kwargs(kwargs)``.

keras_applications, and qubvel's classification_models, segmentation_models and efficientnet
after it, write builders that work on whichever Keras the caller uses (``keras`` or
``tf.keras``): each builder takes ``**kwargs`` and starts with

    backend, layers, models, keras_utils = get_submodules_from_kwargs(kwargs)

often after ``global backend, layers, models, keras_utils`` over module-level ``= None``
placeholders, so that the file's helpers read them too. The function is documented to return the
caller's ``backend``, ``layers``, ``models`` and ``utils`` modules, in that order, whatever the
names they are unpacked into; so ``layers.Conv2D`` there is Keras's ``Conv2D``, as if imported.

Such a name reads as ``keras.<module>`` here; the Keras root is only a stand-in, since the file
commits to no import path. So the model is read, and one already in the target style is left as
it is, but a conversion to a class, or whose code needs a Keras import, is refused
(``handed_problem``): a class's base is evaluated when the module is imported, before any caller
has handed a Keras in (efficientnet's authors say as much of their ``FixedDropout``, which they
define inside a function for that reason), its constructor would not get the caller's
``kwargs`` either, and new code that needs a Keras name the file does not already spell
(``Sequential``) would need an import that ignores the caller's choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ..types import CLASSES, Diagnostic, Style
from .walk import walk

if TYPE_CHECKING:
    from .sites import ModelSite
    from .source import SourceFile

CONVENTION = "get_submodules_from_kwargs"
MODULES = ("backend", "layers", "models", "utils")


def handed(src: "SourceFile", node: cst.CSTNode) -> set[str]:
    """``{"keras.layers.Conv2D"}`` for ``layers.Conv2D`` when every binding of ``layers`` that
    reaches it is the convention's (or a ``None`` placeholder), else nothing."""
    head, dotted = node, []
    while isinstance(head, cst.Attribute):
        dotted.insert(0, head.attr.value)
        head = head.value
    if not isinstance(head, cst.Name) or not _unpacked(src):
        return set()
    module = handed_module(src, head)
    return set() if module is None else {".".join(["keras", module, *dotted])}


def handed_module(src: "SourceFile", name: cst.Name) -> str | None:
    """The Keras module ``name`` stands for when the caller hands it in, or None."""
    targets = _unpacked(src)
    scope = src.scope(name)
    if not targets or scope is None or name.value not in scope:
        return None
    modules = set()
    for assignment in scope[name.value]:
        bound = getattr(assignment, "node", None)
        if id(bound) in targets:
            modules.add(targets[id(bound)][1])
        elif not _placeholder(src, bound):
            return None
    return modules.pop() if len(modules) == 1 else None


def _handed_read(src: "SourceFile", site: "ModelSite") -> cst.BaseExpression | None:
    """The model's constructor when it reads a module the caller hands in, else the first such
    read among the model's statements (``layers.Dense`` beside an imported ``Model``), or None."""
    if not _unpacked(src):
        return None
    found: list[cst.BaseExpression] = []

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> bool:
            head = node
            while isinstance(head, cst.Attribute):
                head = head.value
            if isinstance(head, cst.Name) and handed_module(src, head) is not None:
                found.append(node)
            return False

    for node in (site.constructor, *site.block.body[site.start : site.end]):
        if node is not None:
            walk(node, Visitor())
            if found:
                return found[0]
    return None


def handed_problem(src: "SourceFile", site: "ModelSite", target: Style, needs_import: bool) -> Diagnostic | None:
    """Why ``site``, a model made from modules the caller hands in, cannot become ``target``: a
    class (which would also make its layers without the caller's ``kwargs``), or code that
    ``needs_import`` of Keras."""
    read = _handed_read(src, site) if needs_import or target in CLASSES else None
    if read is None:
        return None
    made = f"`{src.code(read)}`"
    if target in CLASSES:
        why = (
            "the class a conversion writes derives from a Keras `Model` when the module is imported, before"
            " any caller has handed its Keras in"
        )
    else:
        why = (
            f"the {target} code needs Keras names the model does not use yet, which kconvert writes"
            " only through an import, and an import would ignore the caller's Keras"
        )
    loc = src.loc(read)
    return Diagnostic(
        loc.line,
        loc.col,
        f"{made} is the Keras the caller hands in at run time (`{CONVENTION}(kwargs)`): {why}",
        "keep this builder as it is, or import Keras at module level in place of"
        f" `{CONVENTION}` (`from tensorflow import keras`) to convert it",
    )


def _unpacked(src: "SourceFile") -> dict[int, tuple[cst.Name, str]]:
    """id of each Name the convention binds -> (the Name, the Keras module it is), once per file."""
    if src.handed_names is None:
        found: dict[int, tuple[cst.Name, str]] = {}

        class Visitor(cst.CSTVisitor):
            def visit_Assign(self, node: cst.Assign) -> None:
                call = node.value
                if not isinstance(call, cst.Call) or _last(call.func) != CONVENTION or len(node.targets) != 1:
                    return
                target = node.targets[0].target
                elements = target.elements if isinstance(target, (cst.Tuple, cst.List)) else ()
                names = [element.value for element in elements if isinstance(element, cst.Element)]
                if len(names) == len(MODULES) == len(elements) and all(isinstance(each, cst.Name) for each in names):
                    found.update((id(each), (each, module)) for each, module in zip(names, MODULES))

        if CONVENTION in src.text:
            walk(src.module, Visitor())
        src.handed_names = found
    return src.handed_names


def _placeholder(src: "SourceFile", bound: cst.CSTNode | None) -> bool:
    """``layers = None`` at module level: the name before a builder sets it (``global layers``)."""
    statement = src.parent(src.parent(bound)) if bound is not None else None
    return (
        isinstance(statement, cst.Assign)
        and isinstance(statement.value, cst.Name)
        and statement.value.value == "None"
        and src.parent(src.parent(statement)) is src.module
    )


def _last(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""
