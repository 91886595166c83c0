"""A model a method makes for a class whose base another module defines.

kayua's Audio-Classification (verify39): ``class ResidualModel(ResidualProcess, ResidualGradientMaps)``
builds ``self.neural_network_model`` in its ``build_model``, and its Grad-CAM methods, which
``ResidualGradientMaps`` defines in another module of the project, read that model as a graph:
``get_layer("conv_block_3_layer_2")`` and ``keras.Model(model.inputs, [layer.output, model.output])``.
kconvert reads the methods of the file's own class (a graph use there refuses to subclass,
parse/after_site.py) but not a base it imports, so a subclass, which has neither inputs nor the
Functional model's layers by name, broke the code it cannot see with exit 0. A method of such a
class may hand the model to the base in any way (``self`` is the base's too), so to-subclass is
refused there; the graph styles keep what the base can read.
"""

from __future__ import annotations

import sys

import libcst as cst
from libcst.metadata import QualifiedNameSource

from ..types import Diagnostic
from .sites import ModelSite
from .source import SourceFile


def unseen_base(src: SourceFile, site: ModelSite) -> Diagnostic | None:
    """Why a subclass is refused for ``site``, made in a method of a class with a base imported
    from a module outside the standard library that is not Keras'; None otherwise."""
    method = src.parent(site.block) if site.scope is not None else None
    if not isinstance(method, cst.FunctionDef):
        return None
    body = src.parent(method)
    owner = src.parent(body) if isinstance(body, cst.IndentedBlock) else None
    if not isinstance(owner, cst.ClassDef):
        return None
    for base in owner.bases:
        module = _imported_from(src, base.value)
        if module is None:
            continue
        spelled = src.code(base.value)
        return Diagnostic(
            site.loc.line,
            site.loc.col,
            f"`{site.name}` is made for `{owner.name.value}`, whose base `{spelled}` comes from `{module}`, which"
            " kconvert cannot read: code there may read the model as a graph (`get_layer(...).output`,"
            " `model.inputs`), which a subclass does not have",
            "convert it with `to-functional-subclass` (a class that still builds the graph), or keep this model"
            f" {site.style}",
        )
    return None


def _imported_from(src: SourceFile, base: cst.BaseExpression) -> str | None:
    """The module ``base`` is imported from, when it is neither the standard library's nor Keras'."""
    if src.keras(base) is not None:
        return None
    scope = src.scope(base)
    names = scope.get_qualified_names_for(base) if scope is not None else ()
    for name in names:
        if name.source is not QualifiedNameSource.IMPORT:
            continue
        module = name.name.rsplit(".", 1)[0] if "." in name.name else name.name
        top = module.split(".")[0]
        if top in sys.stdlib_module_names or top in {"keras", "tensorflow", "tf_keras"}:
            continue
        return module
    return None
