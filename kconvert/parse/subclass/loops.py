"""Reading a loop of call() over the layer lists ``__init__`` made, into a ``Loop``.

``for block, drop in zip(self.blocks, self.drops):`` runs once per pass of the
loop that made the lists, so it is lifted as that loop (its target, its
iterable, its statements), each list's element the pass's layer.  A list of
lists (nested loops, parse/init_lists.py) gives each pass a list, which a loop
inside draws its layers from; a loop that zips its own iterable in
(``for block, conv in zip(range(2), self.convs)``) reads its variable.  One loop
over a flat list that nested loops filled is read as those loops.
"""

from __future__ import annotations

from collections import Counter

import libcst as cst

from ...ir.control import Item, Loop
from ...ir.nodes import Define, Stmt
from ...ir.source_text import Code
from ..blocks import lift_block, lift_loop
from ..builder import refuse
from ..init_lists import LayerList, self_attribute
from ..init_locals import local_value
from ..layer_lists import is_layer_list
from ..names_in import identifiers
from ..tensor_lists import zipped
from ..walk import walk
from .position_loops import as_list_loop


class LayerLoops:
    """The loop-reading half of ``CallLifter`` (parse/subclass/call.py), which sets ``src``,
    ``init``, ``builder``, ``named``, ``nodes``, ``defines``, ``pass_lists`` and ``call_names``."""

    def layer_loop(self, statement: cst.For) -> None:
        loc = self.src.loc(statement)
        if statement.orelse is not None:
            raise refuse(loc, "a `for ... else` around layers cannot be converted", "remove the else branch")
        statement = as_list_loop(self.src, statement, self.init) or statement
        names, lists, drawn = self._drawn(statement)
        names, lists, own = self._without_own_variable(statement, names, lists)
        if (not lists and drawn) or (lists == [None] and not drawn and not self.reads_tensor(statement.iter)):
            # ``for skip in skips``: over tensors alone, read as Functional code reads it; and
            # ``for _ in range(4): x = self.block(x)``, a loop over no layer list that calls the
            # same layers each pass (call() counts them as shared, so they are made once).
            lift_loop(self, statement)
            return
        if lists and all(self._kept_list(key) for key in lists) and self._calls_drawn(statement, names):
            # ``for down in self.down_stack: x = down(x)`` over a list __init__'s code made
            # (``down_stack = [downsample(64, 4), ...]``): the loop a builder writes over that list.
            lift_loop(self, statement)
            return
        if not lists or any(name is None for name in names) or any(self._made(key) is None for key in lists):
            literal = lists[0] if len(lists) == 1 and names[0] is not None else None
            if literal is not None and isinstance(self.init.attrs.get(literal), cst.List):
                self.literal_loop(statement, names[0], literal, bool(drawn))
                return
            raise refuse(
                loc,
                f"the loop `for {self.src.code(statement.target)} in {self.src.code(statement.iter)}` is not"
                " over layer lists made in __init__",
                "loop over `self.blocks` (or `zip` of such lists) built by a comprehension",
            )
        made = [self._made(key)[1] for key in lists]
        iterables = {self.src.code(item.iterable) for item in made}
        # ``for _ in``: a list whose layers read no loop variable follows the loop of the others.
        targets = {item.target for item in made} - {"_"}
        target = next(iter(targets), own or "_")
        if len(iterables) != 1 or len(targets) > 1:
            raise refuse(
                loc, "the zipped layer lists are not built over the same iterable", "build them in one loop"
            )
        if any(item.flat for item in made):
            if drawn or not all(item.flat for item in made):
                raise refuse(
                    loc,
                    "this loop zips a list that nested loops filled (one layer per inner pass) with"
                    " other lists or tensors, which nested loops cannot write",
                    "loop over the lists the same nested loops filled, or build a list per outer pass",
                )
            self._flat_loop(statement, lists, made)
            return
        counts = _name_calls(statement.body)

        def prelude() -> None:
            self.statements(made[0].statements)
            for name, key in zip(names, lists):
                attr, made_list = self._made(key)
                if isinstance(made_list.element, LayerList):
                    # The loop inside draws its layers from this pass's list.
                    self.pass_lists[name] = (attr, made_list.element)
                    continue
                shared = counts[name] > 1
                layer = self._layer(made_list.element, attr, "named" if shared else "inline", name)
                self.named[name] = layer
                if shared:
                    self.nodes.append(Define(layer, self.src.loc(statement)))

        iterable = Code(self.text(made[0].iterable))
        items = tuple(Item(name.value, self.builder.new_value(), self.code(source)) for name, source in drawn)

        def draw() -> None:
            self.env.update((item.name, item.value) for item in items)
            prelude()

        scoped = next((item for item in made if item.comprehension and item.target == target), None)

        def looped(carried, body) -> Loop:
            loop = Loop(target, iterable, carried, body, loc, items)
            if scoped is not None:
                self.scoped_loops.append((loop.loc, self.src.loc(scoped.iterable)))
            return loop

        lift_block(self, statement, looped, draw, postlude=lambda: self.statements(made[0].after))
        for name in names:
            self.named.pop(name, None)
            self.pass_lists.pop(name, None)

    def _flat_loop(self, statement: cst.For, keys: list[str], made: list[LayerList]) -> None:
        """``for block in self.blocks`` over lists nested loops filled: read as those loops, the
        one inside drawing its layers from the lists (parse/init_lists.py)."""
        loc = self.src.loc(statement)
        outer = made[0]
        iterable = Code(self.text(outer.iterable))
        self.flat_lists.update((key, (key, item.element)) for key, item in zip(keys, made))
        try:
            lift_block(
                self,
                statement,
                lambda carried, body: Loop(outer.target, iterable, carried, body, loc),
                lambda: self.statements(outer.statements),
                postlude=lambda: self.statements(outer.after),
                body=[statement],
            )
        finally:
            for key in keys:
                self.flat_lists.pop(key)

    def _without_own_variable(self, statement: cst.For, names: list, lists: list) -> tuple[list, list, str | None]:
        """The loop's variables and lists without the loop's own variable: ``block`` in ``for block,
        conv in zip(range(2), self.convs)``, the target and iterable the lists were built over,
        zipped in because call() reads it; ``self.cfg`` too, a constructor value (a VGG's
        ``for v, pool, conv in zip(self.cfg, self.pools, self.convs)``), and ``self.up_stack``, a
        list of layers the loop draws (``for up, concatenate in zip(self.up_stack,
        self.concatenates)``, the concatenates made ``for _ in up_stack``).  Its name is the third
        value when the lists' own target is ``_``, as when call() zips in the lists' very iterable
        (``zip([2.0, 3.0], self.dense_layers)`` over ``[Dense(8) for _ in [2.0, 3.0]]``)."""
        pairs = [pair for pair in zipped(statement.target, statement.iter) or [] if not self.reads_tensor(pair[1])]
        made = [self._made(key) for key in lists if key is not None and self._made(key) is not None]
        own = [index for index, key in enumerate(lists) if key is None or self._made(key) is None]
        if len(own) != 1 or not made or None in made or len(pairs) != len(lists):
            return names, lists, None
        if any(item.flat for _, item in made):
            # A flat list has a layer per pass of the loop inside: zipped with the outer
            # loop's iterable it would stop early, which no nested loops write.
            return names, lists, None
        target, source = pairs[own[0]]
        built = next((item for _, item in made if item.target != "_"), made[0][1])
        # ``for scale, dense in zip([2.0, 3.0], self.dense_layers)`` over ``[Dense(8) for _ in [2.0, 3.0]]``
        # names the lists' variable itself, as the loop over a kept list does.
        own_key = lists[own[0]]
        anonymous = built.target == "_" and isinstance(target, cst.Name) and (own_key is None or self._kept_list(own_key))
        if not anonymous and _bare(self.src.code(target)) != _bare(built.target):
            return names, lists, None
        if self.text(source) != self.text(built.iterable):
            return names, lists, None
        rest = names[: own[0]] + names[own[0] + 1 :], lists[: own[0]] + lists[own[0] + 1 :]
        return (*rest, self.src.code(target) if anonymous else None)

    def _kept_list(self, key: str | None) -> bool:
        """Whether ``self.<key>`` holds a list a local of ``__init__`` names (``self.down_stack =
        down_stack``) or one made before the model (``self.feature_layers = feature_layers``, a
        module-level list), not a layer list ``__init__`` builds pass by pass."""
        value = self.init.attrs.get(key) if key is not None and key not in self.init.lists else None
        if not isinstance(value, cst.Name):
            return False
        local = local_value(self.init.locals, value)
        if local is not None:
            return is_layer_list(local)
        # ``for layer in feature_layers: layer.trainable = False`` in __init__ only walks the list.
        return all(_only_walks(statement, value.value) for statement in self.init.locals)

    def _calls_drawn(self, statement: cst.For, names: list) -> bool:
        """Whether the loop's body calls each of its variables ``names`` (``down(x)``), or none
        of them: a loop that only counts passes over the list (``for _ in self.stack``)."""
        calls = _name_calls(statement.body)
        return all(name is not None and calls[name] > 0 for name in names) or not any(calls[name] for name in names)

    def _made(self, key: str | None) -> tuple[str, LayerList] | None:
        """The attribute a loop's list comes from and how it is made: ``self.<key>``, or a pass's
        list (``key`` then ends with ``[]``, which no attribute does)."""
        if key is None:
            return None
        if key.endswith("[]"):
            return self.pass_lists.get(key[:-2])
        if key in self.flat_lists:
            return self.flat_lists[key]
        return (key, self.init.lists[key]) if key in self.init.lists else None

    def _drawn(self, statement: cst.For):
        """The loop's layer variables and lists, and apart the tensors it draws from lists of
        tensors: ``for up, skip in zip(self.ups, reversed(skips))`` draws ``skip``."""
        names, lists = _loop_lists(statement, set(self.pass_lists))
        pairs = zipped(statement.target, statement.iter)
        if pairs is None:
            if self.reads_tensor(statement.iter) and isinstance(statement.target, cst.Name):
                return [], [], [(statement.target, statement.iter)]
            return names, lists, []
        kept = [index for index, (_, source) in enumerate(pairs) if not self.reads_tensor(source)]
        drawn = [pair for pair in pairs if self.reads_tensor(pair[1])]
        if any(not isinstance(name, cst.Name) for name, _ in drawn):
            return names, lists, []
        return [names[index] for index in kept], [lists[index] for index in kept], drawn

    def literal_loop(self, statement: cst.For, name: str, attr: str, drawn: bool) -> None:
        """``for conv in self.convs`` over a literal list: unrolled pass by pass when each element
        is a Keras layer the graph can name; else (``self.down_stack = [downsample(64, 4), ...]``,
        pix2pix's blocks, or a list zipped with tensors, which no unrolling follows) the list is
        bound under the attribute's name where the loop stands and the loop kept over it, as a
        builder writes it."""
        literal = self.init.attrs[attr]
        plain = all(
            isinstance(element.value, cst.Call) and self.builder.is_layer_class(element.value.func)
            for element in literal.elements
        )
        if plain and not drawn:
            self.unrolled(statement, name, literal)
            return
        taken = self.call_names.union(*(identifiers(local) for local in self.init.locals))
        if attr in taken:
            raise refuse(
                self.src.loc(statement),
                f"the loop calls each layer of `self.{attr}`, which kconvert writes as a list named"
                f" `{attr}`, a name the model's code already uses",
                f"rename the attribute `self.{attr}`, or keep the model a subclass",
            )
        # Made where __init__ made it, before call()'s code, as the layers call() shares are.
        self.defines.append(Stmt(f"{attr} = {self.text(literal)}", self.src.loc(literal)))
        self.init.attrs[attr] = self.src.stand_in(cst.Name(attr), literal)
        lift_loop(self, statement)

    def unrolled(self, statement: cst.For, name: str, literal: cst.List) -> None:
        """``for conv in self.convs`` over a literal list: one pass per element, as it runs."""
        counts = _name_calls(statement.body)
        for index, element in enumerate(literal.elements):
            if not isinstance(element.value, cst.Call):
                raise refuse(
                    self.src.loc(element), "the layer list holds something that is not a layer constructor"
                )
            attr = self_attribute(statement.iter)
            layer = self._layer(
                element.value, f"{attr}_{index}", "named" if counts[name] > 1 else "inline", name
            )
            if counts[name] > 1:
                self.nodes.append(Define(layer, self.src.loc(element)))
            self.named[name] = layer
            self.statements(statement.body.body)
        self.named.pop(name, None)


