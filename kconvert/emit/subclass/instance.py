"""Where a converted model class's instance is made: the line that makes it and builds it, or,
for a class whose instances are made elsewhere, what the source said about its inputs."""

from __future__ import annotations

from ..given import instance_arguments
from ..serializable import computed_name_lines
from .build import build_line, built_inputs
from .names import free_name


class InstanceWriter:
    """The instance half of a model class writer; the writer sets ``graph``, ``ctx``, ``name``,
    ``params`` and ``remarks``."""

    def class_line(self, line: str) -> list[str]:
        if not self.ctx.makes_no_instance:
            return [line]
        # No line makes an instance: the class stands for the model's own line, and what was
        # said beside that line (or beside the source's class line) is said beside the class's.
        return self.remarks.around([line], self.graph.loc, above=False)

    def super_lines(self, line: str) -> list[str]:
        if not self.ctx.makes_no_instance:
            return [line]
        if self._each_said(self.graph.inputs_in_order()):
            # Inputs that say something each (``# State as input``, ``# Action as input``): above
            # this line the second would read as said of the first; each goes with the first line
            # of call() that reads its input.
            self.inputs_said_in_call = True
            return self.remarks.around([line], self.graph.returns, self.graph.loc)
        # The class's instances are made elsewhere, and built there: what the source said above
        # its Input lines (``# Construct the model.``) opens the constructor, where they stood;
        # what it said above the model's own line (``# Create model``), above the line making it.
        inputs = self.remarks.around([line], *(node.loc for node in self.graph.inputs_in_order()), beside=False)
        # A graph class's own ``super().__init__(...)`` (``Graph.returns``) is this line's counterpart.
        return inputs[:-1] + self.remarks.around(inputs[-1:], self.graph.returns, self.graph.loc)

    def instance_lines(self) -> list[str]:
        target = self.ctx.target or free_name("model", self.ctx.reserved)
        arguments = instance_arguments(self.params)
        arguments += computed_name_lines(self.graph, self.ctx, list(self.params), graph_first=False)[1]
        # The builder's ``**kwargs`` went to ``keras.Model(...)``: the class passes them on to it.
        arguments += [f"**{arg.value.text}" for arg in self.graph.extra if arg.star == "**"]
        build = build_line(self.graph, self.ctx, target)
        if self.ctx.target is None and not build:
            # A builder whose model needs no build line returns the instance it makes.
            return self.remarks.around([f"return {self.name}({', '.join(arguments)})"], self.graph.loc, blank=False)
        lines = self.remarks.around([f"{target} = {self.name}({', '.join(arguments)})"], self.graph.loc, blank=False)
        if build:
            # The inputs are made here, and what was said about them with them.
            lines += self._input_lines(build, target)
        if self.ctx.target is None:
            lines.append(f"return {target}")
        return lines

    def _input_lines(self, build: str, target: str) -> list[str]:
        """The build line; in a list of several inputs that say something each (``# Performance
        model``, ``# Weather forecast model``), each input's comments above it, where above the
        whole line the second would read as said of the first.  One comment above inputs made
        together (``# define model inputs``) is said of them all: it stays above the line."""
        inputs = self.graph.inputs_in_order()
        items = built_inputs(self.graph, self.ctx)
        if not self._each_said(inputs) or build != f"{target}([{', '.join(items)}])":
            return self.remarks.around([build], *(node.loc for node in inputs), blank=False)
        listed = [
            line
            for node, item in zip(inputs, items)
            for line in self.remarks.around([f"        {item},"], node.loc, blank=False)
        ]
        return [f"{target}(", "    [", *listed, "    ]", ")"]

    def _each_said(self, inputs) -> bool:
        """Whether two or more of ``inputs`` have comments of their own still to place."""
        lines = {remark.line for remark in self.remarks.waiting if remark.text}
        return sum(node.loc.line in lines for node in inputs) >= 2
