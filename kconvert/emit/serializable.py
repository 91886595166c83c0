"""What makes an emitted model class save, load and clone: registration and ``get_config``.

``keras.models.load_model`` finds a class by its registered name, so an emitted
class carries ``@keras.saving.register_keras_serializable(package=<module>)``
(unless the source class had its own registration, which is kept).  Keras
rebuilds a model with a constructor of its own as ``cls(**config)``
(``Model.from_config``), so ``get_config`` adds every constructor parameter to
what ``super().get_config()`` gives (``name``, ``trainable``, ``dtype``), which
the constructor takes through ``**kwargs``; Keras' own ``from_config`` then does.
A ``.keras`` file stores the config as JSON, where a tuple comes back a list: a
parameter the class's code joins with or compares to a tuple (``img_size + (3,)``)
is made a tuple again by a ``from_config`` of the class's own (but for a ``None``
that a parameter whose default is ``None`` may hold).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import libcst as cst

from ..ir.graph import Graph
from ..ir.model_parts import Method, Param
from ..ir.nodes import Stmt
from ..ir.reads import changed_in_place, computed_name, identifiers_of, names_read, statement_binds_anywhere
from .comments import Remarks
from .context import EmitContext, EmitRefusal, registers
from .given import as_given
from .model_attributes import GRAPH_PROPERTIES, MODEL_ATTRIBUTES


def decorator_lines(graph: Graph, ctx: EmitContext) -> list[str]:
    """The registration line, then the source class's own decorators, outermost first."""
    own = [method.code for method in graph.methods if method.name.startswith("@")]
    if any(registers(method) for method in graph.methods):
        return own
    package = f'package="{ctx.module}"' if ctx.module else ""
    return [f"@{ctx.symbols.saving}.register_keras_serializable({package})", *own]


def class_head(graph: Graph, ctx: EmitContext, class_line: list[str]) -> list[str]:
    """Decorators, the class line, and the docstring of the class or helper the class replaces."""
    doc = ["    " + line for line in graph.doc.splitlines()] + [""] if graph.doc is not None else []
    return decorator_lines(graph, ctx) + class_line + doc


def kept_methods(graph: Graph) -> list[Method]:
    """The source class's methods (``train_step``), written into the class as they were."""
    return [method for method in graph.methods if not method.name.startswith("@")]


def without_name_param(graph: Graph) -> Graph:
    """The graph without a builder's parameter called ``name`` that is not the model's name.

    A model class's ``name`` is Keras' own (``cls(**config)`` passes the saved one back), so it
    cannot also be the builder's value that the model's name is computed from
    (``name=f"{name}_embedding"``): that value stays the builder's, and the line that makes the
    model passes the computed name.  Read by anything else, the class would have no value of its own."""
    param = next((param for param in graph.params if param.name == "name" and not param.star), None)
    if param is None or (graph.name is not None and graph.name.text == "name"):
        return graph
    others = replace(graph, name=None, params=tuple(other for other in graph.params if other is not param))
    if "name" in names_read(others) or graph.name is None or computed_name(graph) is None:
        raise EmitRefusal(
            graph.loc,
            "the builder's parameter `name` is not the model's name, and a model class's `name` is Keras'"
            " own (the model's name, which `get_config()` saves)",
            "rename the parameter (e.g. `prefix`), or keep this model in its current style",
        )
    return replace(others, name=graph.name)


