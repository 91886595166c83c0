"""An expression of the model's code as IR ``Code``: each tensor name replaced by its
placeholder, each nested layer call (or call of the file's own helper) lifted as a node of
its own by the lifter walking it, a TensorFlow function written as its ``keras.ops`` twin."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ..ir.code import picked
from ..ir.reads import lambda_parameters
from ..ir.source_text import placeholder
from .builder import refuse
from .closure_helpers import closure_helper
from .helpers import helper_definition
from .names_in import calls_in
from .source import node_text

if TYPE_CHECKING:
    from .functional.lifter import FunctionalLifter


def node_code(node: cst.CSTNode) -> str:
    return node_text(node)


class Placeholders(cst.CSTTransformer):
    """Replaces tensor names with placeholders and lifts nested layer calls."""

    def __init__(self, lifter: FunctionalLifter, refs: dict[str, str], root: cst.CSTNode | None) -> None:
        self.lifter = lifter
        self.refs = refs
        self.root = root
        # The parameters of each lambda the walk is inside: there those names are not tensors,
        # and no call is a layer call of the graph.
        self.shadowed: list[frozenset[str]] = []
        # Whether an element was picked out of a list of tensors: the others are no longer read.
        self.folded = False
        # Inside a keyword's or an attribute's name (``block(inputs=x)``, ``t.shape``): a name
        # there reads no variable, though a tensor of the model may be called so.
        self.naming = 0

    def _lifted(self, call: cst.Call) -> bool:
        """A layer call, or inside a larger expression a call of the file's own helper or of a
        merge helper (``Conv2D(8, 3)(layers.concatenate([x, skip]))``): a node of its own, which a
        subclass makes its layers of once, in ``__init__``."""
        if self.shadowed:
            # Inside a lambda nothing runs while the model is built: its calls stay its code.
            return False
        if self.lifter.call_kind(call) != "function":
            return True
        if not self.lifter.reads_tensor(call):
            return False
        if self.lifter.merge_class(call) is not None:
            # Even as the whole expression: ``tensor`` makes its node, never this walk's root.
            return True
        src = self.lifter.src
        helper = helper_definition(src, call.func, self.lifter.runs_at) or closure_helper(src, call)
        return call is not self.root and helper is not None

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return True

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)

    def visit_Arg_keyword(self, node: cst.Arg) -> None:
        self.naming += 1

    def leave_Arg_keyword(self, node: cst.Arg) -> None:
        self.naming -= 1

    def visit_Attribute_attr(self, node: cst.Attribute) -> None:
        self.naming += 1

    def leave_Attribute_attr(self, node: cst.Attribute) -> None:
        self.naming -= 1

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._in_comprehension(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._in_comprehension(node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._in_comprehension(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._in_comprehension(node)

    def _in_comprehension(self, node: cst.CSTNode) -> None:
        """A layer called in a comprehension runs once per element (``[pool(c) for c in convs]``,
        ``[Conv1D(8, k)(x) for k in sizes]``), which a graph node, lifted once, does not say."""
        if self.shadowed:
            return
        for call in calls_in(node):
            if self._lifted(call):
                raise refuse(
                    self.lifter.src.loc(node),
                    f"`{self.lifter.src.code(call).strip()}` calls a layer in a comprehension, once per"
                    " element; kconvert reads a model's layer calls one statement each",
                    "write it as a loop whose passes each carry a tensor, or keep this model in its"
                    " current style",
                )

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.shadowed.append(lambda_parameters(node))
        return True

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.BaseExpression:
        self.shadowed.pop()
        return updated

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if self.naming or any(original.value in bound for bound in self.shadowed):
            return updated
        block = getattr(self.lifter, "block_lists", {}).get(original.value)
        if block is not None and original.value not in self.lifter.env:
            raise refuse(
                block,
                f"`{original.value}` is a list of tensors this block binds (each branch of an `if`, or"
                " each pass of a loop, its own); kconvert carries through a block only tensors, so"
                " after it the list is not one graph",
                "bind the same tensors in every branch and make the list after the block, or keep"
                " this model Functional",
            )
        listed = self.lifter.lists.get(original.value)
        if listed is not None:
            self.refs.update(listed.refs)
            return cst.parse_expression(listed.text)
        value = self.lifter.env.get(original.value)
        if value is None:
            return updated
        self.refs[placeholder(value)] = value
        return updated.with_changes(value=placeholder(value))

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        """``pair[0]`` of ``pair = (a, b)`` (a helper's results bound to one name) is ``a``, as
        its author would have written it had the helper's results been unpacked."""
        listed = isinstance(original.value, cst.Name) and original.value.value in self.lifter.lists
        element = picked(updated) if listed else None
        if element is None:
            return updated
        self.folded = True
        return element

    def visit_Call(self, node: cst.Call) -> bool:
        # A nested layer (or helper) call is lifted whole from the original node,
        # so its own arguments are handled by the lifter, not by this walk.
        return not self._lifted(node)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.shadowed:
            return updated
        if not self._lifted(original):
            return self.lifter.as_keras_op(original, updated)
        value = self.lifter.tensor(original, nested=True)
        self.lifter.lifted[id(original)] = value
        self.refs[placeholder(value)] = value
        return cst.Name(placeholder(value))

