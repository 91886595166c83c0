"""The Functional lifter: reads the statements of one model, in order, into IR nodes."""

from __future__ import annotations

import re

import libcst as cst

from ...ir.graph import walk
from ...ir.nodes import Call, Helper, Node, Op, Stmt
from ...ir.source_text import Code, Loc
from ..blocks import lift_cond, lift_loop
from ..builder import GraphBuilder, refuse
from ..call_kinds import CallKinds
from ..choice_lines import as_if_statement
from ..closure_helpers import closure_helper
from ..helpers import helper_definition, lift_helper
from ..module_index import called_names
from ..names_in import configured_name
from ..placeholders import Placeholders, node_code
from ..source import SourceFile
from ..tensor_lists import Pending, lift_put, promote_taken, remember_line
from .bindings import Bindings
from .forms import early_return, spelled_out, unpacked_names
from .statement_kinds import StatementKinds


class FunctionalLifter(StatementKinds, Bindings, CallKinds):
    """Reads the statements of one Functional model into IR nodes."""

    def __init__(self, src: SourceFile, builder: GraphBuilder, callees: set[str]) -> None:
        self.src = src
        self.builder = builder
        self.callees = callees
        # The helpers whose bodies are being read around this lifter's code, outermost first.
        self.open_helpers: tuple[cst.FunctionDef, ...] = ()
        self.env: dict[str, str] = {}
        self.named: dict[str, str] = {}
        self.nodes: list[Node] = []
        # ``all_inputs = [a, b]``: a name for a list of tensors, written out where it is read.
        self.lists: dict[str, Code] = {}
        # Such lists an ``if`` or a loop bound to tensors of its own (``outputs = [y1, y2]`` in one
        # branch), with its place: after the block, whose tensors they hold is not one graph.
        self.block_lists: dict[str, Loc] = {}
        # A written-out helper's arguments by parameter: they decide its ``if`` tests.
        self.constants: dict[str, cst.BaseExpression] = {}
        # ``skips = []`` not yet known to hold tensors, and the lists that do (``tensor_lists.py``).
        self.pending: dict[str, Pending] = {}
        self.tensor_lists: set[str] = set()
        # Names an ``if`` binds to what the model is built from (``inputs = get_source_inputs(...)``).
        self.picked: set[str] = set()
        # Layer names an ``if`` binds to a different layer in each branch, with that ``if``'s place.
        self.ambiguous: dict[str, Loc] = {}
        # Inputs a helper of the file makes (``inputs = create_model_inputs()``).
        self.made_inputs: set[str] = set()
        # A module-level model's place in the module: its helpers are the ``def``s bound there.
        self.runs_at: int | None = None
        # The tensor of each call lifted from inside another expression, by the call's node
        # (``block(block(x))``: the outer helper's parameter is the inner call's tensor).
        self.lifted: dict[int, str] = {}

    def statements(self, statements) -> None:
        for statement in statements:
            self.statement(statement)

    def statement(self, statement: cst.BaseStatement) -> None:
        loc = self.src.loc(statement)
        if (found := early_return(statement)) is not None:
            # In a branch (``if variant not in variants: return None``) what follows runs otherwise.
            then = (
                "so what follows never runs"
                if isinstance(statement, cst.SimpleStatementLine)
                else "when its branch runs; kconvert keeps no return among the model's lines"
            )
            raise refuse(
                self.src.loc(found),
                f"`{self.src.code(found).strip()}` returns before the model is made, {then}",
                "remove the early return (raise an error there instead), or keep the model in its current style"
                if then.startswith("when")
                else "remove the early return, or keep the model in its current style",
            )
        if (twin := as_if_statement(self, statement)) is not None:
            # ``x = Dropout(rate)(x) if i < 5 else x`` is read as its ``if`` statement twin.
            self.statement(twin)
        elif isinstance(statement, cst.SimpleStatementLine):
            if not self._touches_tensor(statement) and not any(
                self._makes_input_or_layer(small) or self.calls_layer(small) for small in statement.body
            ):
                self._verbatim(statement)
                remember_line(self, statement)
                return
            if len(statement.body) == 1 and self._shape_check(statement.body[0], statement):
                return
            for small in statement.body:
                self.small_statement(small, statement)
        elif isinstance(statement, cst.If) and (self._chosen(statement) or self._shape_guard(statement)):
            return
        elif isinstance(statement, cst.For) and self._touches_tensor(statement):
            lift_loop(self, statement)
        elif isinstance(statement, cst.If) and self._touches_tensor(statement):
            lift_cond(self, statement)
        elif self._touches_tensor(statement):
            kind = type(statement).__name__.lower()
            raise refuse(
                loc,
                f"tensors are used inside a `{kind}` statement, which a static graph cannot express",
                "build the model with straight-line code, or keep it in its current style",
            )
        else:
            self._verbatim(statement)

    def _kept(self, small: cst.BaseSmallStatement, line: cst.SimpleStatementLine) -> Stmt:
        """A statement of the line kept as written: with the comment beside the line when it is the
        line's only statement (``base.trainable = False  # keep the features``), which its code
        carries as a whole line's does (parse/comments.py)."""
        code = self.src.code(small).strip()
        comment = line.trailing_whitespace.comment
        if len(line.body) == 1 and comment is not None:
            code += f"  {comment.value}"
        return Stmt(code, self.src.loc(small))

    def _verbatim(self, statement: cst.BaseStatement) -> None:
        first = self.src.loc(statement)
        self.nodes.append(Stmt(self.src.code(statement.with_changes(leading_lines=())).rstrip("\n"), first))

    def small_statement(self, small: cst.BaseSmallStatement, line: cst.SimpleStatementLine) -> None:
        loc = self.src.loc(small)
        if isinstance(small, cst.Assign) and len(small.targets) > 1:
            names = [target.target.value for target in small.targets if isinstance(target.target, cst.Name)]
            if len(names) == len(small.targets):
                # ``x = inputs = keras.Input(...)``: one value under several names, the last made first.
                self.assign(names[-1], small.value)
                for table in (self.env, self.lists, self.named):
                    if names[-1] in table:
                        table.update((name, table[names[-1]]) for name in names[:-1])
                return
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            if isinstance(target, cst.Name):
                self.assign(target.value, small.value)
                return
            if self._configures_layer(target, small.value):
                self.nodes.append(self._kept(small, line))
                return
            names = unpacked_names(target)
            if names is not None and self.reads_tensor(small.value):
                self.unpack(names, small.value)
                return
            if isinstance(target, cst.Subscript):
                raise refuse(
                    loc,
                    f"`{self.src.code(target)} = ...` puts a tensor into a dict (or list) by key, which"
                    " kconvert does not follow yet",
                    "collect the tensors in a list with `.append(...)`, or keep this model in its current style",
                )
            if names is not None and not self.calls_layer(small.value):
                # ``embed, length = tokenizer.positional_embedding(size)``: values, as ``name = ...`` would be.
                self.nodes.append(self._kept(small, line))
                for name in names:
                    for table in (self.env, self.named, self.lists):
                        table.pop(name, None)
                return
            owner = configured_name(target)
            if owner is not None and not self.reads_tensor(small.value):
                # ``loss.__name__ = "gp"`` for a ``partial`` that closes over a tensor of the model.
                raise refuse(
                    loc,
                    f"`{self.src.code(target)} = ...` sets an attribute of `{owner}`, which the model's"
                    " code computes from its tensors; only graph code keeps those tensors",
                    f"compute `{owner}` after the model from what the model gives, or keep this model"
                    " in the Functional API",
                )
            raise refuse(
                loc,
                f"`{self.src.code(target)} = ...` assigns tensors to something other than plain names",
                "unpack into names (`seq, h, c = layer(x)`), then use them",
            )
        if isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
            self.assign(small.target.value, spelled_out(small), loc)
            return
        if self._shape_check(small, small) or lift_put(self, small):
            return
        view = self._model_on_tensors(small)
        if view is not None:
            # ``Model(inputs=x, outputs=y).summary()`` in the middle of a builder.
            raise refuse(
                loc,
                f"`{self.src.code(view)}` builds another model on this model's tensors, a view of its graph,"
                " which only the Functional API can express",
                "keep this model Functional, or remove the statement",
            )
        grown = self._grown_layer(small)
        called = grown is not None and any(
            isinstance(node, Call) and node.layer == self.named[grown] for node in walk(tuple(self.nodes))
        )
        if called:
            # The graph holds what ``cnn`` computed when it was called; a class makes it whole first.
            raise refuse(
                loc,
                f"`{grown}.add(...)` adds a layer to `{grown}` after the model called it: the graph keeps what"
                f" `{grown}` was at that call, a class makes `{grown}` whole before any call",
                f"add every layer to `{grown}` before the model calls it",
            )
        if grown is not None and not self.reads_tensor(small):
            # ``cnn.add(Dense(8))`` on the ``cnn = Sequential()`` the model made: a change of one
            # of its layers, as ``base.trainable = False`` is, which a subclass makes in __init__.
            self.nodes.append(self._kept(small, line))
            return
        if grown is not None:
            # ``encoder = Sequential()`` then ``encoder.add(...)`` among the lines of a model that
            # calls ``encoder``: the nested model is made by several statements, not one expression.
            raise refuse(
                loc,
                f"`{grown}.add(...)` builds `{grown}`, a model this model calls as a layer, statement by"
                " statement among its lines; kconvert reads such a model only when one expression makes it",
                f"make it in one expression (`{grown} = Sequential([...])`), or build it before the model's first line",
            )
        if self._changes_layer(small):
            # ``norm.adapt(data)``, ``base.load_weights(path)``: a change of a layer the model made,
            # as ``base.trainable = False`` is, kept with the layer.
            self.nodes.append(self._kept(small, line))
            return
        deleted = _deleted_names(small)
        if deleted and all(name in self.env for name in deleted):
            # ``head_base = x`` then ``del x``: the name goes, the tensor stays in the graph under the
            # other; each style names the graph's tensors its own way, so the line goes with the name.
            for name in deleted:
                self.env.pop(name)
            return
        raise refuse(
            loc,
            f"`{self.src.code(small).strip()}` uses a tensor but is not part of the model's graph",
            "move this statement after the model, or remove it",
        )


    def tensor(
        self, value: cst.BaseExpression, name: str | None = None, loc: Loc | None = None, nested: bool = False
    ) -> str:
        """Adds the node that computes ``value`` and returns the tensor it makes.

        ``loc`` is given for an expression made here rather than read (``x += y``); ``nested``
        when ``value`` stands inside the expression that reads it (``Flatten()(Embedding(8)(x))``).
        """
        loc = loc or self.src.loc(value)
        args = ()
        if isinstance(value, cst.Call) and self.call_kind(value) != "function":
            # The layers of calls nested in the arguments first: a class makes its layers in the
            # order the graph calls them (``model.layers`` lists them so), numbered in that order.
            args = tuple(self.builder.arg(arg, self.code(arg.value, whole=True)) for arg in value.args)
        layer = self.layer_called(value) if isinstance(value, cst.Call) else None
        merge = self.merge_class(value) if isinstance(value, cst.Call) and layer is None else None
        out = self.builder.new_value()
        if merge is not None:
            made = self.builder.merge_layer(value, *merge)
            inputs = self.builder.arg(value.args[0], self.code(value.args[0].value))
            self.nodes.append(Call(out, made.id, (inputs,), loc, name, nested=nested))
        elif layer is not None:
            self.nodes.append(Call(out, layer, args, loc, name, nested=nested))
        else:
            self.nodes.append(Op(out, self.code(value), loc, name, helper=self.helper(value), nested=nested))
        return out

    def helper(self, value: cst.BaseExpression) -> Helper | None:
        """The body of the file's own layer-building function that ``value`` calls, if it does
        (``conv_bn_relu(64)(x)`` too: a closure called at once, parse/closure_helpers.py)."""
        closure = closure_helper(self.src, value) if isinstance(value, cst.Call) else None
        if closure is not None:
            return lift_helper(self, closure[1], closure[0])
        definition = helper_definition(self.src, value.func, self.runs_at) if isinstance(value, cst.Call) else None
        return lift_helper(self, value, definition) if definition is not None else None

    def sub_lifter(self, helper: cst.FunctionDef, builder: GraphBuilder | None = None) -> "FunctionalLifter":
        """A lifter for the body of the helper ``helper`` (a function's or a method's ``def``): a
        scope of its own, with the same layers and ids, or those of ``builder`` (a block's own).  A
        helper that calls itself, at any depth, is refused: written out at each call, it would never end."""
        if any(helper is open_helper for open_helper in self.open_helpers):
            raise refuse(
                self.src.loc(helper),
                f"`{helper.name.value}` calls itself, so its code cannot be written out at each call",
                "keep this model in its current style",
            )
        lifter = FunctionalLifter(self.src, builder or self.builder, set(called_names(self.src.module)))
        lifter.open_helpers = (*self.open_helpers, helper)
        lifter.runs_at = self.runs_at
        return lifter

    def value_of(self, expr: cst.BaseExpression) -> str:
        """The tensor ``expr`` is: a name already bound, or a new node."""
        if isinstance(expr, cst.Name) and expr.value in self.env:
            return self.env[expr.value]
        return self.tensor(expr)

    def text(self, expr: cst.BaseExpression) -> str:
        """``expr``, which reads no tensor, as the model's code writes it (a subclass's ``call()``
        writes ``self.<param>`` where the builder writes ``<param>``)."""
        return self.src.code(expr)

    def code(self, expr: cst.BaseExpression, whole: bool = False) -> Code:
        """``expr`` with each tensor replaced by its placeholder; nested layer calls become nodes,
        and so do helper calls, ``expr`` itself too when ``whole`` (``Model(x, block(x))``: nothing
        else lifts that call, which a subclass would otherwise make its layers in at every call)."""
        promote_taken(self, expr)
        refs: dict[str, str] = {}
        walk = Placeholders(self, refs, None if whole else expr)
        text = node_code(expr.visit(walk))
        if walk.folded:
            refs = {name: value for name, value in refs.items() if re.search(rf"\b{name}\b", text)}
        return Code(text, tuple(refs.items()))


def _deleted_names(small: cst.BaseSmallStatement) -> tuple[str, ...]:
    """The names ``del x`` or ``del x, y`` unbinds; nothing for any other statement, or a ``del`` of
    anything but plain names (``del cache[key]``)."""
    if not isinstance(small, cst.Del):
        return ()
    target = small.target
    elements = [element.value for element in target.elements] if isinstance(target, (cst.Tuple, cst.List)) else [target]
    return tuple(element.value for element in elements) if all(isinstance(e, cst.Name) for e in elements) else ()
