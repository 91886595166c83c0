"""What a loop's pass lifted as a block (ir/loop_blocks.py) is called.

As its loop counts it when the loop says (``for stage in range(3)``: a ``stage``).  A loop
over widths (``for filters in [64, 128, 256]``) says what changes, not what a pass is: such a
pass is a block of its owner (``conv_backbone_block``).  When a model has several, numbering
them (``UNetBlock``, ``UNetBlock2``) says nothing a reader can use; an expert names each by
what it does to the feature map, the words of encoder-decoder models (keras.io's U-Nets):
a pass that pools or strides a convolution lowers the resolution, a ``down_block``; one
that upsamples or strides a transposed convolution raises it, an ``up_block``.  That is
done when every such pass of the model does one or the other.
"""

from __future__ import annotations

import re

from .nodes import LayerDef

# Loop variables that count passes without naming what a pass is.
_COUNTERS = frozenset({"idx", "index", "num", "count", "step", "layer_num"})
# A counter's suffix after the word for what it counts (``stage_idx``, ``layer_index``).
_COUNTED = re.compile(r"_(idx|index|num|no|id|count|number)$")
_POOLING = re.compile(r"(Max|Average)Pooling[123]D")
_UPSAMPLING = re.compile(r"UpSampling[123]D")
_CONV = re.compile(r"(Separable|Depthwise)?Conv[123]D")
_TRANSPOSED = re.compile(r"Conv[123]DTranspose")


def target_names(target: str) -> list[str]:
    """The names a loop's target binds (``block, f`` of ``for block, f in ...``), in order."""
    return re.findall(r"[A-Za-z_]\w*", target)


class PassNames:
    """Names for the passes of one owner's loops, none in ``taken`` (the block names in use).

    ``by_what_they_do``: a pass its loop does not name is named by what it does to the
    resolution when it can be; else by its owner, and ``retry`` then says whether a
    second such pass was numbered while each could have been named by what it does.
    """

    def __init__(self, owner: str, taken: set[str], by_what_they_do: bool = False) -> None:
        # A pass of ``conv2d_block``'s loop is a ``Conv2dBlockLayer``, not a ``Conv2dBlockBlock``.
        self.stem = f"{owner}_{'layer' if owner.endswith('block') else 'block'}" if owner else "block"
        self.taken = taken
        self.by_what_they_do = by_what_they_do
        self.made: list[str] = []
        # The resolution word of each pass named after its owner (None: it has none).
        self._owned: list[str | None] = []
        self._pending: tuple[str, bool, str | None] = ("", False, None)

    def __call__(self, target: str, iterable: str, layers: tuple[LayerDef, ...]) -> str:
        """The name of a pass of ``for <target> in <iterable>`` that makes ``layers``, taken by
        ``keep`` once the pass is a block."""
        names = target_names(target)
        counter = names[0] if names and iterable.startswith(("range(", "enumerate(")) else ""
        # ``block_idx`` counts blocks: a pass is a ``block``.
        counter = _COUNTED.sub("", counter)
        good = len(counter) >= 3 and not counter.startswith("_") and counter not in _COUNTERS and not counter[-1].isdigit()
        if good:
            name = counter
            while name in self.taken or name in self.made:
                name += "_block"
            self._pending = (name, False, None)
        else:
            word = _resolution(layers)
            owned = not self.by_what_they_do or word is None
            stem = word if self.by_what_they_do and word is not None else self.stem
            # A second pass of one name is its ``_2``, as layers of one type are numbered.
            name, number = stem, 1
            while name in self.taken or name in self.made:
                number += 1
                name = f"{stem}_{number}"
            self._pending = (name, owned, word)
        return name

    def keep(self) -> None:
        """The name last given is a block's."""
        name, owned, word = self._pending
        self.made.append(name)
        if owned:
            self._owned.append(word)

    @property
    def retry(self) -> bool:
        """Whether several passes were named after the owner, each doing one thing to the resolution."""
        return not self.by_what_they_do and len(self._owned) > 1 and None not in self._owned


def _resolution(layers: tuple[LayerDef, ...]) -> str | None:
    """``down_block`` or ``up_block`` for a pass that only lowers or only raises the resolution."""
    down = any(_POOLING.fullmatch(layer.type_name) or (_CONV.fullmatch(layer.type_name) and _strided(layer)) for layer in layers)
    up = any(_UPSAMPLING.fullmatch(layer.type_name) or (_TRANSPOSED.fullmatch(layer.type_name) and _strided(layer)) for layer in layers)
    if down == up:
        return None
    return "down_block" if down else "up_block"


def _strided(layer: LayerDef) -> bool:
    """Whether the convolution's strides, as written, are a literal above 1 (``strides=2``,
    ``(2, 2)``, or the third argument by position); a name (``strides=s``) says nothing."""
    positional = [arg for arg in layer.args if arg.keyword is None and not arg.star]
    given = next((arg for arg in layer.args if arg.keyword == "strides"), positional[2] if len(positional) > 2 else None)
    if given is None or not re.fullmatch(r"[\d\s,()]+", given.value.text):
        return False
    return any(int(number) > 1 for number in re.findall(r"\d+", given.value.text))
