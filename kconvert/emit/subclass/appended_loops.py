"""Layers a loop makes whose arguments its own statements compute (``strides = 1 if i == 0 else 2``),
or whose variable the code after it reads (``for units in sizes:``, then ``Dense(units)``, the last
size; a comprehension keeps its variable to itself): a subclass's ``__init__`` writes that loop
out, appending each pass's layers to their lists.  A loop that makes no layer but changes those it
calls is written out the same way, with its statements alone.

A mixin of ``InitWriter`` (constructor.py): it reads the writer's ``graph``, ``attrs``, ``params``,
``remarks`` and ``stmt_reads``.
"""

from __future__ import annotations

from ...ir.control import Loop
from ...ir.nodes import Call, Define, Stmt
from ..flat_loops import flat_inner
from ..string_lines import code_lines
from .helpers import pass_tests, same_pass
from .names import layers_in


class AppendedLoops:
    def appended_in(self, loop: Loop, made: set[str]) -> list[str]:
        """A loop whose statements compute its layers' arguments (``strides = 1 if i == 0 else 2``):
        written out in ``__init__``, appending each pass's layers to their lists."""
        lists = [layer_id for layer_id in layers_in(self.graph, loop.body) if layer_id not in made]
        made.update(lists)
        owners = {layer_id: f"self.{self.attrs[layer_id]}" for layer_id in lists}
        return [f"{owner} = []" for owner in owners.values()] + self._appending(loop, owners)

    def changing_in(self, loop: Loop) -> list[str]:
        """A loop that calls layers made before the model and changes them (``for layer in stack:
        x = layer(x); layer.trainable = False``): call() calls them, and a loop of ``__init__`` over
        the same list runs its statements (none when it has none for ``__init__``)."""
        lines = self._appending(loop, {})
        return lines if len(lines) > 1 else []

    def _appending(self, loop: Loop, owners: dict[str, str]) -> list[str]:
        """The ``for`` that appends one pass's layers to ``owners``; a loop inside fills a list of
        its own per pass (``blocks = []``), appended as one element."""
        lines = [f"for {loop.target} in {loop.iterable.text}:"]
        appended: set[str] = set()
        tests = pass_tests(loop.body, into_loops=False)
        for node in same_pass(loop.body):
            if isinstance(node, Stmt) and not node.refs:
                said = self.remarks.around(code_lines(node.code), node.loc, beside=False)
                lines += ["    " + line for line in said]
            elif isinstance(node, (Call, Define)) and node.layer in owners and node.layer not in appended:
                appended.add(node.layer)
                made_by = guarded(self.graph.layer(node.layer).constructor(called=True), tests.get(node.layer))
                lines.append(f"    {owners[node.layer]}.append({made_by})")
            elif isinstance(node, Loop) and set(layers_in(self.graph, node.body)) & set(owners):
                # A loop that only carries tensors has nothing to make (check_loop refused its statements).
                inner = [layer_id for layer_id in layers_in(self.graph, node.body) if layer_id in owners]
                appended.update(inner)
                if flat_inner(loop, self.graph) is node:
                    lines += ["    " + line for line in self._appending(node, owners)]
                    continue
                locals_ = {layer_id: self._local_list(layer_id) for layer_id in inner}
                lines += [f"    {name} = []" for name in locals_.values()]
                lines += ["    " + line for line in self._appending(node, locals_)]
                lines += [f"    {owners[layer_id]}.append({name})" for layer_id, name in locals_.items()]
        return lines

    def _local_list(self, layer_id: str) -> str:
        """``dense_layers``: the list one pass of a loop fills, named as its attribute is."""
        name = self.attrs[layer_id]
        while name in self.stmt_reads or name in {param.name for param in self.params}:
            name += "_"
        return name


def guarded(made_by: str, condition: str | None) -> str:
    """A layer of a loop's pass made only where that pass calls it, else None in its place, so
    the lists stay in step with the loop."""
    return made_by if condition is None else f"{made_by} if {condition} else None"

