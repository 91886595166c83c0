"""Writing an IR graph as a ``keras.Model`` subclass, and the line that makes it.

``__init__`` takes the graph's parameters and creates every layer once, as
``self.<attr>``; a layer made in a loop becomes a list built by a
comprehension, and a layer made under an ``if`` is made under the same test.
``call`` mirrors the graph (loops over the lists, the same ``if`` statements
on ``self.<param>``), passing ``training`` on to the layers that use it.
The class is registered and ``get_config`` returns the parameters
(emit/serializable.py), so the model can be saved, loaded and cloned.  After the class, the model is made under the source's variable name
and built by calling it on ``keras.Input`` (``model.build(shape)`` leaves a
subclass's layers unbuilt in Keras 3), so ``summary()`` shows every layer.
"""

from __future__ import annotations

import libcst as cst

from ..ir.graph import Arg, Call, Code, Cond, Define, Graph, Input, Loop, Node, Op, Stmt, produced
from ..ir.reads import identifiers_of, is_import, names_read, statement_binds, statement_names
from .builder import signature
from .comments import Remarks
from .context import EmitContext, EmitRefusal
from .names import Namer, block_test, default_name, enter_block, leave_block, target_names
from .render import format_block, render
from .serializable import config_lines, constructor, decorator_lines, kept_methods
from .subclass_helpers import check_loop, walk_written_out, written_out
from .subclass_names import attribute_names, class_name, free_name, layers_in, singular

# Layers whose call takes ``training``: passing it on is what readers expect to see.
TRAINING_LAYERS = frozenset(
    {
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "GaussianNoise",
        "GaussianDropout",
        "AlphaDropout",
        "BatchNormalization",
    }
)


def emit_subclass(graph: Graph, ctx: EmitContext, classes: tuple[list[str], ...] = ()) -> str:
    """The model's class and the line that makes it; ``classes``: the lines of classes it
    uses (its blocks' Layer classes), written before it."""
    inputs = cst.parse_expression(graph.inputs.text)
    if isinstance(inputs, (cst.List, cst.Tuple)) and len(inputs.elements) == 1:
        raise EmitRefusal(
            graph.loc,
            "the model takes its one input as a list (`inputs=[x]`), which a Functional model unwraps"
            " and a subclass's call() would not",
            "pass the input itself (`inputs=x`), or keep this model Functional",
        )
    for node in walk_written_out(graph.body):
        if isinstance(node, Stmt) and node.refs:
            raise EmitRefusal(
                node.loc,
                "this statement reads the shape of a tensor while the model is built (`model.output_shape`,"
                " `x.shape`); in a subclass's call() that shape has the batch's real size, not None",
                "keep this model Sequential or Functional (or functional-subclass), or remove the check",
            )
        layer = graph.layer(node.layer) if isinstance(node, (Call, Define)) else None
        if layer is not None and layer.reads_tensors:
            raise EmitRefusal(
                layer.loc,
                "this layer is made from a tensor (its shape); a subclass makes its layers in"
                " __init__, before any tensor exists",
                "write the size as a number or a constructor parameter, or keep the Functional API",
            )
    writer = ClassWriter(graph, ctx)
    lines = writer.class_lines() + [""] + writer.instance_lines()
    for made in reversed(classes):
        lines = made + ["", ""] + lines
    if writer.kept:
        # Layers the rest of the file reads are made where it can see them, before the class.
        lines = writer.kept + ["", ""] + lines
    return format_block("\n".join(lines) + "\n", ctx.indent, ctx.layout)


