"""Code moved into a subclass's methods, where the constructor's parameters are ``self.<param>``."""

from __future__ import annotations

import libcst as cst

from .serializable import stored_as


class SelfParams(cst.CSTTransformer):
    """``filters`` → ``self.filters`` (``input_shape`` → ``self._input_shape``, as stored; a
    parameter ``renamed`` gives another attribute, ``self._scale``; a name ``spelled`` is written
    as the dotted path it stands for, ``keras.applications.vgg16.preprocess_input``), leaving
    attribute names and keywords alone."""

    def __init__(
        self, params: set[str], renamed: dict[str, str] | None = None, spelled: dict[str, str] | None = None
    ) -> None:
        self.params = params
        self.renamed = renamed or {}
        self.spelled = spelled or {}

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return True

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if original.value in self.spelled:
            return cst.parse_expression(self.spelled[original.value])
        if original.value in self.renamed:
            return cst.Attribute(cst.Name("self"), cst.Name(self.renamed[original.value]))
        if original.value in self.params:
            return cst.Attribute(cst.Name("self"), cst.Name(stored_as(original.value)))
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)
