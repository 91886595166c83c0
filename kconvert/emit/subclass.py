"""Writing an IR graph as a ``keras.Model`` subclass, and the line that makes it.

``__init__`` takes the graph's parameters and creates every layer once, as
``self.<attr>``; a layer made in a loop becomes a list built by a
comprehension, and a layer made under an ``if`` is made under the same test.
``call`` mirrors the graph (loops over the lists, the same ``if`` statements
on ``self.<param>``), passing ``training`` on to the layers that use it.
``get_config`` returns the parameters, so the model can be saved, loaded and
cloned.  After the class, the model is made under the source's variable name
and built as the source's was, so ``summary()`` shows every layer.
"""

from __future__ import annotations

import keyword
import re

import libcst as cst

from ..ir.graph import Call, Code, Cond, Define, Graph, Input, LayerDef, Loop, Node, Op, Stmt, walk
from ..ir.reads import names_read
from .builder import signature
from .context import EmitContext, EmitRefusal
from .model_attributes import MODEL_ATTRIBUTES
from .names import Namer, default_name
from .render import format_block, render

# Layers whose call takes ``training``: passing it on is what readers expect to see.
TRAINING_LAYERS = frozenset(
    {
        "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
        "GaussianDropout", "AlphaDropout", "BatchNormalization",
    }
)
# Tensor names that say nothing about the layer that made them.
GENERIC_NAMES = frozenset({"x", "y", "h", "z", "out", "output", "outputs", "inputs", "net", "hidden", "tensor"})


def emit_subclass(graph: Graph, ctx: EmitContext) -> str:
    writer = _ClassWriter(graph, ctx)
    lines = writer.class_lines() + [""] + writer.instance_lines()
    return format_block("\n".join(lines) + "\n", ctx.indent)


def class_name(graph: Graph, ctx: EmitContext) -> str:
    """``--class-name``, else the model's ``name=``, else its variable, in CamelCase."""
    if ctx.class_name:
        return ctx.class_name
    source = ctx.target or "model"
    if graph.name is not None:
        literal = cst.parse_expression(graph.name.text)
        if isinstance(literal, cst.SimpleString):
            source = literal.evaluated_value
    camel = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", source) if part)
    if not camel.isidentifier() or camel in ("Model", "Sequential", "Input"):
        camel = "My" + (camel if camel.isidentifier() else "Model")
    name, counter = camel, 0
    while name in ctx.reserved:
        counter += 1
        name = f"{camel}{counter}"
    return name


