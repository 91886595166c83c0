"""Model classes defined inside another class's body (``class GAN: class Generator(keras.Model)``).

kconvert reads model classes where the module defines them; one nested in a class (a GAN's
generator and discriminator, as the npfl114 course writes them) would otherwise be left in its
style without a word.  Each becomes a site whose problem says where it is and how to make it
convertible; a conversion to the style it is already in has nothing to do for it.
"""

from __future__ import annotations

import libcst as cst

from ..types import Diagnostic, Style
from .functional_subclass import graph_init
from .sites import Binding, ModelSite
from .source import SourceFile
from .subclass.shapes import model_base


def nested_model_sites(src: SourceFile) -> list[ModelSite]:
    sites = []
    for outer in src.module.body:
        if not isinstance(outer, cst.ClassDef):
            continue
        for index, inner in enumerate(outer.body.body):
            if not isinstance(inner, cst.ClassDef) or model_base(src, inner) is None:
                continue
            style = Style.FUNCTIONAL_SUBCLASS if graph_init(src, inner) is not None else Style.SUBCLASS
            loc = src.loc(inner)
            site = ModelSite(inner.name.value, style, loc, None, Binding(None), outer.body, index, index + 1)
            site.problem = Diagnostic(
                loc.line,
                loc.col,
                f"the model class `{inner.name.value}` is defined inside the class `{outer.name.value}`;"
                " kconvert converts model classes the module defines",
                f"move `{inner.name.value}` to module level (`{outer.name.value}` can still make it), or keep it"
                " in its current style",
            )
            sites.append(site)
    return sites
