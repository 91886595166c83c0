"""The line that makes a model class's instance, outside the class: each parameter as that code has it.

A builder's parameter is given by its own name (``MLP(units=units)``); one the model read of its
object (``Param.given``) by what it read (``Generator(latent_dim=self.latent_dim)``), and so is
any of its code written beside that line (the ``keras.Input`` that builds a subclass).
"""

from __future__ import annotations

import libcst as cst

from ..ir.code import Substitute, substitute
from ..ir.graph import Graph
from ..ir.model_parts import Param


def instance_arguments(params: list[Param] | tuple[Param, ...]) -> list[str]:
    """``name=value`` for each parameter that is not ``*args`` or ``**kwargs``."""
    return [f"{param.name}={param.given or param.name}" for param in params if not param.star]


def as_given(text: str, graph: Graph) -> str:
    """The expression ``text`` of the model's code as the line that makes the instance reads it."""
    values = {param.name: param.given for param in graph.params if param.given}
    return substitute(text, values) if values else text


def statement_as_given(text: str, graph: Graph) -> str:
    """The statement ``text`` of the model's code (``gen_input_shape = (image_size[0], ...)``,
    which only the build line reads) as the code that makes the instance reads it."""
    values = {param.name: param.given for param in graph.params if param.given}
    if not values:
        return text
    return cst.parse_module(text + "\n").visit(Substitute(values)).code[:-1]
