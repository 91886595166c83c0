"""Writing an IR graph as a Sequential model, or refusing with the reason.

Only a single chain fits: one input, each layer called on the previous layer's
output and nothing else, one output.  A layer object may stand in the chain
more than once (it is listed by name each time, so it stays one shared layer), if it
has no weights: Keras saves a Sequential that lists one object twice as one entry,
and weights shared by two passes are refused.
``chain.py`` walks the chain and names the first node that breaks it.  The output is the list constructor with ``keras.Input``
first; a graph with a loop (or an ``if`` on a builder parameter), or with
statements between its layers, is written with ``.add()`` calls so the loop
and the statements stay where they were.
"""

from __future__ import annotations

import libcst as cst

from ...ir.graph import Graph
from ...ir.source_text import PLACEHOLDER_PREFIX
from ..comments import Remarks
from ..context import EmitContext, refuse_chosen_inputs, refuse_lost_methods
from ..renamed_layers import refuse_renamed_layers
from ..model_setup import setup_lines
from ..render import format_block, render_args
from ..string_lines import code_lines
from ..subclass.names import free_name
from .chain import Chain, Entry


def emit_sequential(graph: Graph, ctx: EmitContext) -> str:
    refuse_chosen_inputs(graph, "Sequential")
    refuse_lost_methods(graph, "Sequential")
    refuse_renamed_layers(graph)
    remarks = Remarks(graph)
    chain = Chain(graph, ctx.symbols, remarks)
    _, entries = chain.walk()
    keywords = []
    if graph.name is not None:
        keywords.append(f"name={graph.name.text}")
    if graph.extra:
        keywords.append(render_args(graph.extra, {}))
    added = bool(graph.setup) or any(kind in ("loop", "stmt", "shape") for kind, _, _ in entries)
    entries = chain.placed(added)
    form = _add_form if added else _list_form
    lines = chain.hoisted + form(graph, entries, keywords, ctx, remarks)
    return format_block("\n".join(lines) + "\n", ctx.indent, ctx.layout)


def _list_form(graph: Graph, entries: list[Entry], keywords: list[str], ctx: EmitContext, remarks: Remarks):
    """``Sequential([...])`` with one layer a line, as the Keras guides write it, with the
    comments that stood between and beside the layers."""
    listed = [line for _, code, locs in entries for line in remarks.around([f"    {code},"], *locs)]
    # What was said of the line giving the outputs that no layer's line took (a graph class's
    # ``super().__init__(...)``) goes with the model's own line.
    head = remarks.around(["return" if ctx.target is None else f"{ctx.target} ="], graph.loc, graph.returns, beside=False)
    lines = head[:-1] + [f"{head[-1]} {ctx.symbols.sequential}(["] + listed
    return lines + [f"]{''.join(', ' + keyword for keyword in keywords)})"]


def _add_form(graph: Graph, entries: list[Entry], keywords: list[str], ctx: EmitContext, remarks: Remarks):
    target = ctx.target or free_name("model", ctx.reserved)
    lines = remarks.around([f"{target} = {ctx.symbols.sequential}({', '.join(keywords)})"], graph.loc)
    indent = ""
    for kind, code, locs in entries:
        if kind == "loop":
            lines += remarks.around([f"{indent}{code}"], *locs)
            indent += "    "
        elif kind == "end":
            indent = indent[:-4]
        elif kind in ("stmt", "shape"):
            code = _output_shape(code, target) if kind == "shape" else code
            lines += remarks.around([indent + line for line in code_lines(code)], *locs, beside=False)
        else:
            lines += remarks.around([f"{indent}{target}.add({code})"], *locs)
    lines += setup_lines(graph, target)
    if ctx.target is None:
        lines += remarks.around([f"return {target}"], graph.returns)
    return lines


def _output_shape(code: str, target: str) -> str:
    """The statement with each ``<tensor>.shape`` it reads spelled ``target.output_shape``."""
    return cst.parse_module(code + "\n").visit(_OutputShape(target)).code.rstrip("\n")


class _OutputShape(cst.CSTTransformer):
    def __init__(self, target: str) -> None:
        self.target = target

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if isinstance(original.value, cst.Name) and original.value.value.startswith(PLACEHOLDER_PREFIX):
            return updated.with_changes(value=cst.Name(self.target), attr=cst.Name("output_shape"))
        return updated
