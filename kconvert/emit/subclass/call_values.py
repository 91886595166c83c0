"""The names a subclass's ``__init__`` computes that ``call()`` reads (``scale = 2.0`` then
``x * scale``): stored as ``self.<name>``, or refused when, stored on the model, a layer or a
variable would become one of its weights.

A mixin of ``InitWriter``: it reads the writer's ``graph``, ``params`` and ``attrs``, asks
``_stays_outside``, and sets ``straight``: the statements after which ``made_in`` stores them
(``store_after``: of a list changed in place before call() reads it, after the last change),
and ``settled``: the parameters ``__init__`` assigns to that call() reads, by the attribute that
holds the value ``__init__`` settles on (``settled_after``: the statement it is stored after).
"""

from __future__ import annotations

import builtins
import re
from collections import Counter

from ...ir.bindings import node_binds
from ...ir.block_params import assigned_in
from ...ir.control import Cond, Loop
from ...ir.library_names import library_function
from ...ir.nodes import Call, Input, Node, Op, Stmt
from ...ir.reads import identifiers_of, statement_binds, statement_binds_anywhere, statement_names
from ..context import EmitRefusal
from ..model_attributes import GRAPH_PROPERTIES, MODEL_ATTRIBUTES
from ..serializable import stored_as
from .helpers import loops_over_iterable, names_read_in, names_used_as_objects, walk_written_out, written_out
from .names import layers_in

# ``keras.Variable(...)``, ``tf.Variable(...)``: a value Keras tracks as a weight when stored.
_VARIABLE = re.compile(r"\bVariable\s*\(")


