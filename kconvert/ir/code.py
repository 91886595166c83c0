"""Printing IR ``Code`` with its tensors named.

Placeholders are replaced on the libcst tree of the expression (never by text
search), so a name that merely contains a placeholder is left alone.
"""

from __future__ import annotations

from typing import Mapping

import libcst as cst

from .source_text import Arg, Code


class _Rename(cst.CSTTransformer):
    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        new = self.names.get(original.value)
        if new is None:
            return updated
        if new.isidentifier():
            return updated.with_changes(value=new)
        # A call written where its tensor is read (emit/branch_calls.py): ``f(g(x))``.
        expr = cst.parse_expression(new)
        if isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            return expr
        return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def render(code: Code, names: Mapping[str, str]) -> str:
    """``code`` with each placeholder replaced by the name of its tensor."""
    if not code.refs:
        return code.text
    renames = {placeholder: names[value] for placeholder, value in code.refs}
    tree = cst.parse_expression(code.text)
    return cst.Module([]).code_for_node(tree.visit(_Rename(renames)))


def render_statement(code: Code, names: Mapping[str, str]) -> str:
    """The statement ``code`` (one or more lines) with each placeholder replaced by its tensor's name."""
    if not code.refs:
        return code.text
    renames = {placeholder: names[value] for placeholder, value in code.refs}
    return cst.parse_module(code.text + "\n").visit(_Rename(renames)).code.rstrip("\n")


def unpack_singleton(text: str) -> str:
    """A one-element list or tuple (``[y]``) as its element, the way a graph model takes and
    returns it (Keras' ``unpack_singleton``); any other expression as written."""
    expr = cst.parse_expression(text)
    inner = expr
    while isinstance(inner, (cst.List, cst.Tuple)) and len(inner.elements) == 1:
        if not isinstance(inner.elements[0], cst.Element):
            return text
        inner = inner.elements[0].value
    if inner is expr:
        return text
    return cst.Module([]).code_for_node(inner.with_changes(lpar=[], rpar=[]))


def render_args(args: tuple[Arg, ...], names: Mapping[str, str]) -> str:
    parts = []
    for arg in args:
        prefix = f"{arg.keyword}=" if arg.keyword else arg.star
        parts.append(prefix + render(arg.value, names))
    return ", ".join(parts)


class Substitute(cst.CSTTransformer):
    """Names → expressions; attribute and keyword names are not variables, nor are a lambda's
    parameters inside it (``lambda inputs, scale: ...`` in a helper with a ``scale`` parameter)."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.outer: list[Mapping[str, str]] = []

    def visit_Lambda(self, node: cst.Lambda) -> None:
        params = node.params
        named = [*params.posonly_params, *params.params, *params.kwonly_params]
        named += [star for star in (params.star_arg, params.star_kwarg) if isinstance(star, cst.Param)]
        shadowed = {param.name.value for param in named}
        self.outer.append(self.values)
        self.values = {name: text for name, text in self.values.items() if name not in shadowed}

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.Lambda:
        self.values = self.outer.pop()
        return updated

    def leave_Name(self, original: cst.Name, updated: cst.BaseExpression) -> cst.BaseExpression:
        text = self.values.get(original.value)
        if text is None:
            return updated
        value = cst.parse_expression(text)
        atomic = isinstance(value, (cst.Name, cst.Integer, cst.Float, cst.SimpleString, cst.Attribute,
                                    cst.Call, cst.Subscript, cst.Tuple, cst.List, cst.Dict))
        if original.lpar:
            # The name's own parentheses stay, as written (``Input((env_dim))``).
            return value.with_changes(lpar=original.lpar, rpar=original.rpar)
        return value if atomic else value.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_FormattedString(self, original: cst.FormattedString, updated: cst.FormattedString) -> cst.BaseExpression:
        """A string given for a name in an f-string (``f"{name}_conv"`` with ``name=f"{block}_1"``)
        becomes part of it: a string nested in an f-string's braces with the same quotes does not
        parse before Python 3.12, and the folded name reads as the helper's caller meant it."""
        parts: list[cst.BaseFormattedStringContent] = []
        for old, new in zip(original.parts, updated.parts, strict=True):
            given = isinstance(old, cst.FormattedStringExpression) and isinstance(old.expression, cst.Name)
            folded = _folded(new) if given and old.expression.value in self.values else None
            parts += folded if folded is not None else [new]
        if any(isinstance(part, cst.FormattedStringExpression) for part in parts):
            return updated.with_changes(parts=parts)
        quote = updated.start[len(updated.prefix):]
        text = "".join(part.value for part in parts).replace("{{", "{").replace("}}", "}")
        return cst.SimpleString(f"{updated.prefix.replace('f', '').replace('F', '')}{quote}{text}{quote}")

    def leave_BinaryOperation(self, original: cst.BinaryOperation, updated: cst.BinaryOperation) -> cst.BaseExpression:
        """``name + "_conv"`` with ``name="block1"`` is ``"block1_conv"``, the string Keras sees, as
        a string given to an f-string is folded into it."""
        given = [isinstance(side, cst.Name) and side.value in self.values for side in (original.left, original.right)]
        if not isinstance(updated.operator, cst.Add) or not any(given) or original.lpar:
            return updated
        sides = [side.with_changes(lpar=(), rpar=()) for side in (updated.left, updated.right)]
        if not all(isinstance(side, cst.SimpleString) and not side.prefix for side in sides):
            return updated
        text = "".join(side.evaluated_value for side in sides)
        written = sides[given.index(False)] if not all(given) else sides[0]
        quote = written.quote
        if len(quote) != 1 or set(text) & {quote, "\\", "\n"}:
            return updated
        return cst.SimpleString(f"{quote}{text}{quote}")

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        updated = updated.with_changes(keyword=original.keyword)
        # An argument binds looser than any operator: ``Dense(width * 2)``, not ``Dense((width * 2))``.
        value = original.value
        added = isinstance(value, cst.Name) and not value.lpar and value.value in self.values
        if added and not original.star and isinstance(updated.value, _OPERATIONS):
            return updated.with_changes(value=updated.value.with_changes(lpar=(), rpar=()))
        return updated


