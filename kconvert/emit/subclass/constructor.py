"""A subclass's ``__init__``: its parameters stored, then every layer made once, in source order.

A layer made in a loop becomes a list built by a comprehension (or appended
to, when the loop's statements compute the layers' arguments: appended_loops.py), and a layer
made under an ``if`` is made under the same test.  Statements the rest of the
file reads (a constant, an import) stay outside the class, in ``kept``.  What a
graph-building class did after ``super().__init__`` (``self.compile(...)``) comes last.
Which names its own statements compute for ``call()`` is decided in call_values.py.
The statements that learn a layer's state from a parameter (``lookup.adapt(dataset.map(...))``,
ir/learned_params.py) run only when the class is given that data: made from its config on
loading, it has none, and the state comes back with the weights.
"""

from __future__ import annotations

import libcst as cst

from ...ir.bindings import read_after_loop
from ...ir.control import Cond, Loop
from ...ir.graph import Graph
from ...ir.nodes import Call, Define, Node, Op, Stmt
from ...ir.reads import (
    graph_codes,
    identifiers_of,
    is_import,
    self_attributes,
    statement_binds,
    statement_binds_anywhere,
    statement_names,
)
from ..branch_calls import branch_guards
from ..branches import else_lines
from ..builder import signature
from ..conditions import negate
from ..context import EmitRefusal
from ..docstrings import doc_lines
from ..flat_loops import flat_inner
from ..given import statement_as_given
from ..model_attributes import GRAPH_PROPERTIES
from ..serializable import computed_name_lines, constructor, stored_as, stored_lines
from ..string_lines import code_lines
from .build import arg_text
from .call_values import CallValues
from .helpers import (
    check_foreign_loops,
    check_loop,
    pass_tests,
    reads_own_variable,
    walk_written_out,
    written_out,
)
from .appended_loops import AppendedLoops, guarded
from .layer_statements import LayerStatements
from .names import given_layer, layers_in, loops_around

# What a graph model has once made and a subclass only once built (or in another order).
GRAPH_ONLY = GRAPH_PROPERTIES | {"inputs", "outputs", "layers"}


