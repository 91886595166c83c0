"""Values a builder function computes before its model that the model's own code reads.

``seq_length = 10`` in ``main()`` before ``Input(shape=(seq_length, 1))``: the Functional and
Sequential targets keep the model's code where it is, but a class target moves it into a class
at module level, where the function's locals do not exist.  The statements that only prepare
the model's arguments (``parse/prelude.py``) are moved with it; any other local the moved code
reads, found by libcst's scope analysis of the function, becomes a parameter of the class, which
the function passes where it makes the model (``Main(seq_length=seq_length)``), the value it had
there, as a builder's own parameters are.  A name the function imports (``from
tensorflow.keras.layers import Conv2D`` in a builder that imports TensorFlow only when called) is
imported at module level too: a class deriving from Keras' ``Model`` there imports Keras with the
module anyway.  A function defined there that reads none of its
locals is the module's helper it could have been (parse/nested_helpers.py): a subclass makes a
Layer class of it, a class that builds a graph has it written above the class.  A layer made
before the model, any other function defined there, a name the model's own lines bind again or
one Keras' constructor takes itself is refused with the line of the local rather than failing
the safety check.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst
from libcst.metadata import Assignment

from ..ir.graph import Graph, walk
from ..ir.model_parts import Param
from ..ir.nodes import Input, Op
from ..ir.reads import names_read, params_of
from ..ir.source_text import Loc
from ..types import Diagnostic, Style
from .enclosing_locals import bound_import, enclosing_reads, model_reads
from .module_index import module_bindings
from .names_in import bound_names
from .nested_helpers import closure_free, defined_free, function_defs
from .sites import ModelSite
from .source import SourceFile
from .spelling import ImportRequest


def lifted_function_locals(
    src: SourceFile, site: ModelSite, target: Style
) -> tuple[Graph, frozenset[ImportRequest]] | Diagnostic:
    """The site's graph with each plain local of its builder function that the class would read
    as a parameter, and the imports of the function the class reads, to be made at module level;
    or why a local cannot be either: a layer the function made before the model, or a local that
    is neither a plain value nor imported by a statement of the function's own body."""
    graph = site.graph
    with_inputs = target is Style.FUNCTIONAL_SUBCLASS
    found = locals_read_by_class(src, site, graph, with_inputs)
    layer = _local_layer(site, {name for name, _, _ in found})
    if layer is not None:
        name, loc = layer
        return _refusal(
            loc, f"`{name}` is made in `{site.scope}` before the model",
            f"make `{name}` inside the model's code, pass it in as a parameter", target,
        )
    kept = _kept_layer(site)
    if kept is not None:
        name, loc = kept
        return Diagnostic(
            loc.line,
            loc.col,
            f"`{name}`, a layer of the model, is read in `{site.scope}` after the model; a {target} model"
            f" makes its layers in its class, where `{site.scope}` cannot read them",
            "read the layer through the model after it is made (`model.get_layer(...)`), or keep this"
            f" model {site.style}",
        )
    own = _bound_by_model(site)
    taken = {param.name for param in graph.params}
    lifted, functions, imports = [], [], set()
    for outer in enclosing_reads(src, site, _class_reads(graph, with_inputs), _parameter_names(src, site.block)):
        if outer.request is None or outer.name in module_bindings(src.module):
            return Diagnostic(
                outer.loc.line,
                outer.loc.col,
                f"`{outer.name}`, a local of `{outer.function}`, is read by the model of `{site.scope}`, a function"
                f" `{outer.function}` defines; a {target} model is a class at module level, which cannot read it",
                f"give `{outer.name}` to `{site.scope}` as a parameter, or keep this model {site.style}",
            )
        imports.add(outer.request)
    for name, loc, kind in found:
        request = _imported(src, site, name) if kind == "other" else None
        if request is not None and name not in module_bindings(src.module):
            imports.add(request)
            continue
        definition = _nested_def(site, name) if kind == "def" else None
        if definition is not None and closure_free(src, definition) and not defined_free(src, definition):
            return _refusal(
                loc, f"`{name}`, a function `{site.scope}` defines before the model and the model uses, reads"
                " the function's locals in a default, annotation or decorator",
                f"give `{name}` the value as an argument where it is called, or define it at module level", target,
            )
        if definition is not None and closure_free(src, definition) and (target is Style.FUNCTIONAL_SUBCLASS or _lifted(graph, name)):
            # A subclass makes a Layer class of the helper; a class that builds a graph calls it
            # from its __init__, at module level, where it is written (parse/nested_helpers.py).
            if target is Style.FUNCTIONAL_SUBCLASS:
                if name in module_bindings(src.module) or _defined(src.module, name) > 1:
                    return Diagnostic(
                        loc.line,
                        loc.col,
                        f"`{name}`, a function `{site.scope}` defines, would be written at module level, above"
                        f" the class, where the file already has a `{name}`",
                        f"rename `{name}`, or keep this model Functional",
                    )
                functions.append(cst.Module([definition.with_changes(leading_lines=())]).code.strip() + "\n")
            continue
        if kind in ("def", "class"):
            return _refusal(
                loc, f"`{name}` is a {'function' if kind == 'def' else 'class'} defined in `{site.scope}`"
                " before the model, and the model uses it",
                f"define `{name}` at module level, where kconvert reads it as a block of layers", target,
            )
        if kind != "value" or name in own or name in RESERVED or name in taken:
            return _refusal(
                loc, f"`{name}` is computed in `{site.scope}` before the model, and the model reads it",
                f"compute `{name}` inside the model's code, make it a parameter of `{site.scope}`", target,
            )
        lifted.append(Param(name))
    graph = replace(graph, functions=graph.functions + tuple(functions))
    if lifted:
        # Required parameters go before any with a default: the line that makes the model names each.
        at = next((i for i, param in enumerate(graph.params) if param.default is not None or param.star), len(graph.params))
        graph = replace(graph, params=graph.params[:at] + tuple(lifted) + graph.params[at:])
    return graph, frozenset(imports)


