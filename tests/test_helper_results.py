"""What a helper gives the model: several tensors bound to one name, a layer made elsewhere.

Each was refused as kconvert's own error (its safety check read the converted file as another
model) though the conversion was right: the check now reads both sides the same way.
"""

from __future__ import annotations

from kconvert.types import Style

from converting import C, F, convert, refusal

FS = Style.FUNCTIONAL_SUBCLASS

# The helper takes ``trainable``, which a Layer class has of its own, so it is written out at
# its call, not made a Layer class; its two results are bound to one name and read by index.
PAIR_OF_A_WRITTEN_OUT_HELPER = """\
import keras
from keras import layers


def two_heads(x, act, trainable=True):
    a = layers.Dense(4, trainable=trainable)(x)
    b = act(layers.Dense(2)(x))
    return a, b


inputs = keras.Input(shape=(8,))
h = layers.Dense(8, activation="relu")(inputs)
outs = two_heads(h, layers.ReLU())
merged = layers.Concatenate()([outs[0], outs[1]])
outputs = layers.Dense(1)(merged)
model = keras.Model(inputs, outputs)
"""


def test_several_results_of_a_written_out_helper_bound_to_one_name_are_indexed_as_a_tuple() -> None:
    written = convert(PAIR_OF_A_WRITTEN_OUT_HELPER, C)
    assert "        outs = (a, b)\n        merged = self.merged([outs[0], outs[1]])\n" in written
    assert "self.two_heads1_relu = layers.ReLU()\n" in written
    back = convert(written, F)
    assert "merged = layers.Concatenate()([a, b])\n" in back


def test_several_results_of_a_block_bound_to_one_name_still_convert_both_ways() -> None:
    source = PAIR_OF_A_WRITTEN_OUT_HELPER.replace("def two_heads(x, act, trainable=True):", "def two_heads(x):")
    source = source.replace("layers.Dense(4, trainable=trainable)(x)", "layers.Dense(4)(x)")
    source = source.replace("b = act(layers.Dense(2)(x))", "b = layers.Dense(2)(x)")
    source = source.replace("two_heads(h, layers.ReLU())", "two_heads(h)")
    written = convert(source, C)
    # The block returns its results as the helper wrote them (``return a, b``).
    assert "        return a, b\n" in written and "outs = self.outs(h)\n" in written
    assert "outs = two_heads(h)\n" in convert(source, FS)


def test_a_helper_that_calls_a_module_level_layer_keeps_a_reference_to_it() -> None:
    source = """\
    import keras
    from keras import layers

    shared = layers.Dense(4)


    def head(x):
        a = shared(x)
        return layers.Dense(2)(a)


    inputs = keras.Input(shape=(8,))
    h = layers.Dense(8)(inputs)
    y = head(h)
    model = keras.Model(inputs, layers.Dense(1)(y))
    """
    written = convert(source, C)
    assert "shared = layers.Dense(4)\n" in written
    assert "        self.shared = shared\n        self.dense = layers.Dense(2)\n" in written
    assert "        y = self.head(h)\n" in written


def test_an_element_read_from_a_list_of_tensors_before_its_pop_is_that_tensor() -> None:
    # The list is made where it stood once ``pop()`` takes from it; a read before that was pasted
    # as ``[a, b][0]``: the same tensor, written as no one would.
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    a = layers.Dense(4)(inputs)
    b = layers.Dense(4)(a)
    feats = [a, b]
    y = layers.Dense(4)(feats[0])
    last = feats.pop()
    model = keras.Model(inputs, layers.Add()([y, last, feats[-1]]))
    """
    written = convert(source, C)
    assert "        feats = [a, b]\n        y = self.dense3(a)\n        last = feats.pop()\n" in written
    assert "[y, last, feats[-1]]" in written
    assert "        y = layers.Dense(4)(a)\n        last = feats.pop()\n" in convert(source, FS)


def test_a_helper_that_defines_a_function_inside_itself_is_refused_for_a_subclass() -> None:
    # The idiomatic-programmer zoo's Xception: entryFlow defines stem() and calls it; the Layer
    # class would make stem in __init__ and call it in call() (the safety check caught it).
    source = """\
import keras
from keras import layers


def entry_flow(inputs):
    def stem(inputs):
        x = layers.Conv2D(8, 3)(inputs)
        return layers.ReLU()(x)

    x = stem(inputs)
    return layers.Conv2D(16, 3)(x)


inputs = keras.Input(shape=(32, 32, 3))
x = entry_flow(inputs)
outputs = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, outputs)
"""
    message = refusal(source, Style.SUBCLASS)[0]
    assert message.startswith("m.py:6:5: error: `entry_flow` cannot be written out in a subclass: `entry_flow` defines")
    assert "(hint: define `stem` at module level, where kconvert reads it as a helper of its own)" in message