class CallValues:
    def values_for_call(self) -> frozenset[str]:
        """Names ``__init__``'s own statements compute and ``call()`` reads (``scale = 2.0`` then
        ``x * scale``; ``embed, length = tokenizer.positional_embedding(size)``): stored as
        ``self.<name>`` after the statement, as a constructor parameter is.  Only a name that one
        statement binds, outside any loop, and that no attribute already uses."""
        straight = [node for node in _straight(self.graph.body) if not self._stays_outside(node)]
        self.straight = {id(node) for node in straight}
        everywhere = Counter(name for node in walk_written_out(self.graph.body) for name in node_binds(node))
        bound = {name for node in straight for name in statement_binds_anywhere(node.code, in_place=False)}
        stored = {name for param in self.params for name in (param.name, stored_as(param.name))}
        taken = set(self.attrs.values()) | stored | MODEL_ATTRIBUTES | {"training"}
        call_side = tuple(node for node in self.graph.body if not isinstance(node, Stmt))
        # A loop whose variable call() does not read draws only its layer lists there
        # (``for conv in self.convs``): its iterable (``range(len(kernel_sizes))``) stays in __init__.
        drawn = lambda loop: loops_over_iterable(loop, self.graph) or not layers_in(self.graph, loop.body)  # noqa: E731
        # ``return keras.Model(inputs, x * scale)``: call() returns that expression.
        returned = identifiers_of(self.graph.outputs.text)
        # An Input's shape the builder computes again for the line that builds the instance
        # (``self.rebuilt``) is read there: the class need not keep it.
        again = {name for node in straight if id(node) in self.rebuilt for name in statement_binds(node.code)}
        inputs = tuple(node for node in call_side if isinstance(node, Input))
        beside = tuple(node for node in call_side if not isinstance(node, Input))
        read = names_read_in(beside, drawn) | (names_read_in(inputs, drawn) - again) | self.read_in_build() | returned
        self.store_after = self._changed_before_read(straight, bound, everywhere, drawn)
        once = {name for name in bound if everywhere[name] == 1} | set(self.store_after)
        kept = frozenset(name for name in once if name in read and name not in taken)
        # The shape an Input reads is the build line's, outside the class (``Input(shape=(dim,))``).
        in_call = names_read_in(beside, drawn)
        self.settled = self._settled_params(in_call | self.read_in_build() | returned, taken | kept)
        self._refuse_lost(in_call | returned, kept | taken | set(self.settled))
        objects = names_used_as_objects(call_side)
        # Stored on the model, a function is read back as a layer of it: call() calls it by the
        # path the statement names, as the source's graph code did through the name.
        self.spelled = dict(
            found for node in straight if (found := library_function(node.code)) and found[0] in kept & objects
        )
        kept -= set(self.spelled)
        # Its statement is written in __init__ only when something there reads the name too.
        init_reads = {
            name
            for node in walk_written_out(self.graph.body)
            if isinstance(node, Stmt) and not library_function(node.code)
            for name in statement_names(node.code)
        } | {name for layer in self.graph.layers for arg in layer.args for name in identifiers_of(arg.value.text)}
        self.unwritten = frozenset(
            id(node)
            for node in straight
            if (found := library_function(node.code)) and found[0] in set(self.spelled) - init_reads
        )
        for node in straight:
            stored = statement_binds_anywhere(node.code, in_place=False) & kept
            # Stored on the model, a layer or a variable would become one of its weights, trained
            # with it; in the source a statement's value is a constant of the graph.
            if stored and (_VARIABLE.search(node.code) or stored & objects):
                name = sorted(stored & objects or stored)[0]
                raise EmitRefusal(
                    node.loc,
                    f"call() would use `{name}`, which this statement makes; stored on the model, a layer"
                    " or a variable becomes one of its weights, trained with it, which in the source it is not",
                    "compute the value call() needs (`embed(positions)`) in a statement of its own, or keep"
                    " this model Functional (or functional-subclass)",
                )
        return kept

    def _refuse_lost(self, read: set[str], stored: set[str]) -> None:
        """Refuses a name call() reads that ``__init__``'s statements bind where no attribute can
        keep it: bound twice (``s = 2.0``, then ``s = 3.0`` for the next layer, or ``for s in ...``)
        or in a helper written out at each call, whose values a class would keep under one name."""
        statements = [node for node in walk_written_out(self.graph.body) if isinstance(node, Stmt)]
        bound_in_call = {name for node in statements if node.refs for name in statement_binds_anywhere(node.code)}
        binders: dict[str, list[tuple[Stmt, bool]]] = {}
        # A loop's statements are its own question (``_appending``), as are those under a test of a tensor.
        for node, in_helper in _run_once(self.graph.body):
            if not node.refs and not self._stays_outside(node):
                for name in statement_binds_anywhere(node.code) & read:
                    binders.setdefault(name, []).append((node, in_helper))
        looped = {
            name: node.loc.line
            for node in walk_written_out(self.graph.body)
            if isinstance(node, Loop)
            for name in node_binds(node)
        }
        for name in sorted(binders):
            if name in stored | bound_in_call:
                continue
            lines = sorted({node.loc.line for node, _ in binders[name]})
            if name in looped:
                where = f"bound on line {lines[0]} and as the variable of the loop on line {looped[name]}"
            elif len(lines) > 1:
                where = f"bound on lines {', '.join(map(str, lines))}"
            elif any(in_helper for _, in_helper in binders[name]):
                where = "bound inside a helper written out at each of its calls"
            else:
                continue  # bound once where __init__ runs it: another check says why it is not stored
            raise EmitRefusal(
                binders[name][0][0].loc,
                f"call() reads `{name}`, a value of the model's code that no attribute of a class can keep ({where})",
                "give each value call() reads a name of its own, or keep this model Functional (or functional-subclass)",
            )

    def _settled_params(self, read: set[str], taken: set[str]) -> dict[str, str]:
        """Parameters ``__init__``'s statements assign to (``if scale is None: scale = 0.5``) that
        call() reads: ``self.scale`` keeps the argument for ``get_config``, so call() reads the value
        ``__init__`` settles on, stored as ``self._scale`` after the last statement that assigns it."""
        settled: dict[str, str] = {}
        self.settled_after: dict[int, list[str]] = {}
        top = {id(node) for node in self.graph.body if isinstance(node, Stmt) and id(node) in self.straight}
        for param in self.params:
            assigning = [
                node
                for node in walk_written_out(self.graph.body)
                if isinstance(node, Stmt) and param.name in assigned_in((node,))
            ]
            if param.star or param.name not in read or not assigning:
                continue
            attr = f"_{param.name}"
            last = assigning[-1]
            # ``_trainable``, ``_input_shape``: Keras' own, or where a parameter of that name is kept.
            keras_own = param.name in MODEL_ATTRIBUTES | GRAPH_PROPERTIES
            if any(id(node) not in top or node.refs for node in assigning) or keras_own or attr in taken:
                raise EmitRefusal(
                    last.loc,
                    f"call() reads `{param.name}`, a parameter this statement assigns to, which a class keeps"
                    " as given for its config",
                    f"give the value call() reads a name of its own (`{param.name}_value = ...`), or keep this"
                    " model Functional (or functional-subclass)",
                )
            settled[param.name] = attr
            self.settled_after.setdefault(id(last), []).append(param.name)
        return settled

    def _changed_before_read(self, straight, bound, everywhere, drawn) -> dict[str, int]:
        """A name one statement binds and others only change in place (``num_filters.reverse()``)
        before call() first reads it: stored after the last change (as ``id`` of that statement),
        since a list stored on the model is a copy that a later change would miss."""
        body = self.graph.body
        changes: dict[str, list[int]] = {}
        for index, node in enumerate(body):
            if isinstance(node, Stmt) and id(node) in self.straight:
                for name in statement_binds_anywhere(node.code) - statement_binds_anywhere(node.code, in_place=False):
                    changes.setdefault(name, []).append(index)
        found = {}
        for name, where in changes.items():
            if name not in bound or everywhere[name] != len(where) + 1:
                continue
            call_side = (i for i, node in enumerate(body) if not isinstance(node, Stmt))
            first_read = next((i for i in call_side if name in names_read_in((body[i],), drawn)), len(body))
            if where[-1] < first_read:
                found[name] = id(body[where[-1]])
        return found

    def outer_lists(self) -> list[str]:
        """The names of lists of layers made before the model that its loops draw layers from
        (``for layer in feature_layers + classification_layers: x = layer(x)``, lists the rest of
        the file reads too): stored on the model as they are, so that call() loops over
        ``self.feature_layers`` and the model tracks those very layers."""
        bound = {param.name for param in self.params} | set(dir(builtins))
        for node in walk_written_out(self.graph.body):
            if isinstance(node, Stmt):
                bound |= statement_binds_anywhere(node.code)
            elif isinstance(node, Loop):
                bound |= identifiers_of(f"({node.target})") if node.target else set()
            elif isinstance(node, (Call, Op)):
                bound |= {name for name in (node.name, *(name for _, name in node.more)) if name}
        read = [
            name
            for node in walk_written_out(self.graph.body)
            if isinstance(node, Loop) and self.graph.drawn_layers(node)
            for name in re.findall(r"[A-Za-z_]\w*", node.iterable.text)
            if name in identifiers_of(node.iterable.text)
        ]
        taken = bound | set(self.attrs.values()) | MODEL_ATTRIBUTES
        # In the order the loops read them.
        return [name for name in dict.fromkeys(read) if name not in taken]

    def read_in_build(self) -> set[str]:
        """Names the layers a block's ``build()`` makes read (emit/subclass/block.py): stored for it too."""
        return set()


def _run_once(body: tuple[Node, ...], in_helper: bool = False):
    """The statements ``__init__`` runs once each where they are written, each with whether a
    helper written out at its call holds it: ``_straight``'s, and those of such helpers."""
    for node in body:
        if isinstance(node, Stmt):
            yield node, in_helper
        elif isinstance(node, Cond) and not node.test.refs:
            yield from _run_once(node.body, in_helper)
            yield from _run_once(node.orelse, in_helper)
        elif isinstance(node, Op) and node.helper is not None:
            yield from _run_once(written_out(node.helper), True)


def _straight(body: tuple[Node, ...]):
    """The statements of ``body`` that ``__init__`` runs as written: not in a loop or a helper, and
    under an ``if`` only when its test is one ``__init__`` asks too (no tensor shape)."""
    for node in body:
        if isinstance(node, Stmt):
            yield node
        elif isinstance(node, Cond) and not node.test.refs:
            yield from _straight(node.body)