def snake(type_name: str) -> str:
    """``Conv2D`` → ``conv2d``, ``BatchNormalization`` → ``batch_normalization``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])", "_", type_name.split(".")[-1])
    return words.lower()


class _ClassWriter:
    def __init__(self, graph: Graph, ctx: EmitContext) -> None:
        self.graph = graph
        self.ctx = ctx
        self.name = class_name(graph, ctx)
        self.params = [param for param in graph.params if not param.star]
        self.reads = names_read(graph)
        self.loop_layers = _loop_layers(graph.body)
        self.attrs = self._attribute_names()
        self.loop_vars: dict[str, str] = {}

    # --- names --------------------------------------------------------------

    def _attribute_names(self) -> dict[str, str]:
        taken = set(MODEL_ATTRIBUTES) | {param.name for param in self.graph.params}
        wanted: dict[str, str] = {}
        by_type: dict[str, list[str]] = {}
        for layer in self.graph.layers:
            preferred = self._preferred(layer)
            if preferred is not None and preferred not in taken and preferred not in wanted.values():
                wanted[layer.id] = preferred
            else:
                by_type.setdefault(snake(layer.type_name), []).append(layer.id)
        for base, ids in by_type.items():
            suffix = "_layers" if any(layer in self.loop_layers for layer in ids) else ""
            for number, layer_id in enumerate(ids, 1):
                candidate = f"{base}{suffix}" if len(ids) == 1 else f"{base}_{number}{suffix}"
                while candidate in taken or candidate in wanted.values() or keyword.iskeyword(candidate):
                    candidate += "_"
                wanted[layer_id] = candidate
        return wanted

    def _preferred(self, layer: LayerDef) -> str | None:
        if layer.name and layer.name.isidentifier() and layer.binding != "external":
            return layer.name
        calls = self.graph.calls_of(layer.id)
        if layer.id not in self.loop_layers and len(calls) == 1:
            tensor = calls[0].name
            if tensor and tensor not in GENERIC_NAMES and tensor not in self.reads:
                return tensor
        for arg in layer.args:
            if arg.keyword == "name":
                literal = cst.parse_expression(arg.value.text)
                if isinstance(literal, cst.SimpleString) and literal.evaluated_value.isidentifier():
                    return literal.evaluated_value
        if layer.binding == "external" and layer.name:
            return layer.name
        return None

    # --- the class ----------------------------------------------------------

    def class_lines(self) -> list[str]:
        lines = [f"class {self.name}({self.ctx.symbols.model}):"]
        lines += ["    " + line for line in self.init_lines()]
        lines += [""] + ["    " + line for line in self.call_lines()]
        if self.params:
            lines += [""] + ["    " + line for line in self.config_lines()]
        return lines

    def init_lines(self) -> list[str]:
        params = list(self.graph.params)
        names = {param.name for param in params}
        name_arg = None
        if self.graph.name is not None:
            if self.graph.name.text in names:
                name_arg = self.graph.name.text
            else:
                name_arg = "name"
                params.insert(len(self.params), type(params[0])("name", self.graph.name) if params else None)
        if not any(param.star == "**" for param in params):
            from ..ir.graph import Param

            params.append(Param("kwargs", star="**"))
        params = [param for param in params if param is not None]
        kwargs = next(param.name for param in params if param.star == "**")
        super_args = ([f"name={name_arg}"] if name_arg else []) + [
            f"{arg.keyword}={arg.value.text}" if arg.keyword else f"{arg.star}{arg.value.text}"
            for arg in self.graph.extra
            if arg.star != "**"
        ] + [f"**{kwargs}"]
        lines = [f"def __init__(self, {signature(tuple(params))}):", f"    super().__init__({', '.join(super_args)})"]
        lines += [f"    self.{param.name} = {param.name}" for param in self.params if param.name != "name"]
        lines += ["    " + line for line in self.made_in(self.graph.body, set())]
        return lines

    def made_in(self, body: tuple[Node, ...], made: set[str]) -> list[str]:
        """Statements of __init__ that create the layers ``body`` uses first, in order."""
        lines: list[str] = []
        for node in body:
            if isinstance(node, Stmt):
                lines += node.code.splitlines()
            elif isinstance(node, (Define, Call)) and node.layer not in made:
                made.add(node.layer)
                lines.append(f"self.{self.attrs[node.layer]} = {self.graph.layer(node.layer).constructor()}")
            elif isinstance(node, Loop):
                for layer_id in _layers_in(node.body):
                    if layer_id not in made:
                        made.add(layer_id)
                        made_by = self.graph.layer(layer_id).constructor()
                        iterable = node.iterable.text
                        lines.append(f"self.{self.attrs[layer_id]} = [{made_by} for {node.target} in {iterable}]")
            elif isinstance(node, Cond):
                inner = self.made_in(node.body, made)
                if inner:
                    lines += [f"if {node.test.text}:"] + ["    " + line for line in inner]
        return lines

    def call_lines(self) -> list[str]:
        inputs = self.graph.inputs_in_order()
        reserved = self.reads | {"self", "training"}
        self.namer = Namer(self.graph, frozenset(reserved))
        self.fixed: dict[str, str] = {}
        lines = ["def call(self, inputs, training=None):"]
        if len(inputs) == 1:
            self.namer.bind(inputs[0].out, "inputs", fixed=True)
        else:
            names = [self.namer.bind(node.out, node.name or default_name(self.graph, node)) for node in inputs]
            lines.append(f"    {', '.join(names)} = inputs")
        lines += self.call_body(self.graph.body, "    ")
        lines.append(f"    return {self.expr(self.graph.outputs)}")
        return lines

    def call_body(self, body: tuple[Node, ...], indent: str) -> list[str]:
        lines: list[str] = []
        for node in body:
            self.namer.advance(node)
            if isinstance(node, Call):
                lines.append(f"{indent}{self.tensor_name(node)} = {self.call(node)}")
            elif isinstance(node, Op):
                lines.append(f"{indent}{self.tensor_name(node)} = {self.expr(node.expr)}")
            elif isinstance(node, Loop):
                lines += self.carry(node, self.loop_header(node), indent)
            elif isinstance(node, Cond):
                lines += self.carry(node, f"if {self.expr(node.test)}:", indent)
        return lines

    def carry(self, node: Loop | Cond, header: str, indent: str) -> list[str]:
        lines = []
        entering = self.namer[node.init]
        carried = self.namer.bind(node.param, node.name or "x")
        if carried != entering:
            lines.append(f"{indent}{carried} = {entering}")
        self.fixed[node.result] = carried
        lines.append(f"{indent}{header}")
        lines += self.call_body(node.body, indent + "    ") or [f"{indent}    pass"]
        self.namer.bind(node.out, carried, fixed=True)
        return lines

    def loop_header(self, loop: Loop) -> str:
        lists = [layer for layer in _layers_in(loop.body)]
        if any(isinstance(inner, Loop) for inner in walk(loop.body)) and lists:
            raise EmitRefusal(loop.loc, "nested loops of layers cannot be written as a subclass yet")
        variables = []
        for layer_id in lists:
            variable = _singular(self.attrs[layer_id])
            while variable in self.reads or variable in self.loop_vars.values():
                variable += "_"
            self.loop_vars[layer_id] = variable
            variables.append(variable)
        sources = [f"self.{self.attrs[layer_id]}" for layer_id in lists]
        if loop.target != "_" and loop.target in _names_read_in(loop.body):
            variables.insert(0, loop.target)
            sources.insert(0, self.expr(loop.iterable))
        if not sources:
            return f"for {loop.target} in {self.expr(loop.iterable)}:"
        if len(sources) == 1:
            return f"for {variables[0]} in {sources[0]}:"
        return f"for {', '.join(variables)} in zip({', '.join(sources)}):"

    def call(self, node: Call) -> str:
        layer = self.graph.layer(node.layer)
        callee = self.loop_vars.get(layer.id) or f"self.{self.attrs[layer.id]}"
        args = [
            f"{arg.keyword}={self.expr(arg.value)}" if arg.keyword else f"{arg.star}{self.expr(arg.value)}"
            for arg in node.args
        ]
        if layer.type_name in TRAINING_LAYERS and not any(arg.keyword == "training" for arg in node.args):
            args.append("training=training")
        return f"{callee}({', '.join(args)})"

    def tensor_name(self, node: Call | Op) -> str:
        if node.out in self.fixed:
            return self.namer.bind(node.out, self.fixed[node.out], fixed=True)
        return self.namer.bind(node.out, node.name or default_name(self.graph, node))

    def expr(self, code: Code) -> str:
        """``code`` in call(): tensors by their names, parameters as ``self.<param>``."""
        text = render(code, self.namer.names)
        params = {param.name for param in self.params}
        if not params & _identifiers(text):
            return text
        tree = cst.parse_expression(text).visit(_SelfParams(params))
        return cst.Module([]).code_for_node(tree)

    def config_lines(self) -> list[str]:
        entries = ", ".join(f'"{p.name}": self.{p.name}' for p in self.params if p.name != "name")
        return [
            "def get_config(self):",
            "    config = super().get_config()",
            f"    config.update({{{entries}}})",
            "    return config",
        ]

    # --- the instance -------------------------------------------------------

    def instance_lines(self) -> list[str]:
        target = self.ctx.target or _free("model", self.ctx.reserved)
        arguments = ", ".join(f"{param.name}={param.name}" for param in self.params)
        lines = [f"{target} = {self.name}({arguments})"]
        build = self.build_line(target)
        if build:
            lines.append(build)
        if self.ctx.target is None:
            lines.append(f"return {target}")
        return lines

    def build_line(self, target: str) -> str | None:
        """``model.build((None, 20))``, or a call on ``keras.Input``s where build cannot do it."""
        inputs = self.graph.inputs_in_order()
        if not all(node.args for node in inputs):
            return None
        if len(inputs) == 1:
            (node,) = inputs
            shape = next((arg for arg in node.args if arg.keyword == "shape"), None)
            others = [arg for arg in node.args if arg.keyword not in ("shape", "name")]
            if shape is not None and not others:
                expr = cst.parse_expression(shape.value.text)
                if isinstance(expr, (cst.Tuple, cst.List)):
                    dims = [cst.Module([]).code_for_node(element.value) for element in expr.elements]
                    return f"{target}.build(({', '.join(['None', *dims])}))"
                return f"{target}.build((None, *{shape.value.text}))"
        made = [f"{self.ctx.symbols.input}({_args_text(node)})" for node in inputs]
        structure = made[0] if len(made) == 1 else f"[{', '.join(made)}]"
        return f"{target}({structure})"


def _args_text(node: Input) -> str:
    return ", ".join(
        f"{arg.keyword}={arg.value.text}" if arg.keyword else f"{arg.star}{arg.value.text}" for arg in node.args
    )


class _SelfParams(cst.CSTTransformer):
    def __init__(self, params: set[str]) -> None:
        self.params = params

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return True

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if original.value in self.params:
            return cst.Attribute(cst.Name("self"), cst.Name(original.value))
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)


def _identifiers(text: str) -> set[str]:
    return names_read(Graph((), (Stmt(f"_ = {text}", None),), Code(""), Code("")))


def _names_read_in(body: tuple[Node, ...]) -> set[str]:
    """Names the call()-side code of ``body`` reads (not the layer constructors)."""
    names: set[str] = set()
    for node in walk(body):
        for code in [arg.value for arg in getattr(node, "args", ())] + [
            getattr(node, field) for field in ("expr", "test", "iterable") if hasattr(node, field)
        ]:
            names |= _identifiers(code.text)
    return names


def _loop_layers(body: tuple[Node, ...]) -> set[str]:
    found: set[str] = set()
    for node in walk(body):
        if isinstance(node, Loop):
            found |= set(_layers_in(node.body))
    return found


def _layers_in(body: tuple[Node, ...]) -> list[str]:
    """Layers made inside a loop body (inline, or defined there), in order of first use."""
    defined = [node.layer for node in walk(body) if isinstance(node, Define)]
    found: list[str] = []
    for node in walk(body):
        if isinstance(node, (Call, Define)) and node.layer not in found:
            if isinstance(node, Define) or node.layer in defined:
                found.append(node.layer)
    return found


def _singular(name: str) -> str:
    if name.endswith("_layers"):
        return name[: -len("_layers")]
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return "layer"


def _free(preferred: str, reserved: frozenset[str]) -> str:
    name, counter = preferred, 0
    while name in reserved:
        counter += 1
        name = f"{preferred}_{counter}"
    return name