def _imported(src: SourceFile, site: ModelSite, name: str) -> ImportRequest | None:
    """The import that binds ``name`` when every statement of the function's body above the model
    that binds it is a plain ``import ...`` or ``from <module> import ...`` (not relative)."""
    found = None
    for statement in site.block.body[: site.start]:
        if name not in bound_names(statement):
            continue
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        found = bound_import(small, name) if small is not None else None
        if found is None:
            return None
    return found


def _nested_def(site: ModelSite, name: str) -> cst.FunctionDef | None:
    """The ``def name`` of the site's function above the model's statements."""
    found = None
    for statement in site.block.body[: site.start]:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            found = statement
    return found


def _lifted(graph: Graph, name: str) -> bool:
    """Whether the model's code calls ``name`` as a helper: the subclass emitter makes a Layer
    class of it, or says why it cannot, as for a module-level helper."""
    return any(isinstance(node, Op) and node.helper is not None and node.helper.name == name for node in walk(graph.body))


def _defined(module: cst.Module, name: str) -> int:
    """How many ``def name`` the module has, at any depth."""
    return sum(1 for node in function_defs(module) if node.name.value == name)


# Names keras.Model's constructor takes for itself, or a class's methods use.
RESERVED = frozenset({"name", "trainable", "dtype", "inputs", "outputs", "self", "kwargs", "training", "mask"})


def _refusal(loc: Loc, message: str, hint: str, target: Style) -> Diagnostic:
    return Diagnostic(
        loc.line,
        loc.col,
        f"{message}; a {target} model is a class at module level, which cannot read the function's locals",
        f"{hint}, or keep this model Functional",
    )


def _bound_by_model(site: ModelSite) -> set[str]:
    """Names the model's own statements bind: passed in, the value would be the one before them."""
    return set().union(*(bound_names(statement) for statement in site.block.body[site.start : site.end]))


def _local_layer(site: ModelSite, before: set[str]) -> tuple[str, Loc] | None:
    """A layer the model uses that its builder function made before the model's own code, in
    the model's block or a block around it (``before``: the function's locals bound there that
    the class would read)."""
    if site.scope is None or site.graph is None:
        return None
    before = before | {name for statement in site.block.body[: site.start] for name in bound_names(statement)}
    for layer in site.graph.layers:
        if layer.binding == "external" and layer.reference is not None and layer.reference.text in before:
            return layer.reference.text, layer.loc
    return None


