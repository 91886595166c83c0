"""Naming tensors in emitted code without ever clobbering one still in use.

Values keep the name the source gave them where it had one; generated names are
idiomatic (``inputs``, ``x``, ``outputs``).  A name is taken only when no live
value holds it and the rest of the file does not read it (``reserved``).  When a
live value holds it and the source gave that value another name (``res = x``),
the copy is written as the source wrote it and the value read under that name;
else a numbered variant (``x_1``) is used.  A loop gives each tensor it carries one
name, in and out of the body, as the ``for`` statement needs.
"""

from __future__ import annotations

import keyword
from dataclasses import replace

from ..ir.control import Cond, Loop
from ..ir.dataflow import consumed, produced
from ..ir.graph import Graph, branches, walk
from ..ir.nodes import Call, Carrier, Input, Node, Op
from ..ir.source_text import Code, Loc


class Namer:
    def __init__(self, graph: Graph, reserved: frozenset[str], keep_inputs: bool = True) -> None:
        """``keep_inputs``: the inputs' names stay theirs to the end (a model's ``inputs``), not
        only while they are read (a block's ``x``)."""
        self.graph = graph
        # A loop's items keep their source names: no other tensor may take them.
        self.reserved = set(reserved) | {item.name for node in graph.walk() for item in getattr(node, "items", ())}
        self.names: dict[str, str] = {}
        self.bound: dict[str, str] = {}
        self.reads, self.positions = _liveness(graph, keep_inputs)
        self.position, self.path = 0, {}
        self.aliases: dict[str, list[str]] = {}
        for value, alias in graph.aliases:
            self.aliases.setdefault(value, []).append(alias)
        # ``res = x`` lines due before the statement being written (``take_copies``).
        self.copies: list[str] = []

    def __getitem__(self, value: str) -> str:
        return self.names[value]

    def bind(self, value: str, preferred: str, fixed: bool = False) -> str:
        """Gives ``value`` a name at the current position and returns it."""
        name = preferred if fixed else self._free(preferred)
        self.names[value] = name
        self.bound[name] = value
        return name

    def claim(self, value: str, name: str, preferred: str) -> str:
        """``name`` (a carried variable's) for ``value``, unless a live value holds it.

        Then ``value`` gets a free variant of ``preferred`` and ``leave_block``
        copies it to ``name`` at the end of the body: in ``c = Dense(8)(a); a =
        b; b = c`` the old ``b`` is still to be read when ``c`` is made.
        """
        holder = self.bound.get(name)
        if holder is None or holder == value or not self.live(holder) or self._hand_over(name):
            return self.bind(value, name, fixed=True)
        return self.bind(value, preferred)

    def take_copies(self) -> list[str]:
        """The copies (``res = x``) the names just bound need before their statement."""
        copies, self.copies = self.copies, []
        return copies

    def advance(self, node: Node) -> None:
        self.position, self.path = self.positions.get(id(node), (self.position, self.path))

    def live(self, value: str) -> bool:
        """Whether code after the current place, on a path that can run after it, reads ``value``."""
        return any(
            at > self.position and not _exclusive(path, self.path) for at, path in self.reads.get(value, ())
        )

    def _read_from_here(self, value: str) -> bool:
        """Whether the statement being written, or code after it, reads ``value``."""
        return any(
            at >= self.position and not _exclusive(path, self.path) for at, path in self.reads.get(value, ())
        )

    def _free(self, preferred: str) -> str:
        if self.bound.get(preferred) is not None and not self._available(preferred) and self._hand_over(preferred):
            return preferred
        candidate = preferred
        counter = 0
        while not self._available(candidate):
            counter += 1
            candidate = f"{preferred}_{counter}"
        return candidate

    def _hand_over(self, name: str) -> bool:
        """Moves the live value ``name`` holds to the other name the source gave it, if it is free,
        noting the copy (``res = x``); whether ``name`` is free now."""
        holder = self.bound[name]
        for alias in self.aliases.get(holder, ()):
            # The copy runs before the statement: the value ``alias`` holds must not be read by it.
            current = self.bound.get(alias)
            if current is not None and current != holder and self._read_from_here(current):
                continue
            if alias != name and self._available(alias):
                self.copies.append(f"{alias} = {name}")
                self.names[holder] = alias
                self.bound[alias] = holder
                return True
        return False

    def _available(self, name: str) -> bool:
        if keyword.iskeyword(name) or not name.isidentifier():
            return False
        holder = self.bound.get(name)
        if holder is not None:
            return not self.live(holder)
        return name not in self.reserved


def target_names(namer: Namer, fixed: dict[str, str], made) -> str:
    """The assignment target for tensors ``made`` as ``(value, preferred name)``: ``x`` or ``seq, h, c``.

    A tensor a block carries to its next pass takes the carried name (``fixed``) where it can.
    """
    names = [
        namer.claim(value, fixed[value], preferred) if value in fixed else namer.bind(value, preferred)
        for value, preferred in made
    ]
    return ", ".join(names)


def enter_block(namer: Namer, node: Loop | Cond, fixed: dict[str, str]) -> tuple[list[str], list[str]]:
    """Names the tensors ``node`` carries; returns the names and the copies due before the block.

    A carried tensor that enters under another name (``previous_block_activation
    = x``) is copied first.  Each result made in the body is recorded in
    ``fixed`` so the statement that makes it assigns the carried name; when two
    carried variables end on one tensor, the first claims it and ``leave_block``
    copies it to the other.
    """
    names, copies = [], []
    for item in getattr(node, "items", ()):
        # The ``for`` statement names the tensors it draws as the source did.
        namer.bind(item.value, item.name, fixed=True)
    for carried in node.carried:
        entering = namer[carried.init] if carried.init is not None else None
        name = namer.bind(carried.param, carried.name or "x")
        # ``res = x`` before ``for``: the tensor entering as ``x`` is read after the block as ``res``.
        copies += namer.take_copies()
        if entering is not None and name != entering:
            copies.append(f"{name} = {entering}")
        fixed.setdefault(carried.result, name)
        if carried.other is not None:
            fixed.setdefault(carried.other, name)
        names.append(name)
    return names, copies