def _only_walks(statement: cst.BaseStatement, name: str) -> bool:
    """Whether ``statement`` leaves the list ``name`` as it is: it does not name it, or only loops
    over it without naming it again in its body."""
    if name not in identifiers(statement):
        return True
    return (
        isinstance(statement, cst.For)
        and isinstance(statement.iter, cst.Name)
        and statement.iter.value == name
        and name not in identifiers(statement.target) | identifiers(statement.body)
        and statement.orelse is None
    )


def _name_calls(body: cst.CSTNode) -> Counter:
    counts: Counter = Counter()

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name):
                counts[node.func.value] += 1

    walk(body, Visitor())
    return counts


def _loop_lists(statement: cst.For, passes: set[str]) -> tuple[list[str | None], list[str | None]]:
    """Loop variables and the ``self`` lists they range over: ``for a, b in zip(self.x, self.y)``;
    a pass's list of an outer loop (one of ``passes``) as ``name[]``."""
    target, iterable = statement.target, statement.iter

    def key(node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Name) and node.value in passes:
            return node.value + "[]"
        return self_attribute(node)

    if (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "zip"
    ):
        lists = [key(arg.value) for arg in iterable.args]
        elements = target.elements if isinstance(target, cst.Tuple) else ()
        names = [element.value.value if isinstance(element.value, cst.Name) else None for element in elements]
        if len(names) != len(lists):
            return [None], lists
        return names, lists
    name = target.value if isinstance(target, cst.Name) else None
    return [name], [key(iterable)]


def _bare(target: str) -> str:
    """``(stage, filters)`` as ``stage,filters``: a loop target however it is spelled."""
    return "".join(target.split()).removeprefix("(").removesuffix(")")
