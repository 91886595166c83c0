"""Binding names to what they hold while a Functional model is read: tensors, lists
of tensors, inputs, named layers or plain values; a mixin of ``FunctionalLifter``."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.nodes import Define, Helper, Input, Op, Stmt
from ...ir.source_text import Code, Loc, placeholder
from ..keras_names import INPUT
from ..model_call import listed_names
from ..tensor_lists import refuse_second_name, remember, remember_listed
from .forms import unpacked_names


class Bindings:
    """``name = value`` and ``a, b = value`` for ``FunctionalLifter``."""

    def assign(self, name: str, value: cst.BaseExpression, loc=None) -> None:
        loc = loc or self.src.loc(value)
        refuse_second_name(self, name, value)
        self.tensor_lists.discard(name)
        self.pending.pop(name, None)
        self.ambiguous.pop(name, None)
        self.block_lists.pop(name, None)
        if isinstance(value, cst.Name) and value.value in self.env:
            self.env[name] = self.env[value.value]
            self.builder.aliases.append((self.env[name], name))
            return
        picked = self._picked_tensor(value)
        if picked is not None:
            # ``first = pair[0]`` of ``pair = (a, b)``: ``first`` is ``a``, as ``first = a`` would be.
            self.lists.pop(name, None)
            self.env[name] = picked
            self.builder.aliases.append((picked, name))
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
        if isinstance(value, cst.Call) and not self.reads_tensor(value):
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
        if not self.reads_tensor(value) and not self.calls_layer(value):
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
            self.nodes[-1] = replace(last, helper=_returned_whole(last.helper, self.builder.new_value(), loc, name))

    def _picked_tensor(self, value: cst.BaseExpression) -> str | None:
        """The tensor ``value`` is when it picks one out of a list of tensors by a literal index
        (``pair[0]`` of ``pair = (a, b)``), else None."""
        if not (isinstance(value, cst.Subscript) and isinstance(value.value, cst.Name) and value.value.value in self.lists):
            return None
        code = self.code(value)
        refs = dict(code.refs)
        return refs[code.text] if code.text in refs else None

    def unpack(self, names: list[str], value: cst.BaseExpression) -> None:
        """``seq, h, c = LSTM(64, return_state=True)(x)``: one node that makes several tensors.

        ``a, b = b, c`` only renames tensors, all at once (a loop that swaps
        what it carries is written so), and makes no node.
        """
        sources = unpacked_names(value)
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



def _returned_whole(helper: Helper, value: str, loc: Loc, name: str) -> Helper:
    """``helper`` returning one tuple of its results, for a call bound to one name: the tuple
    written out is called by that name (``block1 = (pooled, conv)``)."""
    names = [placeholder(result) for result in helper.results]
    pair = Op(value, Code(f"({', '.join(names)})", tuple(zip(names, helper.results))), loc, name)
    if helper.packed is not None:
        # ``return [a, b]``: the list the function packs, where it packs it.
        pair = replace(helper.packed, out=value, name=name)
    return replace(helper, body=(*helper.body, pair), results=(value,))
