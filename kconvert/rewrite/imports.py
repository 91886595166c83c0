"""The imports a conversion adds (``Input``, ``Model``, ``saving``...) and the ones it leaves unread.

libcst's import visitors do the editing, on the import section only; a cheap
test of what the rest of the module still reads decides first whether there is
anything to remove, since their analysis costs more than the rest of a conversion.
"""

from __future__ import annotations

import libcst as cst

from ..parse.model_classes import is_docstring
from ..parse.names_in import identifiers
from .symbols import ImportRequest


def fix_imports(module: cst.Module, imports: set[ImportRequest], removals: set[ImportRequest]) -> cst.Module:
    """Adds the imports the new code needs and removes those it made unused.

    libcst's import visitors analyse the module they are given, which costs more
    than the rest of a conversion; they get only the import section (up to the
    last top-level import), since that is where they add and remove, and the
    names read elsewhere are checked beforehand.
    """
    unused = _no_longer_read(module, removals - imports)
    if not imports and not unused:
        return module
    # libcst.codemod loads libcst.matchers (0.4 s): only a conversion that edits imports pays for it.
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

    cut = _import_section_end(module)
    head = module.with_changes(body=module.body[:cut], footer=())
    if imports:
        context = CodemodContext()
        for request in sorted(imports, key=lambda r: (r.module, r.name or "", r.asname or "")):
            AddImportsVisitor.add_needed_import(context, request.module, request.name, request.asname)
        head = _in_order(AddImportsVisitor(context).transform_module(head), head)
    if unused:
        body = _lines_kept((*head.body, *module.body[cut:]), unused)
        cut = len(head.body)
        head, module = head.with_changes(body=body[:cut]), module.with_changes(body=body)
        context = CodemodContext()
        for request in unused:
            RemoveImportsVisitor.remove_unused_import(context, request.module, request.name, request.asname)
        head = RemoveImportsVisitor(context).transform_module(head)
    return module.with_changes(header=head.header, body=(*head.body, *module.body[cut:]))


def _lines_kept(body, unused: set[ImportRequest]) -> tuple[cst.BaseStatement, ...]:
    """The body with the comments above an import line that goes away (``# Define the Keras
    models`` above ``from keras.models import Sequential``) moved to the line after it, which
    they were also above, with the blank lines that set them off.

    Blank lines alone move too when the line after has none of its own: an import in the middle
    of a script (``from keras.models import Sequential`` after the data is read) is set off from
    the code above by them, which would otherwise run on into the next import line."""
    body = list(body)
    for index, statement in enumerate(body[:-1]):
        following, above = body[index + 1], statement.leading_lines
        moved = any(line.comment is not None for line in above) or (above and not following.leading_lines)
        if moved and _wholly_unused(statement, unused):
            body[index + 1] = following.with_changes(leading_lines=(*above, *following.leading_lines))
            body[index] = statement.with_changes(leading_lines=())
    return tuple(body)


def _wholly_unused(statement: cst.BaseStatement, unused: set[ImportRequest]) -> bool:
    """Whether every name the import line binds is one of ``unused``."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            module = _module_of(small)
            names = [(module, _dotted(alias.name), _as(alias)) for alias in small.names]
        elif isinstance(small, cst.Import):
            names = [(_dotted(alias.name), None, _as(alias)) for alias in small.names]
        else:
            return False
        wanted = {(request.module, request.name, request.asname) for request in unused}
        if not all(name in wanted for name in names):
            return False
    return True


def _dotted(node: cst.BaseExpression) -> str:
    return cst.Module([]).code_for_node(node)


def _as(alias: cst.ImportAlias) -> str | None:
    return _dotted(alias.asname.name) if alias.asname is not None else None


def _in_order(head: cst.Module, before: cst.Module) -> cst.Module:
    """``from keras import layers, models, saving``, not the ``saving, layers, models`` libcst
    writes when it adds a name to an import: the added names go where isort would put them in a
    sorted list, else after the names the user wrote."""
    original = [
        (_module_of(small), _names_of(small))
        for statement in before.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
        if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar)
    ]

    class Reorder(cst.CSTTransformer):
        def leave_ImportFrom(self, node: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
            if isinstance(updated.names, cst.ImportStar):
                return updated
            names = _names_of(updated)
            module = _module_of(updated)
            if (module, names) in original:
                return updated
            # The longest match is the statement libcst added to: a shorter import of the same
            # module can end with the same names (`from m import A, B, C` ... `from m import C`).
            kept = max(
                (
                    old
                    for mod, old in original
                    if mod == module and len(old) < len(names) and names[len(names) - len(old) :] == old
                ),
                key=len,
                default=None,
            )
            if kept is None:
                return updated
            aliases = list(updated.names)
            added, own = aliases[: len(names) - len(kept)], aliases[len(names) - len(kept) :]
            if list(kept) == sorted(kept, key=_isort_key):
                ordered = sorted(added + own, key=lambda alias: _isort_key(_alias_name(alias)))
            else:
                ordered = own + added
            # Each position keeps its comma (and the line break a parenthesized list has there).
            commas = [alias.comma for alias in aliases]
            return updated.with_changes(
                names=[alias.with_changes(comma=comma) for alias, comma in zip(ordered, commas)]
            )

    return head.visit(Reorder())


def _module_of(node: cst.ImportFrom) -> str:
    dots = "." * len(node.relative)
    return dots + (cst.Module([]).code_for_node(node.module) if node.module is not None else "")


def _names_of(node: cst.ImportFrom) -> tuple[str, ...]:
    assert not isinstance(node.names, cst.ImportStar)
    return tuple(_alias_name(alias) for alias in node.names)


def _alias_name(alias: cst.ImportAlias) -> str:
    return cst.Module([]).code_for_node(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))


def _isort_key(name: str) -> tuple[int, str]:
    """isort's default order: CONSTANTS, then Classes, then functions and modules."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _import_section_end(module: cst.Module) -> int:
    """Index after the last top-level import (after the docstring when there is none)."""
    end = 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
        ):
            end = index + 1
    if end == 0 and module.body and is_docstring(module.body[0]):
        end = 1
    return end


def _no_longer_read(module: cst.Module, candidates: set[ImportRequest]) -> set[ImportRequest]:
    """The candidates whose bound name nothing reads any more.

    A cheap pre-check: the scope analysis RemoveImportsVisitor runs costs more
    than the rest of a conversion, and most candidates (``keras``) are still used.
    """
    if not candidates:
        return set()
    read: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
        ):
            continue
        read |= identifiers(statement)
    return {request for request in candidates if _bound_name(request) not in read}


def _bound_name(request: ImportRequest) -> str:
    if request.asname:
        return request.asname
    return request.name if request.name else request.module.split(".")[0]
