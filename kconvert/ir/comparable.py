"""What the safety check compares: a graph's structure minus what a conversion may rightly change.

``structure`` (``ir/structure.py``) already takes names and spelling out. Reading a converted
file back can still differ from the original in ways that build the same model; each is
undone here, in one place, so the list of what the check forgives is short and reviewable:

- where an ``Input`` is made (a subclass makes all of them first): inputs are compared as a
  sorted set, ahead of the rest of the body;
- ``batch_shape=(8, 5, 2)`` against ``shape=(5, 2)`` (a stateful subclass is built on zeros of
  its full batch shape; the batch size is the verifier's to check);
- the order of a dict of inputs (Keras matches them by key, not by position);
- one input or output in a list (``inputs=[x]``, ``outputs=[y]``) against the tensor itself: a
  graph model takes the tensor for the list and returns the tensor for the list
  (``Functional._standardize_inputs``, ``unpack_singleton``), so the Sequential of
  ``keras.Model(inputs=[x], outputs=[y])``, or a ``call()`` that returns ``y``, is the same model;
- a name computed from other values (``"mobilenet_%s" % alpha``): a class takes it from the line
  that makes its instance, through ``**kwargs``, where its own graph does not see it;
- a tensor's static shape spelled ``K.int_shape(x)``, ``x.get_shape()`` or
  ``x.get_shape().as_list()`` against ``x.shape``: a layer sized by it is made in a subclass's
  ``build(input_shape)``, which reads back as ``x.shape`` (emit/subclass/in_build.py);
- with ``shapes=False``, the inputs' shapes: a subclass that nothing in the file builds reads
  back with no input shape, and it takes any.
"""

from __future__ import annotations

import re

import libcst as cst

from .code import unpack_singleton
from .graph import Graph
from .reads import computed_name
from .structure import structure


def comparable(graph: Graph, shapes: bool = True) -> str:
    """One string per model: equal strings, the same model as the safety check sees it."""
    body, inputs, outputs, name, changed = _without_batch(structure(graph, expand_helpers=True))
    if computed_name(graph) is not None:
        name = None
    if not shapes:
        body = tuple(("input", (), entry[2]) if entry[0] == "input" else entry for entry in body)
    # By text: an input's arguments mix keywords and positions (``Input((4,), sparse=True)``), whose
    # tuples hold ``None`` for a keyword, which does not compare with a string.
    body = tuple(sorted((entry for entry in body if entry[0] == "input"), key=repr)) + tuple(
        entry for entry in body if entry[0] != "input"
    )
    return _SHAPE_SPELLINGS.sub(lambda found: f"{found[1] or found[2]}.shape", repr((body, _unpacked(_sorted_keys(inputs)), _unpacked(outputs), name, changed)))


# ``structure`` writes tensors as ``T0``, ``T1``, ...: their shape spelled any of these ways.
_SHAPE_SPELLINGS = re.compile(r"\b(?:[A-Za-z_][\w.]*\.)?int_shape\((T\d+)\)|\b(T\d+)\.get_shape\(\)(?:\.as_list\(\))?")


def _unpacked(text: str) -> str:
    try:
        expr = cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return text
    return unpack_singleton(cst.Module([]).code_for_node(expr.with_changes(lpar=[], rpar=[])))


def _sorted_keys(text: str) -> str:
    try:
        expr = cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return text
    if not isinstance(expr, cst.Dict):
        return text
    items = sorted(cst.Module([]).code_for_node(element).strip().rstrip(",") for element in expr.elements)
    return "({" + ", ".join(items) + "})"


def _without_batch(item):
    if isinstance(item, tuple) and len(item) == 3 and item[0] == "input" and isinstance(item[1], tuple):
        return ("input", tuple(_shape_arg(arg) for arg in item[1]), item[2])
    if isinstance(item, tuple):
        return tuple(_without_batch(part) for part in item)
    return item


def _shape_arg(arg: tuple) -> tuple:
    keyword, star, text = arg
    if keyword != "batch_shape":
        return arg
    try:
        shape = cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return arg
    if not isinstance(shape, (cst.Tuple, cst.List)) or not shape.elements:
        return arg
    rest = [cst.Module([]).code_for_node(element.value) for element in shape.elements[1:]]
    return ("shape", star, "((" + ", ".join(rest) + ("," if len(rest) == 1 else "") + "))")