class ClassWriter:
    # A model's inputs keep their name (``inputs``) to the end of call().
    keeps_inputs = True

    def __init__(self, graph: Graph, ctx: EmitContext) -> None:
        self.graph = graph
        self.ctx = ctx
        self.name = class_name(graph, ctx)
        self.params = [param for param in graph.params if not param.star]
        self.reads = names_read(graph)
        self.attrs = attribute_names(graph, self.reads)
        self.loop_vars: dict[str, str] = {}
        self.remarks = Remarks(graph)
        self.kept: list[str] = []
        self.stmt_reads = frozenset().union(
            *(statement_names(node.code) for node in graph.walk() if isinstance(node, Stmt))
        )

    # --- names --------------------------------------------------------------

    # --- the class ----------------------------------------------------------

    def class_lines(self) -> list[str]:
        base = self.graph.base.text if self.graph.base is not None else self.ctx.symbols.model
        lines = decorator_lines(self.graph, self.ctx) + [f"class {self.name}({base}):"]
        if self.graph.doc is not None:
            lines += ["    " + line for line in self.graph.doc.splitlines()] + [""]
        lines += ["    " + line for line in self.init_lines()]
        lines += [""] + ["    " + line for line in self.call_lines()]
        for method in kept_methods(self.graph):
            # A method of the source class (``train_step``), as it was written.
            lines += [""] + ["    " + line if line else "" for line in method.code.splitlines()]
        config = config_lines(self.params)
        if config:
            lines += [""] + ["    " + line for line in config]
        return lines

    def init_lines(self) -> list[str]:
        extra = [_arg_text(arg) for arg in self.graph.extra if arg.star != "**"]
        params, super_args = constructor(self.graph, list(self.graph.params), extra)
        lines = [
            f"def __init__(self, {signature(tuple(params))}):",
            f"    super().__init__({', '.join(super_args)})",
        ]
        lines += [f"    self.{param.name} = {param.name}" for param in self.params if param.name != "name"]
        lines += ["    " + line for line in self.made_in(self.graph.body, set())]
        return lines

    def made_in(self, body: tuple[Node, ...], made: set[str]) -> list[str]:
        """Statements of __init__ that create the layers ``body`` uses first, in order."""
        lines: list[str] = []
        for node in body:
            if isinstance(node, Stmt) and body is self.graph.body and self._stays_outside(node):
                # ``DEPTH = 2`` between adds that the rest of the file reads, or an import: not local to __init__.
                self.kept += node.code.splitlines()
            elif isinstance(node, Stmt):
                lines += self.remarks.around(node.code.splitlines(), node.loc, beside=False)
            elif isinstance(node, (Define, Call)) and node.layer not in made:
                made.add(node.layer)
                layer = self.graph.layer(node.layer)
                # A comment beside the line that makes a layer notes something about the
                # layer: it stays beside its constructor.  One above a line that makes and
                # calls a layer titles a step of the forward pass: it goes to call().
                at = (layer.loc, node.loc) if isinstance(node, Define) else (layer.loc,)
                only_beside = not isinstance(node, Define)
                if layer.binding == "named" and layer.name in self.ctx.kept:
                    self.kept.append(f"{layer.name} = {layer.constructor()}")
                    made_by = f"self.{self.attrs[node.layer]} = {layer.name}"
                    lines += self.remarks.around([made_by], *at, above=not only_beside)
                elif layer.binding == "named" and layer.name in self.stmt_reads:
                    # ``backbone.trainable = False`` after it still needs the local name.
                    made_by = f"{layer.name} = {layer.constructor()}"
                    lines += self.remarks.around([made_by], *at, above=not only_beside)
                    lines.append(f"self.{self.attrs[node.layer]} = {layer.name}")
                else:
                    made_by = f"self.{self.attrs[node.layer]} = {layer.constructor(called=True)}"
                    lines += self.remarks.around([made_by], *at, above=not only_beside)
            elif isinstance(node, Loop):
                check_loop(node, layers_in(self.graph, node.body))
                statements = any(isinstance(inner, Stmt) for inner in walk_written_out(node.body))
                if statements and layers_in(self.graph, node.body):
                    lines += self.appended_in(node, made)
                    continue
                for layer_id in layers_in(self.graph, node.body):
                    if layer_id not in made:
                        made.add(layer_id)
                        made_by = self.graph.layer(layer_id).constructor(called=True)
                        iterable = node.iterable.text
                        made_list = f"self.{self.attrs[layer_id]} = [{made_by} for {node.target} in {iterable}]"
                        lines += self.remarks.around([made_list], self.graph.layer(layer_id).loc, above=False)
            elif isinstance(node, Op) and node.helper is not None:
                lines += self.made_in(written_out(node.helper), made)
            elif isinstance(node, Cond) and node.test.refs:
                # A test on shapes can only be asked in call(); a layer made here and never
                # called stays unbuilt, without weights, so the model's parameters still match.
                lines += self.made_in(node.body, made)
            elif isinstance(node, Cond):
                inner = self.made_in(node.body, made)
                if inner:
                    lines += [f"if {node.test.text}:"] + ["    " + line for line in inner]
        return lines

    def _stays_outside(self, node: Stmt) -> bool:
        # Inside a builder function, __init__ is where its locals live on.
        outside = self.ctx.scope is None and is_import(node.code)
        return outside or bool(statement_binds(node.code) & self.ctx.kept)

    def appended_in(self, loop: Loop, made: set[str]) -> list[str]:
        """A loop whose statements compute its layers' arguments (``strides = 1 if i == 0 else 2``):
        written out in ``__init__``, appending each pass's layers to their lists."""
        lists = [layer_id for layer_id in layers_in(self.graph, loop.body) if layer_id not in made]
        lines = [f"self.{self.attrs[layer_id]} = []" for layer_id in lists]
        lines.append(f"for {loop.target} in {loop.iterable.text}:")
        for node in walk_written_out(loop.body):
            if isinstance(node, Stmt):
                lines += ["    " + line for line in node.code.splitlines()]
            elif isinstance(node, (Call, Define)) and node.layer in lists and node.layer not in made:
                made.add(node.layer)
                made_by = self.graph.layer(node.layer).constructor(called=True)
                lines.append(f"    self.{self.attrs[node.layer]}.append({made_by})")
        return lines

    def call_lines(self) -> list[str]:
        inputs = self.graph.inputs_in_order()
        reserved = self.reads | {"self", "training"}
        self.namer = Namer(self.graph, frozenset(reserved), keep_inputs=self.keeps_inputs)
        self.fixed: dict[str, str] = {}
        lines = self.call_header(inputs)
        body, last = self.graph.body, self.graph.body[-1] if self.graph.body else None
        if self.returns_last(last):
            # ``return self.activation(x)``: the source returned the expression, unnamed.
            lines += self.call_body(body[:-1], "    ")
            self.namer.advance(last)
            return lines + [f"    return {self.call(last)}"]
        lines += self.call_body(body, "    ")
        lines.append(f"    return {self.expr(self.graph.outputs)}")
        return lines

    def returns_last(self, last: Node | None) -> bool:
        """Whether call() returns its last layer call as is: never for a model, whose outputs
        the source named."""
        return False

    def call_header(self, inputs: tuple[Input, ...]) -> list[str]:
        """``def call(...)`` and the lines that name its inputs."""
        lines = ["def call(self, inputs, training=None):"]
        keys = _input_keys(self.graph)
        if len(inputs) == 1 and keys is None:
            self.namer.bind(inputs[0].out, "inputs", fixed=True)
        else:
            names = [
                self.namer.bind(node.out, node.name or default_name(self.graph, node)) for node in inputs
            ]
            if keys is None:
                lines.append(f"    {', '.join(names)} = inputs")
            else:
                lines += [f"    {names[index]} = inputs[{key}]" for index, key in enumerate(keys)]
        return lines

    def call_body(self, body: tuple[Node, ...], indent: str) -> list[str]:
        lines: list[str] = []
        for node in body:
            self.namer.advance(node)
            if isinstance(node, Call):
                line = f"{indent}{self.tensor_name(node)} = {self.call(node)}"
                lines += self.remarks.around([line], node.loc, self.graph.layer(node.layer).loc)
            elif isinstance(node, Op) and node.helper is not None:
                # A tensor a block carries is named so where the helper's body makes it: no copy after.
                for value, result in zip(produced(node), node.helper.results):
                    if value in self.fixed:
                        self.fixed.setdefault(result, self.fixed[value])
                lines += self.call_body(node.helper.body, indent)
                lines += self.results(node, indent)
            elif isinstance(node, Op):
                line = f"{indent}{self.tensor_name(node)} = {self.expr(node.expr)}"
                lines += self.remarks.around([line], node.loc)
            elif isinstance(node, Loop):
                lines += self.carry(node, self.loop_header(node), indent)
            elif isinstance(node, Cond):
                lines += self.carry(node, None, indent)
        return lines

    def results(self, node: Op, indent: str) -> list[str]:
        """The helper's returned tensors stand for the call's: same names, no new line.

        Only a tensor that must have a fixed name (the one a loop or ``if`` carries) is copied.
        """
        lines = []
        for value, result in zip(produced(node), node.helper.results):
            name = self.namer[result]
            if value in self.fixed and self.fixed[value] != name:
                lines.append(f"{indent}{self.fixed[value]} = {name}")
                name = self.fixed[value]
            self.namer.bind(value, name, fixed=True)
        return lines

    def carry(self, node: Loop | Cond, header: str | None, indent: str) -> list[str]:
        """The block's lines; an ``if`` (no ``header`` given) tests the carried names."""
        names, copies = enter_block(self.namer, node, self.fixed)
        if header is None:
            header = f"if {self.expr(block_test(node))}:"
        lines = [indent + line for line in copies] + self.remarks.around([f"{indent}{header}"], node.loc)
        body = self.call_body(node.body, indent + "    ")
        body += [f"{indent}    {line}" for line in leave_block(self.namer, node, names)]
        return lines + (body or [f"{indent}    pass"])

    def loop_header(self, loop: Loop) -> str:
        lists = layers_in(self.graph, loop.body)
        variables = []
        for layer_id in lists:
            variable = singular(self.attrs[layer_id])
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
        """The assignment target for the node's tensors: ``x``, or ``seq, h, c`` when unpacked."""
        made = ((node.out, node.name or default_name(self.graph, node)), *node.more)
        return target_names(self.namer, self.fixed, made)

    def expr(self, code: Code) -> str:
        """``code`` in call(): tensors by their names, parameters as ``self.<param>``."""
        text = render(code, self.namer.names)
        params = {param.name for param in self.params}
        if not params & identifiers_of(text):
            return text
        tree = cst.parse_expression(text).visit(SelfParams(params))
        return cst.Module([]).code_for_node(tree)

    # --- the instance -------------------------------------------------------

    def instance_lines(self) -> list[str]:
        target = self.ctx.target or free_name("model", self.ctx.reserved)
        arguments = ", ".join(f"{param.name}={param.name}" for param in self.params)
        lines = self.remarks.around([f"{target} = {self.name}({arguments})"], self.graph.loc)
        build = self.build_line(target)
        if build:
            # The inputs are made here, and what was said about them with them.
            lines += self.remarks.around([build], *(node.loc for node in self.graph.inputs_in_order()))
        if self.ctx.target is None:
            lines.append(f"return {target}")
        return lines

    def build_line(self, target: str) -> str | None:
        """``model(keras.Input(shape=(20,)))``: Keras 3 builds a subclass's layers only by a call."""
        inputs = self.graph.inputs_in_order()
        if not builds_on_inputs(self.graph):
            return None
        if builds_on_zeros(self.graph):
            return f"{target}({self.ctx.symbols.ops}.zeros({_zeros_shape(inputs[0])}))"
        if builds_by_shape(self.graph):
            # Its layers are then built by the first real call, outside any symbolic trace.
            return f"{target}.build({_zeros_shape(inputs[0]).replace('(1,', '(None,', 1)})"
        made = [f"{self.ctx.symbols.input}({_args_text(node)})" for node in inputs]
        keys = _input_keys(self.graph)
        if keys is not None:
            structure = "{" + ", ".join(f"{key}: {item}" for key, item in zip(keys, made)) + "}"
        else:
            structure = made[0] if len(made) == 1 else f"[{', '.join(made)}]"
        return f"{target}({structure})"


