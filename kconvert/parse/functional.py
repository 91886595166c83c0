"""Lifting a Functional model into the IR.

Starting from ``keras.Model(inputs, outputs)``, the statements from the first
``keras.Input`` up to that call are read forward: layer calls (chained, nested,
on named or shared layers, on other models), tensor expressions and merge
functions, ``for`` loops and ``if`` statements that carry tensors (lifted by
``blocks``), and statements that touch no tensor (kept verbatim).  Anything
else that touches a tensor is refused with the line that does it.  What a call
calls is decided in call_kinds.py, an expression becomes ``Code`` in placeholders.py.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ..ir.graph import Call, Code, Define, Helper, Input, Loc, Node, Op, Stmt, placeholder
from .blocks import lift_cond, lift_loop
from .builder import GraphBuilder, refuse
from .call_kinds import CallKinds
from .helpers import helper_definition, lift_helper
from .input_choice import input_choice, source_choice
from .keras_names import INPUT, MODEL
from .model_call import listed_names
from .module_index import called_names, functions
from .names_in import calls_in, configured_name, outer_identifiers
from .placeholders import Placeholders, node_code
from .shape_tests import statement_reads_only_shapes
from .source import SourceFile
from .tensor_lists import Pending, lift_put, promote_taken, refuse_second_name, remember, remember_line, remember_listed


def local_callees(statements) -> set[str]:
    """The plain names the statements call: the layers (and helpers) a Functional model may use."""
    calls = [node for statement in statements for node in calls_in(statement)]
    # ``DefaultConv(64)(x)``: ``DefaultConv`` makes layers (a ``functools.partial``), it is not one.
    factories = {
        node.func.func.value
        for node in calls
        if isinstance(node.func, cst.Call) and isinstance(node.func.func, cst.Name)
    }
    return {node.func.value for node in calls if isinstance(node.func, cst.Name)} - factories


class FunctionalLifter(CallKinds):
    """Reads the statements of one Functional model into IR nodes."""

    def __init__(self, src: SourceFile, builder: GraphBuilder, callees: set[str]) -> None:
        self.src = src
        self.builder = builder
        self.callees = callees
        # The helpers whose bodies are being read around this lifter's code, outermost first.
        self.open_helpers: tuple[str, ...] = ()
        self.env: dict[str, str] = {}
        self.named: dict[str, str] = {}
        self.nodes: list[Node] = []
        # ``all_inputs = [a, b]``: a name for a list of tensors, written out where it is read.
        self.lists: dict[str, Code] = {}
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

    def statements(self, statements) -> None:
        for statement in statements:
            self.statement(statement)

    def statement(self, statement: cst.BaseStatement) -> None:
        loc = self.src.loc(statement)
        if (found := _early_return(statement)) is not None:
            raise refuse(
                self.src.loc(found),
                f"`{self.src.code(found).strip()}` returns before the model is made, so what follows never runs",
                "remove the early return, or keep the model in its current style",
            )
        if isinstance(statement, cst.SimpleStatementLine):
            if not self._touches_tensor(statement) and not any(
                self._makes_input_or_layer(small) or self._calls_layer(small) for small in statement.body
            ):
                self._verbatim(statement)
                remember_line(self, statement)
                return
            if len(statement.body) == 1 and self._shape_check(statement.body[0], statement):
                return
            for small in statement.body:
                self.small_statement(small)
        elif isinstance(statement, cst.If) and self._chosen(statement):
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

    def _chosen(self, statement: cst.If) -> bool:
        """An ``if`` that picks the model's input, or what the model is built from: kept as written
        (parse/input_choice.py)."""
        loc = self.src.loc(statement)
        chosen = input_choice(self.src, statement) if not self._touches_tensor(statement) else None
        if chosen is not None:
            name, call, given = chosen
            text = self.src.code(statement.with_changes(leading_lines=())).strip("\n")
            out = self.builder.new_value()
            factory = Code(self.src.code(call.func))
            self.nodes.append(Input(out, self.builder.args(call), loc, name, factory, text, given))
            self.env[name] = out
            return True
        made = {node.out for node in self.nodes if isinstance(node, Input) and node.choice is not None}
        inputs = {name for name, value in self.env.items() if value in made}
        picked = source_choice(statement, inputs)
        if picked is None:
            return False
        name, pairs = picked
        passed = [value for _, value in pairs if isinstance(value, cst.Name) and value.value in inputs]
        if any(self._reads_tensor(value) for _, value in pairs if value not in passed):
            return False
        read = self.code(statement.with_changes(leading_lines=()))
        self.nodes.append(Stmt(read.text.strip("\n"), loc, read.refs))
        self.env.pop(name, None)
        self.picked.add(name)
        return True

    def _shape_check(self, small: cst.BaseSmallStatement, kept: cst.CSTNode) -> bool:
        """``assert x.shape == (None, 7, 7, 256)``: shapes are static while the graph is built, so a
        statement that reads tensors only through them is kept (``kept``: with its comment) in place."""
        if not isinstance(small, (cst.Assert, cst.Expr)) or self._calls_layer(small):
            return False
        read = self.code(kept.with_changes(leading_lines=()) if kept is not small else small)
        if not statement_reads_only_shapes(read):
            return False
        self.nodes.append(Stmt(read.text.strip(), self.src.loc(kept), read.refs))
        return True

    def _makes_input_or_layer(self, small: cst.BaseSmallStatement) -> bool:
        if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
            return False
        targets = [target.target for target in small.targets]
        if not all(isinstance(target, cst.Name) for target in targets):
            return False
        keras = self.src.keras(small.value.func)
        if keras is not None and keras.path in INPUT:
            return True
        return len(targets) == 1 and (targets[0].value in self.callees or targets[0].value in self.made_inputs)

    def _verbatim(self, statement: cst.BaseStatement) -> None:
        first = self.src.loc(statement)
        self.nodes.append(Stmt(self.src.code(statement.with_changes(leading_lines=())).rstrip("\n"), first))

    def small_statement(self, small: cst.BaseSmallStatement) -> None:
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
                self.nodes.append(Stmt(self.src.code(small).strip(), loc))
                return
            names = _unpacked_names(target)
            if names is not None and self._reads_tensor(small.value):
                self.unpack(names, small.value)
                return
            if isinstance(target, cst.Subscript):
                raise refuse(
                    loc,
                    f"`{self.src.code(target)} = ...` puts a tensor into a dict (or list) by key, which"
                    " kconvert does not follow yet",
                    "collect the tensors in a list with `.append(...)`, or keep this model in its current style",
                )
            if names is not None and not self._calls_layer(small.value):
                # ``embed, length = tokenizer.positional_embedding(size)``: values, as ``name = ...`` would be.
                self.nodes.append(Stmt(self.src.code(small).strip(), loc))
                for name in names:
                    for table in (self.env, self.named, self.lists):
                        table.pop(name, None)
                return
            owner = configured_name(target)
            if owner is not None and not self._reads_tensor(small.value):
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
            self.assign(small.target.value, _spelled_out(small), loc)
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
        if grown is not None:
            # ``encoder = Sequential()`` then ``encoder.add(...)`` among the lines of a model that
            # calls ``encoder``: the nested model is made by several statements, not one expression.
            raise refuse(
                loc,
                f"`{grown}.add(...)` builds `{grown}`, a model this model calls as a layer, statement by"
                " statement among its lines; kconvert reads such a model only when one expression makes it",
                f"make it in one expression (`{grown} = Sequential([...])`), or build it before the model's first line",
            )
        raise refuse(
            loc,
            f"`{self.src.code(small).strip()}` uses a tensor but is not part of the model's graph",
            "move this statement after the model, or remove it",
        )

    def _grown_layer(self, small: cst.BaseSmallStatement) -> str | None:
        """The named layer (a nested ``Sequential``) that ``small`` adds a layer to, if it does."""
        call = small.value if isinstance(small, cst.Expr) else None
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return None
        owner = call.func.value
        if call.func.attr.value != "add" or not isinstance(owner, cst.Name) or owner.value not in self.named:
            return None
        return owner.value

    def _model_on_tensors(self, node: cst.CSTNode) -> cst.Call | None:
        """A ``keras.Model(...)`` call in ``node`` that reads the model's tensors, if there is one."""
        for call in calls_in(node):
            keras = self.src.keras(call.func)
            if keras is not None and keras.path in MODEL and self._reads_tensor(call):
                return call
        return None

    def _calls_layer(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` calls a layer, even on no tensor (``Embedding(n, d)(ops.arange(n))``)."""
        return any(self.call_kind(call) != "function" for call in calls_in(node))

    def _configures_layer(self, target: cst.BaseExpression, value: cst.BaseExpression) -> bool:
        """``base_model.trainable = False``: a setting of a layer object, not a tensor."""
        name = configured_name(target)
        return name is not None and name not in self.env and not self._reads_tensor(value)

    def assign(self, name: str, value: cst.BaseExpression, loc=None) -> None:
        loc = loc or self.src.loc(value)
        refuse_second_name(self, name, value)
        self.tensor_lists.discard(name)
        self.pending.pop(name, None)
        self.ambiguous.pop(name, None)
        if isinstance(value, cst.Name) and value.value in self.env:
            self.env[name] = self.env[value.value]
            self.builder.aliases.append((self.env[name], name))
            return
        self.lists.pop(name, None)
        if listed_names(value) and set(listed_names(value)) <= set(self.env):
            self.lists[name] = self.code(value)
            self.env.pop(name, None)
            remember_listed(self, name, loc)
            return
        if name in self.made_inputs and isinstance(value, cst.Call):
            # Kept as written, as an ``if`` that picks the input is: only graph code has its line.
            out = self.builder.new_value()
            made_by = self.src.code(value)
            self.nodes.append(Input(out, (), loc, name, choice=f"{name} = {made_by}", made_by=made_by))
            self.env[name] = out
            return
        if isinstance(value, cst.Call) and not self._reads_tensor(value):
            keras = self.src.keras(value.func)
            if keras is not None and keras.path in INPUT:
                out = self.builder.new_value()
                factory = Code(self.src.code(value.func))
                self.nodes.append(Input(out, self.builder.args(value), loc, name, factory))
                self.env[name] = out
                return
            if name in self.callees:
                layer = self.builder.constructed_layer(value, "named", name)
                self.named[name] = layer.id
                self.nodes.append(Define(layer.id, loc))
                return
        if not self._reads_tensor(value) and not self._calls_layer(value):
            self.nodes.append(Stmt(f"{name} = {self.src.code(value)}", loc))
            remember(self, name, value, self.nodes[-1])
            self.env.pop(name, None)
            self.named.pop(name, None)
            return
        self.env[name] = self.tensor(value, name, loc)
        # ``shared = shared(x)``: the name holds the tensor now, no longer the layer.
        self.named.pop(name, None)
        last = self.nodes[-1]
        if isinstance(last, Op) and last.helper is not None and len(last.helper.results) > 1:
            # ``maps = block(x)`` of a helper that returns ``a, b``: ``maps`` is the pair, not ``a``.
            self.nodes[-1] = replace(last, helper=_returned_whole(last.helper, self.builder.new_value(), loc))

    def unpack(self, names: list[str], value: cst.BaseExpression) -> None:
        """``seq, h, c = LSTM(64, return_state=True)(x)``: one node that makes several tensors.

        ``a, b = b, c`` only renames tensors, all at once (a loop that swaps
        what it carries is written so), and makes no node.
        """
        sources = _unpacked_names(value)
        if sources is not None and len(sources) == len(names) and set(sources) <= set(self.env):
            self.env.update(zip(names, [self.env[source] for source in sources]))
            self.named = {key: layer for key, layer in self.named.items() if key not in names}
            return
        out = self.tensor(value, names[0])
        more = tuple((self.builder.new_value(), name) for name in names[1:])
        # ``tensor`` appends the node that makes ``out`` last (nested calls come before it).
        self.nodes[-1] = replace(self.nodes[-1], more=more)
        self.env[names[0]] = out
        self.env.update((name, value) for value, name in more)
        self.named = {key: layer for key, layer in self.named.items() if key not in names}

    def tensor(self, value: cst.BaseExpression, name: str | None = None, loc: Loc | None = None) -> str:
        """Adds the node that computes ``value`` and returns the tensor it makes.

        ``loc`` is given for an expression made here rather than read (``x += y``).
        """
        loc = loc or self.src.loc(value)
        layer = self.layer_called(value) if isinstance(value, cst.Call) else None
        merge = self.merge_class(value) if isinstance(value, cst.Call) and layer is None else None
        out = self.builder.new_value()
        if merge is not None:
            made = self.builder.merge_layer(value, *merge)
            inputs = self.builder.arg(value.args[0], self.code(value.args[0].value))
            self.nodes.append(Call(out, made.id, (inputs,), loc, name))
        elif layer is not None:
            args = tuple(self.builder.arg(arg, self.code(arg.value)) for arg in value.args)
            self.nodes.append(Call(out, layer, args, loc, name))
        else:
            self.nodes.append(Op(out, self.code(value), loc, name, helper=self.helper(value)))
        return out

    def helper(self, value: cst.BaseExpression) -> Helper | None:
        """The body of the file's own layer-building function that ``value`` calls, if it does."""
        definition = helper_definition(self.src, value.func, self.runs_at) if isinstance(value, cst.Call) else None
        return lift_helper(self, value, definition) if definition is not None else None

    def sub_lifter(self, helper: str, builder: GraphBuilder | None = None) -> "FunctionalLifter":
        """A lifter for the body of the helper ``helper``: a scope of its own, with the same layers
        and ids, or those of ``builder`` (a block's own).  A helper that calls itself, at any depth,
        is refused: written out at each call, it would never end."""
        if helper in self.open_helpers:
            definition = functions(self.src.module)[helper]
            raise refuse(
                self.src.loc(definition),
                f"`{helper}` calls itself, so its code cannot be written out at each call",
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
        rewritten = expr.visit(Placeholders(self, refs, None if whole else expr))
        return Code(node_code(rewritten), tuple(refs.items()))

    def _reads_tensor(self, node: cst.CSTNode) -> bool:
        return bool(outer_identifiers(node) & (set(self.env) | set(self.lists)))

    def _touches_tensor(self, node: cst.CSTNode) -> bool:
        return bool(outer_identifiers(node) & (set(self.env) | set(self.lists) | set(self.named)))


def _spelled_out(small: cst.AugAssign) -> cst.BinaryOperation:
    """``x += y`` as ``x + y``, built from the statement's own nodes so nested calls keep their lines."""
    operator = getattr(cst, type(small.operator).__name__.removesuffix("Assign"))()
    right = small.value
    compound = (cst.BinaryOperation, cst.BooleanOperation, cst.Comparison, cst.IfExp, cst.Lambda)
    if isinstance(right, compound) and not right.lpar:
        right = right.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))
    return cst.BinaryOperation(small.target, operator, right)


def _returned_whole(helper: Helper, value: str, loc: Loc) -> Helper:
    """``helper`` returning one tuple of its results, for a call bound to one name."""
    names = [placeholder(result) for result in helper.results]
    pair = Op(value, Code(f"({', '.join(names)})", tuple(zip(names, helper.results))), loc)
    if helper.packed is not None:
        # ``return [a, b]``: the list the function packs, where it packs it.
        pair = replace(helper.packed, out=value, name=None)
    return replace(helper, body=(*helper.body, pair), results=(value,))


def _unpacked_names(target: cst.BaseExpression) -> list[str] | None:
    """``["seq", "h", "c"]`` for the target ``seq, h, c`` (or ``[seq, h, c]``), else None."""
    if not isinstance(target, (cst.Tuple, cst.List)):
        return None
    names = [element.value for element in target.elements]
    if not names or not all(isinstance(name, cst.Name) for name in names) or any(
        isinstance(element, cst.StarredElement) for element in target.elements
    ):
        return None
    return [name.value for name in names]


def _early_return(statement: cst.BaseStatement) -> cst.Return | None:
    """A ``return`` among the model's statements (in a branch too): it leaves the builder
    before the model's own statement, which no style can write where it stood."""
    if isinstance(statement, cst.SimpleStatementLine):
        return next((small for small in statement.body if isinstance(small, cst.Return)), None)
    found: list[cst.Return] = []

    class Finder(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

    statement.visit(Finder())
    return found[0] if found else None