def constructor(graph: Graph, params: list[Param], extra: list[str]) -> tuple[list[Param], list[str]]:
    """The ``__init__`` parameters and the arguments ``super().__init__`` passes on.

    A model name given as a literal becomes the default of a ``name`` parameter, so that
    ``cls(**config)`` (which passes ``name=``) still works; ``**kwargs`` takes the rest of
    the config, and a name computed from other values (``computed_name``).  ``extra`` are
    the model's other keyword arguments, rendered.
    """
    params = list(params)
    named = {param.name for param in params}
    super_args = []
    if graph.name is not None and computed_name(graph) is None:
        name_arg = graph.name.text if graph.name.text in named else "name"
        if name_arg not in named:
            position = len([param for param in params if not param.star])
            params.insert(position, Param("name", graph.name))
        super_args.append(f"name={name_arg}")
    elif "name" in named:
        # A helper block's ``name`` parameter (``conv_bn(x, 64, name="block1")``, its layers named
        # from it) is its Layer class's own name, which ``get_config()`` saves.
        super_args.append("name=name")
    kwargs = next((param.name for param in params if param.star == "**"), None)
    if kwargs is None:
        kwargs = "kwargs"
        params.append(Param(kwargs, star="**"))
    return params, super_args + extra + [f"**{kwargs}"]


def computed_name_lines(
    graph: Graph, ctx: EmitContext, params: list[Param], graph_first: bool
) -> tuple[list[str], list[str]]:
    """Where a computed model name goes: ``(lines of __init__ before super().__init__, arguments
    of the line that makes the model)``; ``graph_first``: ``__init__`` runs the model's code
    before ``super().__init__`` (a graph class), so it sees the locals that code binds.

    ``__init__`` when it sees every name the name reads (those locals, the constructor's
    parameters, the module's names): the class then names itself as the builder did, and
    ``kwargs.setdefault`` lets ``cls(**config)`` give the saved name.  Else the line that makes
    the model, which sees the builder's other locals (``rows``), unless the class replaces that
    line, or the name reads a local the model's code makes, which moves into the class."""
    name = computed_name(graph)
    if name is None:
        return [], []
    read = identifiers_of(name)
    made = {bound for node in graph.walk() if isinstance(node, Stmt) for bound in statement_binds_anywhere(node.code)}
    seen = (made if graph_first else set()) | {param.name for param in params} | ctx.module_names
    if read <= seen:
        kwargs = next((param.name for param in params if param.star == "**"), "kwargs")
        return [f'{kwargs}.setdefault("name", {name})'], []
    if ctx.makes_no_instance or read & made:
        missing = sorted(read - seen)[0]
        raise EmitRefusal(
            graph.loc,
            f"the model's name `{name}` is computed from `{missing}`, which the class's __init__ does not"
            " have before `super().__init__(...)` takes the name",
            "compute the name from the constructor's parameters, or keep this model in its current style",
        )
    return [], [f"name={as_given(name, graph)}"]