# What ``leave_Name`` puts in parentheses of its own, and an argument needs none around.
_OPERATIONS = (cst.BinaryOperation, cst.BooleanOperation, cst.Comparison, cst.UnaryOperation, cst.IfExp)


def _folded(part: cst.BaseFormattedStringContent) -> list[cst.BaseFormattedStringContent] | None:
    """The parts that stand for ``{<string>}`` in an f-string, or None when the string is not one
    that reads the same there (quotes, backslashes, a conversion or a format spec)."""
    if not isinstance(part, cst.FormattedStringExpression) or part.conversion or part.format_spec or part.equal:
        return None
    value = part.expression.with_changes(lpar=(), rpar=())
    if isinstance(value, cst.SimpleString) and "b" not in value.prefix.lower():
        text = value.evaluated_value
        if isinstance(text, str) and not set(text) & set("\\'\"\n"):
            return [cst.FormattedStringText(text.replace("{", "{{").replace("}", "}}"))]
    if isinstance(value, cst.FormattedString) and value.prefix.lower() == "f":
        inner = cst.Module([]).code_for_node(value)[2:-1]
        if not set(inner) & set("\\'\"\n"):
            return list(value.parts)
    return None


def substitute(text: str, values: Mapping[str, str]) -> str:
    """The expression ``text`` with each name of ``values`` replaced by its expression."""
    tree = cst.parse_expression(text).visit(Substitute(values))
    return cst.Module([]).code_for_node(tree)


def picked(node: cst.Subscript) -> cst.BaseExpression | None:
    """The element ``(a, b)[0]`` picks out of a tuple or list written in place (``a``), if it
    picks one by a literal index."""
    if not isinstance(node.value, (cst.Tuple, cst.List)) or len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    value = index.value if isinstance(index, cst.Index) else None
    sign = 1
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        sign, value = -1, value.expression
    elements = node.value.elements
    if not isinstance(value, cst.Integer) or any(isinstance(element, cst.StarredElement) for element in elements):
        return None
    position = sign * int(value.value, 0)
    if not -len(elements) <= position < len(elements):
        return None
    return elements[position].value.with_changes(lpar=(), rpar=())


class Picked(cst.CSTTransformer):
    """Every ``(a, b)[0]`` as ``a``."""

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        return picked(updated) or updated
