"""Program slices: the part of a user file that builds one model, and nothing else.

User files train at module level (``mnist.load_data()`` downloads, ``model.fit``
runs for minutes), so the worker never runs a whole file. The slice of a model is

* its *roots*: the statement binding it and, for a variable, the later statements
  that finish building it (``model.add(...)``, ``model.build(...)``, ``model(x)``,
  loops and ifs that call ``model.add``), up to the next rebinding of the name;
  the steps that only call or build the model (``model.build``, ``y = model(x)``)
  are needed only when its own statements give it no input, and may read data
  that cannot be had here (``model(features)`` after a download), so the slice
  also comes *lean*, without them: the worker keeps the lean model when it has
  its own inputs (``worker/pair.py``);
* transitively, the top-level statements whose binding of a global reaches a read
  in a kept statement (imports, constants, defs, classes, assignments; found by
  libcst's scope analysis): the last binding above the read, or, for a read in a
  function body, the last one before the model is built; a kept binding of
  another model comes with its finishing steps above that point
  (``generator.build(...)`` before ``gan = Sequential([generator, ...])``);
* ``from __future__`` and star imports, whose effects libcst cannot attribute;
* of a top-level ``if`` reached for some names, its tests and only the statements
  of each branch that bind or change those names or a name read elsewhere in the
  slice (``branches.py``); an emptied branch becomes ``pass``;
* pretrained weights of a Keras application left unloaded (``pretrained.py``);
* with a kept binding of a layer, the ``layer.adapt(...)`` lines below it: a
  ``TextVectorization`` or ``Normalization`` cannot run before it is adapted
  (the data it is adapted on comes along, as in the file); and, of any object, the
  lines that set one of its attributes (``discriminator.trainable = False`` before
  a GAN's combined model is built on it: the model reads the object as they leave it).

A value the user gives (``--set vocab_size=20000``) replaces every reached
binding of that name outside the model's own statements: the binding becomes
``vocab_size = (20000)`` on its first line, and what it read (a download, a
data set) is no longer needed. A builder or class called with no arguments gets
the given values of its parameters as keyword arguments (``build(hp=...)``).

Statements inside ``if __name__ == "__main__":`` are considered only for a model
bound there too (the slice keeps the guard line, and the worker runs it as a
script would run, with ``__name__ == "__main__"``); otherwise that block is
training code and never kept. A builder or class is sliced through the first
module-level variable built from it (``model = build_model(32)``) or, if there is
none, called with no arguments, or, when it needs some, with those of a call of
it in the file whose arguments are all literals (``call_site.py``), or the options of
the file's argparse parser at their defaults (``parsed_args.py``). A method of a
plain class that makes a model is called on an instance made without running the
constructor (``instance.py``). Dropped
statements become blank lines so that line numbers in tracebacks and layer
locations match the user's file.

The finishing and set-up steps are found in ``finishing.py``, the slice's text is
written in ``slice_text.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import libcst as cst

from .call_site import literal_arguments, required
from .closure import Closure
from .finishing import finishing_steps, setup_steps
from .instance import method_model
from .locate import ModelSite
from .missing import DataInput, data_inputs
from .parsed_args import parsed_arguments
from .slice_text import blank_all_but
from .source import SourceIndex


@dataclass(frozen=True)
class ModelSlice:
    """What the worker runs for one model: ``source``, then ``expr`` gives the model."""

    name: str
    path: str
    source: str
    expr: str
    # The given names this slice uses, and the code of the statements their values replace.
    given: tuple[str, ...] = ()
    replaced: tuple[tuple[str, str], ...] = ()  # (name, code)
    # What the model reads from code that may fail here (a download): named when it does.
    data: tuple[DataInput, ...] = ()
    # The source without the steps that only call or build the model; None when the same.
    lean: str | None = None
    # Lines whose pretrained weights the slice leaves unloaded (``pretrained.py``).
    unloaded: tuple[int, ...] = ()


def slice_model(
    index: SourceIndex,
    site: ModelSite,
    sites: Sequence[ModelSite],
    given: Mapping[str, str] | None = None,
) -> ModelSlice:
    """The slice of ``index``'s file that builds ``site``, with ``given`` values
    (name to one-line Python expression) in place of their bindings."""
    given = given or {}
    variable, arguments = site, []
    narrowed: dict[int, frozenset[str]] = {}
    code: tuple[str, ...] = ()  # arguments the slice writes, whose reads it must keep
    if site.kind != "variable" and site.bound_to is not None:
        variable = next(
            s for s in sites if s.kind == "variable" and s.statement == site.bound_at
        )
    if variable.kind == "variable":
        structure, calls = finishing_steps(index, variable)
        roots = [variable.statement, *structure, *calls]
        expr = variable.name
    elif site.kind == "method":
        structure, calls = [], []
        roots = [site.statement]
        node = cst.ensure_type(index.statements[site.statement].node, cst.ClassDef)
        file = [stmt.node for stmt in index.statements]
        made = method_model(file, node, site.name.split(".")[-1], given)
        expr, arguments = made.expr, sorted(set(made.given))
        narrowed = {site.statement: made.names}
    else:
        # Called after the whole file has been defined, so globals bound below the def count.
        structure, calls = [], []
        roots = [site.statement]
        arguments = sorted(
            set(_parameters(index.statements[site.statement].node)) & given.keys()
        )
        listed = ", ".join(f"{name}=({given[name]})" for name in arguments)
        node = index.statements[site.statement].node
        if not arguments and required(node):
            parameters = _parameters(node)[isinstance(node, cst.ClassDef) :]
            listed = (
                literal_arguments(index, site.name)
                or parsed_arguments(index, site.name, parameters)
                or ""
            )
            code = (listed,)
        expr = f"{site.name}({listed})"
    work = _closure(index, sites, given, roots, arguments, variable.kind == "variable", narrowed, code)
    lean = None
    if calls:
        bare = _closure(index, sites, given, roots[: -len(calls)], arguments, True)
        lean, _ = blank_all_but(index, bare, given)
    used = set(arguments).union(
        *(index.statements[i].binds & given.keys() for i in work.replaced)
    )
    source, unloaded = blank_all_but(index, work, given)
    return ModelSlice(
        site.name,
        index.path,
        source,
        expr,
        tuple(sorted(used)),
        tuple(
            (name, _code(index.statements[i].node))
            for i in sorted(work.replaced)
            for name in sorted(index.statements[i].binds & given.keys())
        ),
        data_inputs(index, work.kept | work.partial.keys(), roots),
        None if lean == source else lean,
        unloaded,
    )


def _closure(
    index: SourceIndex,
    sites: Sequence[ModelSite],
    given: Mapping[str, str],
    roots: list[int],
    arguments: list[str],
    variable: bool,
    narrowed: dict[int, frozenset[str]] | None = None,
    code: tuple[str, ...] = (),
) -> Closure:
    """What ``roots`` need; a builder or class runs after the whole file is defined."""
    cutoff = max(roots) if variable else len(index.statements)
    in_main = index.statements[roots[0]].main_guard_line is not None
    steps = setup_steps(index)
    for s in sites:
        if s.kind == "variable":
            structure, calls = finishing_steps(index, s)
            steps.setdefault(s.statement, []).extend(sorted(structure + calls))
    work = Closure(index, given, cutoff, in_main, steps, narrowed)
    work.run(roots, work.value_reads(arguments, code), cutoff)
    return work


def _parameters(node: cst.BaseStatement) -> list[str]:
    """The parameters of a builder, or of a class's ``__init__``."""
    if isinstance(node, cst.ClassDef):
        inits = [
            stmt
            for stmt in node.body.body
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "__init__"
        ]
        node = inits[0] if inits else node
    if not isinstance(node, cst.FunctionDef):
        return []
    params = node.params
    return [
        p.name.value
        for p in (*params.posonly_params, *params.params, *params.kwonly_params)
    ]


def _code(node: cst.BaseStatement) -> str:
    return cst.Module(body=[]).code_for_node(node).strip()