def config_lines(
    params: list[Param],
    ctx: EmitContext,
    class_lines: list[str],
    makers: frozenset[str] = frozenset(),
    learned: frozenset[str] = frozenset(),
    objects: frozenset[str] = frozenset(),
) -> list[str]:
    """``get_config`` returning every constructor parameter, or nothing when there is none; then
    ``from_config`` when ``class_lines`` (the class's code above) uses a parameter as a tuple, or
    a parameter holds a layer (or, one of ``objects``, layer objects the model calls:
    ir/given_layers.py) or, one of ``makers`` (ir/layer_makers.py), a layer class.  A
    parameter only layer state is learned from (``learned``: ir/learned_params.py) is not saved:
    the class made from its config is given ``None``, and the saved weights hold the state.

    ``return {**super().get_config(), "units": self.units}`` when it fits on its line; else the
    parameters' dict first, as Keras' own layers write it, so that black spreads only that dict.
    """
    stored = [param.name for param in params if not param.star and param.name not in {"name", *learned}]
    if not stored and not learned:
        return []
    # A layer the class is given is saved as its own config, and made from it again on loading
    # (the Keras guide's "Serialization and saving"): Keras does not make objects of a config's values.
    given = [param.name for param in params if param.layer or param.name in objects]
    # An array the class gives a layer as its first weights (``weights=[embedding_matrix]``,
    # ``Constant(embedding_matrix)``) is saved as Keras saves arrays, and made an array again on
    # loading: JSON's list has no ``shape`` (Keras' ``set_weights`` reads it).
    given += [name for name in _read_as_weights(stored, class_lines) if name not in given]
    classes = [name for name in stored if name in makers]
    optional = {param.name for param in params if param.default is not None and param.default.text == "None"}
    saving = ctx.symbols.saving

    def entry(name: str) -> str:
        value = f"self.{stored_as(name)}"
        if name in given:
            value = f"{saving}.serialize_keras_object({value})"
        elif name in classes:
            # A class is saved by the name it is registered under (its own, for Keras' layers).
            named = f"{saving}.get_registered_name({value})"
            value = f"None if {value} is None else {named}" if name in optional else named
        return f'"{name}": {value}'

    entries = ", ".join(entry(name) for name in stored)
    one_line = f"return {{**super().get_config(), {entries}}}" if stored else "return super().get_config()"
    # The ``return`` stands two indents into the class, which stands ``ctx.class_indent`` into the file.
    if ctx.class_indent + 8 + len(one_line) <= ctx.layout.line_length:
        lines = ["def get_config(self):", "    " + one_line]
    else:
        lines = ["def get_config(self):", f"    config = {{{entries}}}", "    return {**super().get_config(), **config}"]
    tuples = _used_as_tuples(stored, class_lines)
    if not tuples and not given and not classes and not learned:
        return lines
    lines += ["", "@classmethod", "def from_config(cls, config):"]
    # The data the state was learned from is not saved; the state comes back with the weights.
    lines += [f'    config["{name}"] = None' for name in sorted(learned)]
    for name in stored:
        if name in given:
            made = f'config["{name}"] = {saving}.deserialize_keras_object(config["{name}"])'
        elif name in classes:
            # Keras' layer classes by name, then the module's own (a class it defines or imports).
            found = f"{{**vars({ctx.symbols.layers}), **globals()}}"
            made = f'config["{name}"] = {saving}.get_registered_object(config["{name}"], module_objects={found})'
        elif name in tuples:
            made = f'config["{name}"] = tuple(config["{name}"])'
        else:
            continue
        lines += [f'    if config["{name}"] is not None:', f"        {made}"] if name in optional else [f"    {made}"]
    return lines + ["    return cls(**config)"]


# Initializers made from a value given to them: Keras 3's ``Constant``, TensorFlow's older name.
VALUE_INITIALIZERS = frozenset({"Constant", "constant", "constant_initializer"})


def _read_as_weights(stored: list[str], class_lines: list[str]) -> list[str]:
    """The parameters, in ``stored``'s order, that the class's code gives, by name or as the
    attribute it is stored in, as a layer's ``weights=`` (``[embedding_matrix]``) or as a
    ``Constant(...)`` initializer's value: arrays a layer's weights start from.  A value computed
    from a parameter (``Constant(np.eye(num_features))``) is not the parameter's own."""
    spelled = {name: name for name in stored} | {f"self.{stored_as(name)}": name for name in stored}
    found: set[str] = set()

    def given(value: cst.BaseExpression) -> None:
        items = [element.value for element in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value]
        for item in items:
            if isinstance(item, (cst.Name, cst.Attribute)):
                name = spelled.get(cst.Module([]).code_for_node(item))
                if name is not None:
                    found.add(name)

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            called = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
            for arg in node.args:
                if called in VALUE_INITIALIZERS or (arg.keyword is not None and arg.keyword.value == "weights"):
                    given(arg.value)

    cst.parse_module("\n".join(class_lines) + "\n").visit(Visitor())
    return [name for name in stored if name in found]