# Layers that make tensors while they are built (a Normalization's mean and variance): built in a
# symbolic trace (a call on ``keras.Input``, or any first call of a subclass), those tensors
# belong to that trace and every later call fails.
BUILT_ON_DATA = frozenset({"Normalization", "Discretization"})


def builds_on_zeros(graph: Graph) -> bool:
    """Whether to build on data: Keras 3 cannot trace a stateful RNN on a symbolic
    ``keras.Input``, but a call on zeros of the model's full batch shape builds it."""
    inputs = graph.inputs_in_order()
    stateful = any(
        arg.keyword == "stateful" and arg.value.text == "True" for layer in graph.layers for arg in layer.args
    )
    return stateful and len(inputs) == 1 and any(arg.keyword == "batch_shape" for arg in inputs[0].args)


def builds_by_shape(graph: Graph) -> bool:
    """A model with a layer that makes tensors while it is built (``BUILT_ON_DATA``) and one
    input of a written-out shape: ``model.build(shape)``, since any call traces symbolically."""
    inputs = graph.inputs_in_order()
    return (
        any(layer.type_name in BUILT_ON_DATA for layer in graph.layers)
        and len(inputs) == 1
        and (shape := _zeros_shape(inputs[0])) is not None
        and shape.startswith("(1,")
    )


