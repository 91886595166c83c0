"""A loop of call() over ``range(self.num_blocks)`` that picks layers by position (fresh30).

Written after cashlo's WaveNet-with-ChatGPT: ``__init__`` stores its parameter
(``self.num_blocks = num_blocks``) and fills two lists in ``for i in range(num_blocks):``;
call() walks them with ``for i in range(self.num_blocks): x = self.convs[i](x)``.  Each pass
picks the pass's layer of each list, so it is the loop over the lists, and every style writes
the loop that filled them.  When ``__init__`` binds the parameter again before filling the
lists, ``self.num_blocks`` counts other passes than the lists hold, and the refusal stays.
Expected outputs are written by hand.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import convert, refusal

F, S, FS = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.FUNCTIONAL_SUBCLASS

SOURCE = '''\
import keras
from keras import layers


class DilatedStack(keras.Model):
    def __init__(self, num_blocks=3, filters=8):
        super().__init__()
        self.num_blocks = num_blocks
        self.embedding = layers.Embedding(64, 4)
        self.convs = []
        self.mixes = []
        for i in range(num_blocks):
            self.convs.append(layers.Conv1D(filters, 2, dilation_rate=2**i, padding="causal"))
            self.mixes.append(layers.Dense(filters, activation="relu"))
        self.head = layers.Dense(64, activation="softmax")

    def call(self, inputs):
        x = self.embedding(inputs)
        for i in range(self.num_blocks):
            x = self.convs[i](x)
            x = self.mixes[i](x)
        return self.head(x)


model = DilatedStack()
model(keras.Input(shape=(16,)))
'''

FUNCTIONAL = '''\
import keras
from keras import layers


def DilatedStack(num_blocks=3, filters=8):
    inputs = keras.Input(shape=(16,))
    x = layers.Embedding(64, 4)(inputs)
    for i in range(num_blocks):
        x = layers.Conv1D(filters, 2, dilation_rate=2**i, padding="causal")(x)
        x = layers.Dense(filters, activation="relu")(x)
    outputs = layers.Dense(64, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


model = DilatedStack()
'''

SEQUENTIAL = '''\
import keras
from keras import layers


def DilatedStack(num_blocks=3, filters=8):
    model = keras.Sequential()
    model.add(keras.Input(shape=(16,)))
    model.add(layers.Embedding(64, 4))
    for i in range(num_blocks):
        model.add(layers.Conv1D(filters, 2, dilation_rate=2**i, padding="causal"))
        model.add(layers.Dense(filters, activation="relu"))
    model.add(layers.Dense(64, activation="softmax"))
    return model


model = DilatedStack()
'''


def test_a_loop_over_a_stored_count_picks_the_passes_layers() -> None:
    assert convert(SOURCE, F) == FUNCTIONAL
    assert convert(SOURCE, S) == SEQUENTIAL


def test_the_class_that_builds_a_graph_writes_the_same_loop() -> None:
    init = convert(SOURCE, FS).split("def __init__", 1)[1].split("super().__init__", 1)[0]
    assert "    for i in range(num_blocks):\n" in init
    assert 'x = layers.Conv1D(filters, 2, dilation_rate=2**i, padding="causal")(x)' in init


def test_a_count_bound_again_keeps_the_refusal() -> None:
    source = SOURCE.replace(
        "        self.embedding = layers.Embedding(64, 4)\n",
        "        num_blocks = num_blocks + 1\n        self.embedding = layers.Embedding(64, 4)\n",
    )
    # Read as `num_blocks`, `range(self.num_blocks)` would count the passes of the later value.
    assert refusal(source, F)[0].startswith(
        "m.py:20:24: error: call() reads `self.num_blocks`, `__init__`'s `num_blocks` before a later line binds"
    )


def test_a_count_stored_from_another_value_keeps_the_refusal() -> None:
    source = SOURCE.replace("self.num_blocks = num_blocks", "self.num_blocks = filters")
    assert refusal(source, F)[0].startswith("m.py:20:17: error: `self.convs[i]` picks a layer")


def test_a_count_the_lists_loop_binds_keeps_the_refusal() -> None:
    # ``for num_blocks in range(num_blocks)`` leaves the parameter one short when it is stored after.
    source = SOURCE.replace("        self.num_blocks = num_blocks\n", "").replace(
        "        for i in range(num_blocks):\n", "        for num_blocks in range(num_blocks):\n"
    ).replace("dilation_rate=2**i", "dilation_rate=2**num_blocks").replace(
        "        self.head = layers.Dense", "        self.num_blocks = num_blocks\n        self.head = layers.Dense"
    )
    assert refusal(source, F)[0].startswith("m.py:20:17: error: `self.convs[i]` picks a layer")
