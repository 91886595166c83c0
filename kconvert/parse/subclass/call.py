"""Lifting the ``call`` method of a ``keras.Model`` subclass into the IR.

``call`` is read like Functional code (it is a ``FunctionalLifter``), with
four differences: a layer is ``self.attr`` (made by ``__init__``), a ``for``
over a layer list becomes a ``Loop`` over what the list was built from, an
``if`` on a constructor parameter becomes a ``Cond``, and a method of the
class it calls is read where it is called (methods.py).  ``training=training``
arguments are dropped: Keras passes the training flag to every layer of a
Functional model itself.  What a static graph cannot hold is refused: control
flow on tensors or on ``training``, layers with weights made in ``call``, state
set in ``call`` (call_checks.py).
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from ...ir.nodes import Call, Define, Node, Stmt
from ...ir.source_text import Code, Loc
from ..blocks import lift_cond
from ..builder import GraphBuilder, refuse
from ..functional.forms import early_return
from ..functional.lifter import FunctionalLifter
from ..init_lists import LayerList
from ..init_locals import local_layer
from ..names_in import identifiers
from ..source import SourceFile
from ..training_arg import graph_flag
from ..walk import walk
from .call_checks import check_call_body, weightless
from .captured import bound_before
from .self_values import SelfValues
from .constructor import Init, self_attribute
from .loops import LayerLoops
from .methods import method_tensor


class CallLifter(LayerLoops, FunctionalLifter):
    def __init__(
        self,
        src: SourceFile,
        builder: GraphBuilder,
        init: Init,
        call: cst.FunctionDef,
        methods: dict[str, cst.FunctionDef] | None = None,
        flags: set[str] | None = None,
    ) -> None:
        """``methods``: the class's methods call() may call (parse/subclass/methods.py); ``flags``:
        those of a method read at a call, which the call decides."""
        super().__init__(src, builder, set())
        self.init = init
        self.methods = methods or {}
        # The methods being read, innermost last, and those read (written out) so far.
        self.inlining: frozenset[str] = frozenset()
        self.inlined: set[str] = set()
        self.flags = _flag_params(call) if flags is None else flags
        self.counts = _attr_calls(call, self.methods)
        self.layer_ids: dict[str, str] = {}
        # ``blocks`` in ``for blocks in self.stages:``, a pass's list of a list of lists: the
        # attribute it came from and the list it is, while the loop runs.
        self.pass_lists: dict[str, tuple[str, LayerList]] = {}
        # A flat list's inner loop, while the loop of call() over the list is read as the outer one.
        self.flat_lists: dict[str, tuple[str, LayerList]] = {}
        self.defines: list[Node] = []
        # Each loop read from a comprehension's list: its place, and the comprehension's.
        self.scoped_loops: list[tuple[Loc, Loc]] = []
        self.outputs: Code | None = None
        self.returned: cst.BaseExpression | None = None
        self.returned_at: Loc | None = None
        # What a name the lifted code binds must not shadow (``down_stack`` for ``self.down_stack``).
        self.call_names = identifiers(call)
        check_call_body(src, call, self.flags, set(init.attrs), set(self.methods))

    def method_lifter(self, method: cst.FunctionDef, flags: set[str]) -> "CallLifter":
        """A lifter for ``method``'s body, called from this code: the same layers, one per attribute."""
        inner = CallLifter(self.src, self.builder, self.init, method, self.methods, flags)
        inner.layer_ids, inner.counts, inner.defines = self.layer_ids, self.counts, self.defines
        inner.scoped_loops = self.scoped_loops
        inner.inlining, inner.inlined = self.inlining | {method.name.value}, self.inlined
        return inner

    # --- statements -------------------------------------------------------------

    def statement(self, statement: cst.BaseStatement) -> None:
        if self.outputs is not None:
            raise refuse(self.src.loc(statement), "code after `return` in call() cannot be converted")
        if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Return):
            value = statement.body[0].value
            if value is None:
                raise refuse(self.src.loc(statement), "call() must return the model's outputs")
            self.returned, self.returned_at = value, self.src.loc(statement)
            self.outputs = self.code(value)
            if isinstance(value, cst.Tuple) and not value.lpar:
                # ``return a, b`` is a tuple only as a statement; as ``outputs=`` it needs parentheses.
                self.outputs = Code(f"({self.outputs.text})", self.outputs.refs)
        elif isinstance(statement, cst.If) and (returned := early_return(statement)) is not None:
            # ``if self.label_index is None: return inputs``: a graph has one output, returned once.
            raise refuse(
                self.src.loc(returned),
                f"`{self.src.code(returned).strip()}` ends call() early under this `if`; a graph model"
                " returns its outputs once, after its last layer",
                "bind the outputs in each branch (`if ...: outputs = inputs` / `else: outputs = ...`)"
                " and return them after the `if`, or keep the model a subclass",
            )
        elif isinstance(statement, cst.If) and self._shape_guard(statement):
            return
        elif isinstance(statement, cst.If) and self._touches_tensor(statement):
            lift_cond(self, statement)
        elif isinstance(statement, cst.For) and self._touches_tensor(statement):
            self.layer_loop(statement)
        else:
            super().statement(statement)

    def _verbatim(self, statement: cst.BaseStatement) -> None:
        text = self.src.code(statement.with_changes(leading_lines=())).rstrip("\n")
        module = cst.parse_module(text + "\n")
        self.nodes.append(
            Stmt(self._substituted(module, statement).code.rstrip("\n"), self.src.loc(statement))
        )

    # --- layers -----------------------------------------------------------------

    def call_kind(self, call: cst.Call) -> str:
        if isinstance(call.func, cst.Call) and self.reads_tensor(call) and not weightless(self.src, call.func):
            raise refuse(
                self.src.loc(call),
                f"`{self.src.code(call.func)}` makes a new layer inside call(), so it has no fixed weights",
                "create the layer once in __init__ and call it here",
            )
        attr = self_attribute(call.func)
        if attr in self.methods and attr not in self.init.attrs and self.reads_tensor(call):
            return "method"
        if attr is not None and self._keras_function_attr(attr):
            # ``self.preprocess = preprocess_input``: a function of Keras' stored on the model, which
            # a graph calls on its tensor as the function it is, not as a layer of the model.
            return "function"
        if attr is not None and (self.reads_tensor(call) or self._is_layer_attr(attr)):
            if attr not in self.init.attrs:
                raise refuse(
                    self.src.loc(call),
                    f"`self.{attr}(...)` is not a layer made in __init__, so its code would be lost",
                    "inline the method into call(), or keep the model a subclass",
                )
            return "attr"
        if attr is None and isinstance(call.func, cst.Subscript) and self_attribute(call.func.value) is not None:
            raise refuse(
                self.src.loc(call),
                f"`{self.src.code(call.func)}` picks a layer from a list by position, which kconvert cannot"
                " follow into the other styles",
                f"loop over the list (`for layer in self.{self_attribute(call.func.value)}:`), or give each"
                " layer an attribute of its own",
            )
        return super().call_kind(call)

    def _keras_function_attr(self, attr: str) -> bool:
        """``self.<attr> = preprocess_input`` (imported from ``keras.applications.resnet``): a
        Keras function (lower-case, unlike its layer classes) named, not called, in __init__."""
        made = self.init.attrs.get(attr)
        found = self.src.keras(made) if isinstance(made, (cst.Name, cst.Attribute)) else None
        return found is not None and not found.is_layer_class and found.path.rsplit(".", 1)[-1][:1].islower()

    def _is_layer_attr(self, attr: str) -> bool:
        """``self.embedding = layers.Embedding(...)``: called on a constant, still a layer call."""
        made = self.init.attrs.get(attr)
        keras = self.src.keras(made.func) if isinstance(made, cst.Call) else None
        return keras is not None and keras.is_layer_class

    def layer_called(self, call: cst.Call) -> str | None:
        attr = self_attribute(call.func)
        if attr is not None and self.call_kind(call) == "attr":
            if attr not in self.layer_ids:
                shared = self.counts[attr] > 1
                self.layer_ids[attr] = self._layer(
                    self.init.attrs[attr], attr, "named" if shared else "inline"
                )
                # A layer __init__ made as a local (``base = ...``, ``base.trainable = False``, then
                # ``self.base = base``) is defined by that statement: made again, the graph would
                # call a second, unfrozen one.
                made_locally = local_layer(self.init.locals, self.init.attrs[attr]) is not None
                if shared and not made_locally:
                    self.defines.append(Define(self.layer_ids[attr], self.src.loc(self.init.attrs[attr])))
            return self.layer_ids[attr]
        return super().layer_called(call)

    def _layer(self, made: cst.BaseExpression, attr: str, binding: str, name: str | None = None) -> str:
        """The layer ``made`` builds, named after its attribute (``name`` when bound in a loop)."""
        local = local_layer(self.init.locals, made)
        if local is not None:
            # ``tokenizer = CCTTokenizer()`` then ``self.tokenizer = tokenizer``: a layer that
            # __init__'s own statements read too (``tokenizer.positional_embedding(...)``).
            return self.builder.constructed_layer(local, "named", made.value, self._args(local)).id
        if not isinstance(made, cst.Call):
            return self.builder.external_layer(made).id
        return self.builder.constructed_layer(
            made, binding, name if binding == "named" and name else attr, self._args(made)
        ).id

    def _args(self, made: cst.Call) -> tuple:
        return tuple(self.builder.arg(arg, Code(self.text(arg.value))) for arg in made.args)

    def tensor(self, value: cst.BaseExpression, name: str | None = None, loc=None, nested: bool = False) -> str:
        if isinstance(value, cst.Call) and self.call_kind(value) == "method":
            return method_tensor(self, value, name)
        # Asked once: a layer made at its call (``layers.Dropout(rate)(x)``) is made by asking.
        layer = self.layer_called(value) if isinstance(value, cst.Call) else None
        if layer is not None:
            attr = self_attribute(value.func)
            named = attr is not None and local_layer(self.init.locals, self.init.attrs.get(attr)) is not None
            external = self.builder.layer_by_id(layer).binding == "external"
            if name is None and attr is not None and value is not self.returned and not named and not external:
                # A nested call's tensor is named after its layer, so that the layer
                # gets its attribute name back when the model is made a subclass again
                # (a layer made as a local of __init__ has that name already; a layer or
                # model the file made, ``self.encoder = encoder``, is named by its variable).
                name = attr
            out = self.builder.new_value()
            args = tuple(
                self.builder.arg(arg, Code(flag) if (flag := graph_flag(arg, self.flags)) else self.code(arg.value))
                for arg in value.args
                if not self._is_flag_arg(arg)
            )
            # Not ``nested``: a graph style writes ``self.flatten(self.embedding(x))`` with each layer's
            # constructor, an expression the source did not write; a line a call reads better.
            self.nodes.append(Call(out, layer, args, self.src.loc(value), name))
            return out
        return super().tensor(value, name, loc, nested)

    def _is_flag_arg(self, arg: cst.Arg) -> bool:
        return isinstance(arg.value, cst.Name) and arg.value.value in self.flags

    # --- expressions ------------------------------------------------------------

    def code(self, expr: cst.BaseExpression | cst.BaseStatement) -> Code:
        lifted = super().code(expr)
        # A statement kept whole (a shape check, statement_kinds.py) is read as one too.
        parse = cst.parse_expression if isinstance(expr, cst.BaseExpression) else cst.parse_statement
        tree = parse(lifted.text)
        if "self" not in identifiers(tree):
            return lifted
        return Code(cst.Module([]).code_for_node(self._substituted(tree, expr)), lifted.refs)

    def text(self, expr: cst.BaseExpression) -> str:
        """``expr`` as source, ``self.attr`` replaced by what __init__ assigned to it."""
        tree = cst.parse_expression(self.src.code(expr))
        return cst.Module([]).code_for_node(self._substituted(tree, expr))

    def written(self, text: str, at: cst.CSTNode) -> str:
        """``text``, an expression of the class's code at ``at``, as ``text()`` writes it."""
        return cst.Module([]).code_for_node(self._substituted(cst.parse_expression(text), at))

    def _substituted(self, tree: cst.CSTNode, original: cst.CSTNode) -> cst.CSTNode:
        values = SelfValues(self.init, bound_before(self.src, original))
        substituted = tree.visit(values)
        # A statement is quoted as its code, without the comment lines above it.
        shown = original.with_changes(leading_lines=()) if hasattr(original, "leading_lines") else original
        if values.captured:
            attr, name = values.captured
            raise refuse(
                self.src.loc(original),
                f"`{self.src.code(shown).strip()}` reads `self.{attr}`, which is `__init__`'s `{name}`, where"
                f" call() has a `{name}` of its own: written as `{name}`, it would read call()'s",
                f"rename call()'s `{name}`",
            )
        if "self" in identifiers(substituted):
            raise refuse(
                self.src.loc(original),
                f"`{self.src.code(shown).strip()}` reads an attribute of the model that is not"
                " a constructor value, which the other styles have no place for",
                "store only constructor parameters and layers on `self`",
            )
        return substituted


def _flag_params(call: cst.FunctionDef) -> set[str]:
    """``training``, ``mask`` and the like: every parameter of call() after the inputs."""
    params = [param.name.value for param in (*call.params.params, *call.params.kwonly_params)]
    return set(params[2:])


def _attr_calls(
    call: cst.FunctionDef, methods: dict[str, cst.FunctionDef], seen: frozenset[str] = frozenset()
) -> Counter:
    """How often call() calls each ``self.attr``; a call inside a loop counts as many, and a call of
    a method as the calls its body makes (``self.encode(x)`` twice calls ``self.fc1`` twice)."""
    counts: Counter = Counter()

    class Visitor(cst.CSTVisitor):
        loops = 0

        def visit_For(self, node: cst.For) -> None:
            self.loops += 1

        def leave_For(self, node: cst.For) -> None:
            self.loops -= 1

        def visit_Call(self, node: cst.Call) -> None:
            attr = self_attribute(node.func)
            if attr in methods and attr not in seen:
                for inner, times in _attr_calls(methods[attr], methods, seen | {attr}).items():
                    counts[inner] += times * (2 if self.loops else 1)
            elif attr is not None:
                counts[attr] += 2 if self.loops else 1

    walk(call.body, Visitor())
    return counts