def _zeros_shape(node: Input) -> str | None:
    """``(8, 5, 2)`` from ``batch_shape=(8, 5, 2)``, ``(1, 5)`` from ``shape=(5,)``; None when a
    dimension is unknown or the shape is not written out."""
    for arg in node.args:
        if arg.keyword == "batch_shape":
            return arg.value.text
        if arg.keyword == "shape" or (arg.keyword is None and arg is node.args[0]):
            shape = cst.parse_expression(arg.value.text)
            if isinstance(shape, (cst.Tuple, cst.List)) and all(
                isinstance(element.value, cst.Integer) for element in shape.elements
            ):
                dims = ["1", *(element.value.value for element in shape.elements)]
                return f"({', '.join(dims)})"
    return None


def builds_on_inputs(graph: Graph) -> bool:
    """Whether the model has input shapes to build it with (it then needs ``keras.Input``)."""
    inputs = graph.inputs_in_order()
    return bool(inputs) and all(node.args for node in inputs)


def _input_keys(graph: Graph) -> list[str] | None:
    """The keys (as written) of inputs given as a dict, in the order of the graph's Inputs."""
    expr = cst.parse_expression(graph.inputs.text)
    if not isinstance(expr, cst.Dict):
        return None
    by_placeholder = {
        element.value.value: cst.Module([]).code_for_node(element.key)
        for element in expr.elements
        if isinstance(element, cst.DictElement) and isinstance(element.value, cst.Name)
    }
    placeholders = dict((value, name) for name, value in graph.inputs.refs)
    return [by_placeholder[placeholders[node.out]] for node in graph.inputs_in_order()]


def _args_text(node: Input) -> str:
    return ", ".join(_arg_text(arg) for arg in node.args)


def _arg_text(arg: Arg) -> str:
    return f"{arg.keyword}={arg.value.text}" if arg.keyword else f"{arg.star}{arg.value.text}"


class SelfParams(cst.CSTTransformer):
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


def _names_read_in(body: tuple[Node, ...]) -> set[str]:
    """Names the call()-side code of ``body`` reads (not the layer constructors)."""
    names: set[str] = set()
    for node in walk_written_out(body):
        if isinstance(node, Op) and node.helper is not None:
            # The helper call itself is not written out; its arguments live on in its body.
            continue
        for code in [arg.value for arg in getattr(node, "args", ())] + [
            getattr(node, field) for field in ("expr", "test", "iterable") if hasattr(node, field)
        ]:
            names |= identifiers_of(code.text)
    return names