def _kept_layer(site: ModelSite) -> tuple[str, Loc] | None:
    """A layer the model's own lines make by name that code after the model in its builder reads
    (``features.trainable = False`` below the model): it stays the function's, out of the class's
    reach."""
    if site.scope is None or site.graph is None:
        return None
    for layer in site.graph.layers:
        if layer.binding == "named" and layer.name in site.kept_layers:
            return layer.name, layer.loc
    return None


def locals_read_by_class(src: SourceFile, site: ModelSite, graph: Graph, with_inputs: bool) -> list[tuple[str, Loc, str]]:
    """The function locals, bound before the model's statements, that the class would read, in
    the order they are bound: each name, where, and what binds it there (``value`` when every
    binding is a plain assignment or a ``for``, else ``def``, ``class`` or ``other``).

    ``with_inputs`` says whether the model's inputs are made inside the class too (a
    functional-subclass), or at the call site (a subclass built on ``keras.Input``).
    """
    found_reads = model_reads(src, site, _class_reads(graph, with_inputs), _parameter_names(src, site.block))
    if found_reads is None:
        return []
    scope, first, reads = found_reads
    found: dict[str, tuple[Loc, str]] = {}
    for node, access in reads:
        before = [
            referent for referent in access.referents
            if isinstance(referent, Assignment) and referent.scope is scope and _before(src, referent.node, first)
        ]
        if before:
            locs = [src.loc(referent.node) for referent in before]
            kinds = {_kind(src, referent.node) for referent in before}
            seen = found.get(node.value)
            if seen is not None:
                locs.append(seen[0])
                kinds.add(seen[1])
            kind = kinds.pop() if len(kinds) == 1 else "other"
            found[node.value] = (min(locs, key=lambda loc: (loc.line, loc.col)), kind)
    ordered = sorted(found.items(), key=lambda item: (item[1][0].line, item[1][0].col))
    return [(name, loc, kind) for name, (loc, kind) in ordered]


def _class_reads(graph: Graph, with_inputs: bool) -> frozenset[str]:
    """The names the class's code would read of the model's."""
    # A computed ``name=`` reading a local is passed where the function makes the class.
    graph = replace(graph, name=None)
    return names_read(graph) | _input_factories(graph) if with_inputs else _read_without_inputs(graph)


def _kind(src: SourceFile, node: cst.CSTNode) -> str:
    """What binds a name at ``node``: ``value`` for the target of an assignment or a ``for``,
    ``def`` or ``class`` for a definition, else ``other`` (an import, a ``with``)."""
    if isinstance(node, cst.FunctionDef):
        return "def"
    if isinstance(node, cst.ClassDef):
        return "class"
    parent = src.parent(node)
    while isinstance(parent, (cst.Tuple, cst.List, cst.Element, cst.StarredElement, cst.AssignTarget)):
        parent = src.parent(parent)
    return "value" if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For)) else "other"


def _input_factories(graph: Graph) -> frozenset[str]:
    """The names the graph's ``Input(...)`` calls are spelled with (``Input``, ``layers``), which a
    class that makes its own inputs reads."""
    factories = (node.factory.text for node in graph.body if isinstance(node, Input) and node.factory is not None)
    return frozenset(text.split(".")[0] for text in factories)


def _read_without_inputs(graph: Graph) -> frozenset[str]:
    """What the model reads, but for the arguments of its ``keras.Input`` calls."""
    inputs = tuple(node for node in graph.body if isinstance(node, Input) and node.choice is None)
    bare = tuple(Input(node.out, (), node.loc, node.name) if node in inputs else node for node in graph.body)
    return names_read(replace(graph, body=bare))


def _before(src: SourceFile, node: cst.CSTNode, line: int) -> bool:
    try:
        return src.loc(node).line < line
    except KeyError:
        return False


def _parameter_names(src: SourceFile, block: cst.CSTNode) -> set[str]:
    node = block
    while node is not None and not isinstance(node, cst.FunctionDef):
        node = src.parent(node)
    if node is None:
        return set()
    return {param.name.value for param in params_of(node)}
