"""The statements that finish building a model after the one that binds it
(``model.add(...)``, ``model.build(...)``, ``model(x)``), and the set-up lines of
other objects the slice keeps (``layer.adapt(...)``, ``base.trainable = False``)."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from .locate import ModelSite
from .source import SourceIndex

_BUILD_METHODS = ("add", "build")


def finishing_steps(
    index: SourceIndex, site: ModelSite
) -> tuple[list[int], list[int]]:
    """The steps that add to the model, and those that only call or build it."""
    structure, calls = [], []
    in_main = index.statements[site.statement].main_guard_line is not None
    for j in range(site.statement + 1, len(index.statements)):
        stmt = index.statements[j]
        if stmt.main_guard_line is not None and not in_main:
            continue
        step = _is_step_line(stmt.node, site.name)
        if site.name in stmt.binds and not step:
            break
        if _is_add_block(stmt.node, site.name) or _is_step_line(
            stmt.node, site.name, only_add=True
        ):
            structure.append(j)
        elif step:
            calls.append(j)
    return structure, calls


def setup_steps(index: SourceIndex) -> dict[int, list[int]]:
    """``layer.adapt(...)`` and ``base.trainable = False`` lines, under the statement that
    last bound ``layer`` or ``base``."""
    steps: dict[int, list[int]] = {}
    last_binding: dict[str, int] = {}
    for j, stmt in enumerate(index.statements):
        node = stmt.node
        name = _set_up_name(node.body[0]) if isinstance(node, cst.SimpleStatementLine) else None
        if name in last_binding:
            steps.setdefault(last_binding[name], []).append(j)
        for bound in stmt.binds:
            last_binding[bound] = j
    return steps


def _set_up_name(small: cst.BaseSmallStatement) -> str | None:
    """``layer`` for ``layer.adapt(...)`` (``parser.add_argument(...)``) or
    ``layer.trainable = False``, else None."""
    # ``parser.add_argument(...)`` sets up a parser the same way (``parsed_args.py``).
    methods = m.Name("adapt") | m.Name("add_argument") | m.Name("set_defaults")
    adapt = m.Expr(value=m.Call(func=m.Attribute(value=m.Name(), attr=methods)))
    setting = m.Assign(targets=[m.AssignTarget(target=m.Attribute(value=m.Name()))])
    if m.matches(small, adapt):
        return cst.ensure_type(small, cst.Expr).value.func.value.value
    if m.matches(small, setting):
        return cst.ensure_type(small, cst.Assign).targets[0].target.value.value
    return None


def _is_step_line(node: cst.BaseStatement, name: str, only_add: bool = False) -> bool:
    """``model.add(...)``, ``model.build(...)``, ``model(x)`` or ``y = model(x)``
    (only the first with ``only_add``)."""
    if not isinstance(node, cst.SimpleStatementLine):
        return False
    methods = ("add",) if only_add else _BUILD_METHODS
    func = m.Attribute(value=m.Name(name), attr=m.OneOf(*(m.Name(a) for a in methods)))
    call = m.Call(func=func if only_add else func | m.Name(name))
    return any(
        m.matches(
            small, m.Expr(value=call) | m.Assign(value=call) | m.AnnAssign(value=call)
        )
        for small in node.body
    )


def _is_add_block(node: cst.BaseStatement, name: str) -> bool:
    """A ``for``/``if``/``while``/``with`` adding layers: ``for u in sizes: model.add(...)``."""
    if not isinstance(node, (cst.For, cst.If, cst.While, cst.With)):
        return False
    add = m.Call(func=m.Attribute(value=m.Name(name), attr=m.Name("add")))
    return bool(m.findall(node, add))
