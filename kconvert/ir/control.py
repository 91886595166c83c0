"""The nodes that carry tensors through a nested body: a ``Loop`` (``for``) and a ``Cond``
(``if`` on builder parameters or static shapes), each ``Carried`` tensor variable they
reassign, and the ``Item``s a loop draws from lists of tensors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .nodes import Node
    from .source_text import Code, Loc, ValueId


@dataclass(frozen=True)
class Carried:
    """One tensor variable that a ``Loop`` or ``Cond`` carries through its body.

    ``init`` is the tensor entering the block, ``param`` the same tensor as
    seen at the start of the body (of each iteration), ``result`` the tensor
    the body leaves (for the next iteration), and ``out`` the tensor after the
    block.  ``name`` is the variable the source carried it in.  ``other`` is the
    tensor the ``else`` branch of a ``Cond`` leaves (``param`` when that branch does
    not reassign it), None when there is no ``else``.  ``init`` is None when no tensor
    enters: each branch of a ``Cond`` with an ``else`` makes the variable (``if same:
    residual = x else: residual = Conv2D(width, 1)(x)``), and ``param`` is then never read.
    """

    init: ValueId | None
    param: ValueId
    result: ValueId
    out: ValueId
    name: str | None = None
    other: ValueId | None = None
    # The source lines of the copies that leave ``result`` and ``other`` in a ``Cond``'s branches
    # (``else: s = x``), lines no node has: what is said of a copy stays with the copy written there.
    result_copies: tuple[int, ...] = ()
    other_copies: tuple[int, ...] = ()


@dataclass(frozen=True)
class Item:
    """A tensor a ``Loop`` draws from a list of tensors on each pass: ``skip`` in
    ``for up, skip in zip(up_stack, skips)``, ``value`` standing for it in the body."""

    name: str
    value: ValueId
    source: Code


@dataclass(frozen=True)
class Loop:
    """``for <target> in <iterable>:`` carrying tensors through ``body``.

    ``carried`` lists the tensor variables the body reassigns, in the order
    the source first assigns them (``x``, then ``previous_block_activation``
    in the keras.io U-Net), which is the order emitters write them in.
    ``target`` and ``iterable`` are the part of the iteration that reads no
    tensor (what ``__init__`` makes a pass's layers from; empty when there is
    none); ``items`` the tensors drawn from lists of tensors, zipped after it
    (``ir/iteration.py`` writes the whole ``for``).
    """

    target: str
    iterable: Code
    carried: tuple[Carried, ...]
    body: tuple["Node", ...]
    loc: Loc
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Cond:
    """``if <test>: <body> else: <orelse>`` on builder parameters, carrying tensors.

    ``carried`` means what it means for ``Loop``; each ``out`` is its
    ``result`` when the test held, else its ``other`` (its ``init`` when there
    is no ``else``).  An ``orelse`` that is one ``Cond`` is an ``elif``.  ``test``
    reads tensors only through their shapes (``x.shape[-1] != filters``), which
    are static while the graph is built: a branch on tensor values is not a
    static graph.
    """

    test: Code
    carried: tuple[Carried, ...]
    body: tuple["Node", ...]
    loc: Loc
    orelse: tuple["Node", ...] = ()