def enter_else(namer: Namer, node: Cond, names: list[str]) -> None:
    """The ``else`` branch starts from the tensors the block entered with, under the same names."""
    for carried, name in zip(node.carried, names):
        namer.bind(carried.param, name, fixed=True)


def leave_block(namer: Namer, node: Loop | Cond, names: list[str], branch: str = "result") -> list[str]:
    """The copy due at the end of the body (``previous_block_activation = x``), and the names after it.

    The copies are one tuple assignment when there are several, so that
    variables that swap tensors read the values of this iteration.  ``branch``
    is ``"other"`` at the end of an ``if``'s ``else``, which names nothing yet:
    the ``else`` comes last and names what follows the block.
    """
    targets, sources = [], []
    for carried, name in zip(node.carried, names):
        result = getattr(carried, branch)
        if namer[result] != name:
            targets.append(name)
            sources.append(namer[result])
        if branch == "other" or carried.other is None:
            namer.bind(carried.out, name, fixed=True)
    return [f"{', '.join(targets)} = {', '.join(sources)}"] if targets else []


def copy_locs(node: Loop | Cond, branch: str = "result") -> tuple[Loc, ...]:
    """Where the source's copies that end ``branch`` stand (``else: s = x``): what was said of
    them goes with the copy ``leave_block`` writes."""
    return tuple(Loc(line, 1) for carried in node.carried for line in getattr(carried, f"{branch}_copies"))


def block_test(node: Cond) -> Code:
    """The test of ``node`` reading carried tensors by their names in the block, once ``enter_block`` ran.

    ``shortcut = x`` then ``if shortcut.shape[-1] != 32:`` reads as the source did.
    """
    entering = {carried.init: carried.param for carried in node.carried}
    return replace(node.test, refs=tuple((name, entering.get(value, value)) for name, value in node.test.refs))


def default_name(graph: Graph, node: Node) -> str:
    """The idiomatic name for a node's output when the source gave none."""
    if isinstance(node, Input):
        count = len(graph.inputs_in_order())
        return "inputs" if count == 1 else "input_1"
    if isinstance(node, (Call, Op)) and node is graph.body[-1] and node.out in graph.outputs.values:
        return "outputs"
    return "x"


# Where a node stands in the program: its position, and the branch of each ``if`` it is in
# (``id(cond) -> 0`` in the body, ``1`` in the ``else``).
Place = tuple[int, dict[int, int]]


def _liveness(graph: Graph, keep_inputs: bool = True) -> tuple[dict[str, list[Place]], dict[int, Place]]:
    """Where each value is read, and where each node stands.

    A value made before a loop (or ``if``) and read inside it lives until its end. An ``else``
    runs instead of the body, not after it: its positions are the body's again, and a read in
    one branch does not keep a value alive in the other (``Namer.live``).
    """
    reads: dict[str, list[Place]] = {}
    positions: dict[int, Place] = {}
    counter = 0

    def read(value: str, at: int, path: dict[int, int]) -> None:
        reads.setdefault(value, []).append((at, path))

    def visit(body: tuple[Node, ...], path: dict[int, int]) -> None:
        nonlocal counter
        for node in body:
            if isinstance(node, Op) and node.helper is not None:
                # A subclass writes the helper's body out just before the helper's result is named;
                # the tensors passed to the helper are read there, by the body's own nodes.
                visit(node.helper.body, path)
            counter += 1
            positions[id(node)] = (counter, path)
            if isinstance(node, Op) and node.helper is not None and node.helper.body:
                continue
            if isinstance(node, Carrier):
                start = end = counter
                for index, branch in enumerate(branches(node)):
                    counter = start
                    visit(branch, {**path, id(node): index} if isinstance(node, Cond) else path)
                    end = max(end, counter)
                # The end of the body, where ``leave_block`` copies results to their carried names.
                counter = end + 1
                # What enters the block, and what an ``if`` tests the shape of, is read at its start.
                for value in consumed(node):
                    read(value, start, path)
                for carried in node.carried:
                    for index, result in enumerate((carried.result, carried.other)):
                        # Each branch's result is read at the end of that branch only: an ``elif``'s
                        # entering tensor, left as it is by a branch that raises, is not alive in the body.
                        own = {**path, id(node): index} if isinstance(node, Cond) and carried.other else path
                        if result is not None:
                            read(result, counter, own)
                inside = [inner for branch in branches(node) for inner in walk(branch)]
                local = {carried.param for carried in node.carried}
                local |= {item.value for item in getattr(node, "items", ())}
                local |= {value for inner in inside for value in produced(inner)}
                # A nested block's own parameters are made inside it too.
                local |= {carried.param for inner in inside if isinstance(inner, Carrier) for carried in inner.carried}
                local |= {item.value for inner in inside for item in getattr(inner, "items", ())}
                for inner in inside:
                    for value in consumed(inner):
                        if value not in local:
                            read(value, end, path)
                continue
            for value in consumed(node):
                read(value, counter, path)

    visit(graph.body, {})
    end = counter + 1
    for value in graph.outputs.values + (graph.inputs.values if keep_inputs else ()):
        read(value, end, {})
    return reads, positions


def _exclusive(one: dict[int, int], other: dict[int, int]) -> bool:
    """Two places in different branches of one ``if``: never both run."""
    return any(other.get(cond, branch) != branch for cond, branch in one.items())