def _used_as_tuples(stored: list[str], class_lines: list[str]) -> list[str]:
    """The parameters, in ``stored``'s order, that the class's code adds a tuple to or compares
    with one, by name or as the attribute it is stored in: loaded as a list, ``img_size + (3,)``
    would fail and ``strides == (1, 1)`` would be false."""
    spelled = {name: name for name in stored} | {f"self.{stored_as(name)}": name for name in stored}
    found: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
            if isinstance(node.operator, cst.Add):
                self.pair(node.left, node.right)

        def visit_Comparison(self, node: cst.Comparison) -> None:
            left = node.left
            for target in node.comparisons:
                if isinstance(target.operator, (cst.Equal, cst.NotEqual)):
                    self.pair(left, target.comparator)
                left = target.comparator

        def pair(self, one: cst.BaseExpression, other: cst.BaseExpression) -> None:
            for side, tuple_ in ((one, other), (other, one)):
                if isinstance(tuple_, cst.Tuple) and isinstance(side, (cst.Name, cst.Attribute)):
                    name = spelled.get(cst.Module([]).code_for_node(side))
                    if name is not None:
                        found.add(name)

    cst.parse_module("\n".join(class_lines) + "\n").visit(Visitor())
    return [name for name in stored if name in found]


def stored_whole(class_lines: list[str], params: list[Param]) -> list[str]:
    """The class's lines with ``groups = groups.copy()`` after ``self.groups = groups`` for a
    parameter its ``__init__`` changes in place (``groups.pop(0)``, as ResNet builders write it).
    A helper function ran once per model; a class runs each time it is made, and Keras makes it
    again to load or clone the model: changing the caller's list, the second one had a stage
    fewer than the first, and the saved model did not load.  The class works on its own copy,
    and ``get_config`` returns what it was given.  Only when nothing but ``get_config`` reads the
    stored value (the class's code would read the list unchanged), and not for a default
    ``None``, which has no ``copy()``."""
    code = "\n".join(class_lines)
    changed = changed_in_place(code)
    read: Counter[str] = Counter()

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if isinstance(node.value, cst.Name) and node.value.value == "self":
                read[node.attr.value] += 1

    cst.parse_module(code + "\n").visit(Visitor())
    # ``get_config`` comes after these lines: the line storing it is the one read.
    whole = {
        f"self.{stored_as(param.name)} = {param.name}": param.name
        for param in params
        if param.name in changed
        and read[stored_as(param.name)] == 1
        and not (param.default is not None and param.default.text == "None")
    }
    lines = []
    for line in class_lines:
        lines.append(line)
        if line.strip() in whole:
            name = whole[line.strip()]
            lines.append(f"{line[: len(line) - len(line.lstrip())]}{name} = {name}.copy()")
    return lines


def stored_lines(params: list[Param], set_up: frozenset[str] = frozenset(), remarks: Remarks | None = None) -> list[str]:
    """``self.<param> = <param>``: the values ``get_config`` returns; not those the model's setup
    sets itself (``self.trainable = trainable``, a setting of Keras' own, kept where it stands).
    Each with what the source said of the line that stored it."""
    stored = [param for param in params if not param.star and param.name not in {"name", *set_up}]
    lines = [[f"self.{stored_as(param.name)} = {param.name}"] for param in stored]
    if remarks is not None:
        lines = [remarks.around(line, param.loc) for line, param in zip(lines, stored)]
    return [line for group in lines for line in group]


def stored_as(name: str) -> str:
    """The attribute a parameter is kept in: its own name, unless a Layer or Model already has a
    property of that name (``input_shape``, the Keras Applications' parameter): a Functional model
    cannot assign it, and in any class ``model.input_shape`` would read the parameter instead.
    Keras' other attributes (``layers``, ``optimizer``, ``loss``, ``outputs``) are set by Keras
    itself or read-only, and their ``_`` names (``_layers``) are its own too: ``layers_``."""
    if name in GRAPH_PROPERTIES:
        return f"_{name}"
    # ``trainable`` is Keras' setting that such a parameter is there to set (``self.trainable = trainable``).
    return f"{name}_" if name in MODEL_ATTRIBUTES - {"trainable"} else name