class InitWriter(CallValues, LayerStatements, AppendedLoops):
    """The ``__init__`` half of a class writer; the writer sets ``graph``, ``ctx``, ``params``,
    ``attrs``, ``remarks``, ``kept`` and ``stmt_reads``."""

    init_values: frozenset[str] = frozenset()
    straight: set[int] = set()
    store_after: dict[str, int] = {}  # names stored after the last statement that changes them
    settled: dict[str, str] = {}  # parameters __init__ assigns to that call() reads: their attribute
    settled_after: dict[int, list[str]] = {}
    spelled: dict[str, str] = {}  # names of library functions that call() calls by their path
    unwritten: frozenset[int] = frozenset()  # the statements that only gave call() such a name
    # Names only the line that builds the instance reads (``read_only_by_inputs``), and the
    # statements that bind them, written before that line.
    build_values: frozenset[str] = frozenset()
    built_with: list[str]
    # Statements that __init__ needs and that line needs too (ir/build_slice.py), written in both.
    rebuilt: frozenset[int] = frozenset()
    # The parameters only layer state is learned from, and the statements that learn it.
    learned: dict[str, frozenset[int]] = {}

    def init_lines(self) -> list[str]:
        extra = [arg_text(arg) for arg in self.graph.extra if arg.star != "**"]
        params, super_args = constructor(self.graph, list(self.graph.params), extra)
        lines = [f"def __init__(self, {signature(tuple(params))}):"]
        lines += ["    " + line for line in doc_lines(self.graph.init_doc)]
        lines += ["    " + line for line in computed_name_lines(self.graph, self.ctx, params, graph_first=False)[0]]
        lines += ["    " + line for line in self.super_lines(f"super().__init__({', '.join(super_args)})")]
        set_up = frozenset(name for setup in self.graph.setup for name in setup.sets)
        lines += ["    " + line for line in stored_lines([param for param in self.params if param.name not in self.learned], set_up, self.remarks)]
        outer = self.outer_lists()
        lines += [f"    self.{name} = {name}" for name in outer]
        self.init_values = self.values_for_call() | frozenset(outer)
        check_foreign_loops(self.graph, self.init_values)
        self.guards = branch_guards(self.graph, self.graph.body, self._stable_names())
        # The layers statements read by their attribute, by the name the source gave them.
        self.on_layers: dict[str, str] = {}
        lines += ["    " + line for line in self.made_in(self.graph.body, set())]
        lines += ["    " + line if line else "" for line in self._setup_lines()]
        return lines

    def super_lines(self, line: str) -> list[str]:
        """The ``super().__init__(...)`` line, with what its writer says goes with it."""
        return [line]

    def _setup_lines(self) -> list[str]:
        """What the source class did after ``super().__init__`` (``self.compile(...)``), last, as
        written; refused when it names an attribute this class gives a layer, or a graph's own
        attribute, which a subclass has only once built."""
        set_up = {name for setup in self.graph.setup for name in setup.sets}
        taken = set(self.attrs.values()) | ({param.name for param in self.params} - set_up)
        lines = []
        for setup in self.graph.setup:
            clash = sorted(self_attributes(setup.code) & (taken | GRAPH_ONLY))
            if clash:
                raise EmitRefusal(
                    setup.loc,
                    f"`{setup.first_line.strip()}` names `self.{clash[0]}`, which a subclass"
                    + (" uses for a layer or a parameter" if clash[0] in taken else " has only once it is built"),
                    "rename that attribute, or keep this model in its current style",
                )
            lines += code_lines(setup.code)
        return lines

    def made_in(self, body: tuple[Node, ...], made: set[str]) -> list[str]:
        """Statements of __init__ that create the layers ``body`` uses first, in order; each run
        of statements that learn from given data under one ``if <data> is not None:``."""
        lines: list[str] = []
        guard = None
        for node in body:
            written = self._made_by(node, body, made)
            test = self._learning_test(node)
            if test is None or not written:
                guard = None if written else guard
                lines += written
                continue
            if test != guard:
                lines.append(f"if {test}:")
                guard = test
            lines += ["    " + line if line else "" for line in written]
        return lines

    def _made_by(self, node: Node, body: tuple[Node, ...], made: set[str]) -> list[str]:
        """The lines of __init__ for one node of ``body``."""
        lines: list[str] = []
        if isinstance(node, Stmt) and body is self.graph.body and self._stays_outside(node):
            # ``DEPTH = 2`` between adds that the rest of the file reads, or an import: not local
            # to __init__; ``img_shape = (64, 64, 3)`` goes with the line that builds the instance.
            if statement_binds(node.code) & self.build_values:
                self.built_with.extend(code_lines(statement_as_given(node.code, self.graph)))
            else:
                self.kept.extend(code_lines(node.code))
        elif isinstance(node, Stmt) and id(node) in self.unwritten:
            return lines
        elif isinstance(node, Stmt) and not node.refs:  # a shape check goes in call()
            kept: list[str] = []
            if id(node) in self.straight:
                here = {name for name, after in self.store_after.items() if after == id(node)}
                kept = sorted((statement_binds_anywhere(node.code, in_place=False) - set(self.store_after) | here) & self.init_values)
            folded = self._stored_list(node, kept) if id(node) not in self.rebuilt else None
            code = folded or self.on_layer_attributes(node.code)
            lines += self.remarks.around(code_lines(code), node.loc, beside=False)
            if id(node) in self.rebuilt:
                self.built_with.extend(code_lines(statement_as_given(node.code, self.graph)))
            if folded is None:
                lines += [f"self.{stored_as(name)} = {name}" for name in kept]
            lines += [f"self.{self.settled[name]} = {name}" for name in self.settled_after.get(id(node), [])]
        elif isinstance(node, (Define, Call)) and given_layer(self.graph, self.graph.layer(node.layer)):
            made.add(node.layer)  # the block is given it: stored with the parameters
        elif isinstance(node, (Define, Call)) and node.layer not in made:
            made.add(node.layer)
            layer = self.graph.layer(node.layer)
            # The comments of a line that only makes a layer stay with its constructor.  A
            # line that makes and calls it reads a tensor: the reader's eye is on the call,
            # so its comments, above and beside, go to call(), but for those beside the
            # constructor's arguments (``Conv2D(64,  # filters``).  Of a layer made on a line
            # of its own and called elsewhere, only one beside stays with the constructor.
            at: tuple = (layer.loc, node.loc) if isinstance(node, Define) else (layer.loc,)
            only_beside = not isinstance(node, Define)
            said = {"above": not only_beside, "configures": only_beside and _made_where_called(self.graph, node.layer)}
            if layer.binding == "named" and layer.name in self.stmt_reads and self.set_by_statements(layer.name):
                # ``self.base = ResNet50(...)`` then ``self.base.trainable = False``, as an expert writes it.
                made_by = f"self.{self.attrs[node.layer]} = {layer.constructor()}"
                lines += self.remarks.around([made_by], *at, **said)
                self.on_layers[layer.name] = self.attrs[node.layer]
            elif layer.binding == "named" and layer.name in self.ctx.kept:
                self.kept.append(f"{layer.name} = {layer.constructor()}")
                made_by = f"self.{self.attrs[node.layer]} = {layer.name}"
                lines += self.remarks.around([made_by], *at, **said)
            elif layer.binding == "named" and layer.name in self.stmt_reads:
                # ``backbone.trainable = False`` after it still needs the local name.
                made_by = f"{layer.name} = {layer.constructor()}"
                lines += self.remarks.around([made_by], *at, **said)
                lines.append(f"self.{self.attrs[node.layer]} = {layer.name}")
            else:
                constructed = guarded(layer.constructor(called=True), self.guards.get(id(node)))
                made_by = f"self.{self.attrs[node.layer]} = {constructed}"
                lines += self.remarks.around([made_by], *at, **said)
        elif isinstance(node, Loop):
            # A layer made outside the model and called in the loop is one object for every pass;
            # the layers a loop draws from its iterable are kept by the list call() loops over.
            drawn = set(self.graph.drawn_layers(node))
            # A call after the loop of the layer its variable last held (``layer(x)`` below
            # ``for layer in stack``) is of that list's layer, in call() as in the source.
            made |= drawn
            outside = tuple(
                inner
                for inner in walk_written_out(node.body)
                if isinstance(inner, Call)
                and self.graph.layer(inner.layer).binding == "external"
                and inner.layer not in drawn
            )
            lines += self.made_in(outside, made)
            check_loop(self.graph, node, layers_in(self.graph, node.body))
            statements = any(isinstance(inner, Stmt) for inner in walk_written_out(node.body))
            # One flat list is filled by the loops themselves: no comprehension makes it.
            # A loop whose variable the code after it reads leaves it the last pass's value.
            appending = statements or flat_inner(node, self.graph) is not None or bool(read_after_loop(self.graph, node, side="init"))
            if appending and layers_in(self.graph, node.body):
                lines += self.appended_in(node, made)
                return lines
            if statements and not layers_in(self.graph, node.body):
                return lines + self.changing_in(node)
            tests = pass_tests(node.body, into_loops=True)
            for layer_id in layers_in(self.graph, node.body):
                if layer_id not in made:
                    made.add(layer_id)
                    made_by = guarded(self.graph.layer(layer_id).constructor(called=True), tests.get(layer_id))
                    # A layer of a loop inside is a list per pass: a comprehension per loop around it.
                    for loop in reversed([node, *loops_around(node.body, layer_id)]):
                        made_by = f"[{made_by} for {_read_or_blank(loop, made_by)} in {loop.iterable.text}]"
                    made_list = f"self.{self.attrs[layer_id]} = {made_by}"
                    at = () if _made_where_called(self.graph, layer_id) else (self.graph.layer(layer_id).loc,)
                    lines += self.remarks.around([made_list], *at, above=False)
        elif isinstance(node, Op) and node.helper is not None:
            lines += self.made_in(written_out(node.helper), made)
        elif isinstance(node, Cond) and node.test.refs:
            # A test on shapes can only be asked in call(); a layer made here and never
            # called stays unbuilt, without weights, so the model's parameters still match.
            lines += self.made_in(node.body, made) + self.made_in(node.orelse, made)
        elif isinstance(node, Cond):
            lines += self.made_under(node, made)
        return lines

    def _learning_test(self, node: Node) -> str | None:
        """``dataset is not None`` for a statement that learns layer state from ``dataset``."""
        if not isinstance(node, Stmt) or not any(id(node) in ids for ids in self.learned.values()):
            return None
        return " and ".join(f"{name} is not None" for name, ids in self.learned.items() if id(node) in ids)

    def _stored_list(self, node: Stmt, kept: list[str]) -> str | None:
        """``self.down_stack = [...]`` for ``down_stack = [...]`` when only call()'s loops over
        it read the name (``for down in self.down_stack``), as an expert writes it; None when
        ``__init__`` reads the name too (a comprehension ``for _ in up_stack``) or the statement
        binds more than it."""
        module = cst.parse_module(node.code + "\n")
        tree = module.body
        # A comment above the statement is the module's header here: kept only by the text as written.
        single = len(tree) == 1 and isinstance(tree[0], cst.SimpleStatementLine) and not module.header
        small = tree[0].body[0] if single else None
        if len(kept) != 1 or not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        name = kept[0]
        if not isinstance(small.targets[0].target, cst.Name) or small.targets[0].target.value != name:
            return None
        drawn_only = {
            id(loop.iterable)
            for loop in self.graph.walk()
            if isinstance(loop, Loop) and self.graph.drawn_layers(loop) and not layers_in(self.graph, loop.body)
        }
        codes = [code.text for code in graph_codes(self.graph) if id(code) not in drawn_only]
        codes += [other.code for other in self.graph.walk() if isinstance(other, Stmt) and other is not node]
        if any(name in statement_names(code) for code in codes if code):
            return None
        target = cst.AssignTarget(cst.Attribute(cst.Name("self"), cst.Name(stored_as(name))))
        return cst.Module([]).code_for_node(tree[0].with_changes(body=[small.with_changes(targets=[target])])).rstrip("\n")

    def made_under(self, node: Cond, made: set[str]) -> list[str]:
        """The layers of an ``if`` on constructor parameters, made under the same test."""
        inner = self.made_in(node.body, made)
        other = ["    " + line for line in self.made_in(node.orelse, made)]
        if not inner and not other:
            return []
        if not inner:
            # Only the ``else`` makes layers: its test, negated, with no empty branch.
            return [f"if {negate(node.test.text)}:", *other]
        lines = [f"if {node.test.text}:"] + ["    " + line for line in inner]
        return lines + (else_lines(other, [], node.orelse, "") if other else [])

    def _stable_names(self) -> frozenset[str]:
        """Names a test reads alike in __init__ and call(): the parameters, and what the model's
        code reads but never binds (call_time_reads refuses a module-level name bound again)."""
        bound = {node.name for node in self.graph.walk() if isinstance(node, (Call, Op)) and node.name}
        for node in self.graph.walk():
            if isinstance(node, Stmt):
                bound |= statement_binds(node.code)
            elif isinstance(node, Loop):
                bound |= identifiers_of(f"({node.target})")
        return frozenset(({param.name for param in self.params} | self.reads) - bound)

    def _stays_outside(self, node: Stmt) -> bool:
        # Inside a builder function, __init__ is where its locals live on.
        outside = self.ctx.scope is None and is_import(node.code)
        return outside or bool(statement_binds(node.code) & (self.ctx.kept | self.build_values))


def _read_or_blank(loop: Loop, made_by: str) -> str:
    """The comprehension's target, or ``_`` when neither the layer it makes nor call() reads its
    names (``[layers.Concatenate() for _ in [32, 16]]``): a name nobody reads sends a reader
    looking for where it is used."""
    if reads_own_variable(loop) or identifiers_of(f"({loop.target})") & identifiers_of(made_by):
        return loop.target
    return "_"


def _made_where_called(graph: Graph, layer_id: str) -> bool:
    """Whether one source line makes the layer and calls it (``x = layers.Dense(64)(x)``)."""
    line = graph.layer(layer_id).loc.line
    return any(isinstance(node, Call) and node.layer == layer_id and node.loc.line == line for node in graph.walk())
