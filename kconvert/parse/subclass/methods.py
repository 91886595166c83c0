"""A method of the model class that call() calls on tensors: ``h = self.encode(x)``.

Subclasses split their forward pass into methods (``encode``, ``decode``).  A
method is read where it is called, as a module-level helper's body is
(parse/helpers.py), with ``self`` the model: its ``self.<layer>`` calls are
calls of the layers ``__init__`` made, so a method called twice calls the same
layers twice (shared weights), never new ones.  Graph code has no ``self`` to
hold those layers, so the body is written out at each call; a class keeps the
method as well when anything but call() reads it (``still_read``).
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from ...ir.nodes import Call, Op
from ...ir.source_text import Code, placeholder
from ..builder import refuse
from ..helper_blocks import refuse_rebound, split_return
from ..helpers import bind_arguments
from ..substituted import node_with
from ..walk import walk
from .constructor import self_attribute


def method_tensor(lifter, call: cst.Call, name: str | None) -> str:
    """The tensor ``call`` of a method gives, named ``name`` where the method makes it."""
    results = lift_method(lifter, call)
    if len(results) > 1:
        # ``pair = self.encode(x)`` of a method that returns ``a, b``: the pair.
        names = [placeholder(result) for result in results]
        out = lifter.builder.new_value()
        code = Code(f"({', '.join(names)})", tuple(zip(names, results)))
        lifter.nodes.append(Op(out, code, lifter.src.loc(call), name))
        return out
    (result,) = results
    last = lifter.nodes[-1] if lifter.nodes else None
    # The caller's name for it, or none when call() returns it: the model's outputs.
    named = name is not None or call is lifter.returned
    if named and isinstance(last, (Call, Op)) and last.out == result and not last.more:
        lifter.nodes[-1] = replace(last, name=name)
    return result


def lift_method(lifter, call: cst.Call) -> tuple[str, ...]:
    """The tensors the method ``call`` calls returns; its body's nodes are appended to ``lifter``'s."""
    src = lifter.src
    name = self_attribute(call.func)
    definition = lifter.methods[name]
    if name in lifter.inlining:
        raise refuse(
            src.loc(call),
            f"`self.{name}` calls itself, which a graph cannot write out",
            "keep the model a subclass",
        )
    arguments = bind_arguments(src, call, definition, method=True)
    defaults = {
        param.name.value: param.default
        for param in (*definition.params.params, *definition.params.kwonly_params)
        if param.default is not None
    }
    tensors, flags, constants = {}, set(), {}
    for param, value in arguments.items():
        if isinstance(value, cst.Name) and value.value in lifter.flags:
            flags.add(param)
        elif value is defaults.get(param) and isinstance(value, cst.Name) and value.value == "None":
            # ``training=None`` left out: a flag Keras gives the layers, as it gives call()'s.
            flags.add(param)
        elif lifter.reads_tensor(value):
            tensors[param] = lifter.value_of(value)
        else:
            constants[param] = value
    statements, returned = split_return(src, definition, "call()")
    refuse_rebound(src, definition, statements, constants, "method")
    inner = lifter.method_lifter(definition, flags)
    inner.env.update(tensors)
    inner.constants = constants
    inner.statements(statements)
    elements = returned.elements if isinstance(returned, cst.Tuple) else ()
    results = tuple(inner.value_of(element.value) for element in elements) or (inner.value_of(returned),)
    replacements = {param: lifter.text(value) for param, value in constants.items()}
    lifter.nodes += [node_with(node, replacements) for node in inner.nodes] if replacements else inner.nodes
    lifter.inlined.add(name)
    return results


def still_read(cls: cst.ClassDef, others, inlined: set[str], dropped) -> set[str]:
    """The methods of ``inlined`` that code besides call(), the ``dropped`` methods and the methods
    written out reads: another method a class keeps (``compute_losses``), or the rest of the file
    (``vae.decode(z)``, any ``.decode`` at all, to be safe).  ``others`` are the module's other
    statements.  A class keeps these, and the styles that cannot refuse, naming them."""
    methods = {item.name.value: item for item in cls.body.body if isinstance(item, cst.FunctionDef)}
    kept: set[str] = set()
    while True:
        readers = [item for name, item in methods.items() if name not in dropped and name not in inlined - kept]
        found = {name for name in inlined if any(_reads_attribute(reader, name) for reader in [*readers, *others])}
        if found == kept:
            return kept
        kept = found


def _reads_attribute(node: cst.CSTNode, name: str) -> bool:
    found = False

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            nonlocal found
            found = found or attribute.attr.value == name

    walk(node, Visitor())
    return found
