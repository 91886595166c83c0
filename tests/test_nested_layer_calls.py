"""A layer call the source wrote inside another call's arguments (``Flatten()(Embedding(100, 8)(x))``)
stays there in the graph styles, and a subclass, which writes it on a line of its own, says what was
said beside or under the source's line of the outer call (issue 10: the Keras bAbI memory network's
``# output: (samples, story_maxlen, embedding_dim)`` went under the inner call)."""

from __future__ import annotations

from kconvert.types import Style

from converting import C, F, convert

FS = Style.FUNCTIONAL_SUBCLASS

NESTED = """\
import keras
from keras import layers

inputs = keras.Input(shape=(10,), dtype="int32")
x = layers.Flatten()(layers.Embedding(100, 8)(inputs))  # embed, then flatten
# output: (None, 80)

outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
"""


def test_a_graph_class_keeps_the_nested_call_and_its_comments_where_they_were() -> None:
    # Before: `x = layers.Embedding(100, 8)(inputs)  # embed, then flatten`, `# output: (None, 80)`
    # under it, then `x = layers.Flatten()(x)`: the comment said the embedding's output was (None, 80).
    expected = """\
    def __init__(self, **kwargs):
        inputs = keras.Input(shape=(10,), dtype="int32")
        x = layers.Flatten()(layers.Embedding(100, 8)(inputs))  # embed, then flatten
        # output: (None, 80)

        outputs = layers.Dense(1, activation="sigmoid")(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
"""
    assert expected in convert(NESTED, FS)


def test_a_subclass_writes_the_inner_call_first_and_the_comments_with_the_outer() -> None:
    expected = """\
    def call(self, inputs, training=None):
        x = self.embedding(inputs)
        x = self.flatten(x)  # embed, then flatten
        # output: (None, 80)

        return self.dense(x)
"""
    assert expected in convert(NESTED, C)


def test_calls_nested_in_a_merge_list_stay_in_it_and_the_way_back_keeps_them() -> None:
    source = """\
    import keras
    from keras import layers


    def build(units=8):
        a = keras.Input(shape=(4,))
        b = keras.Input(shape=(6,))
        # Both branches to one width before they meet.
        merged = layers.Concatenate()([layers.Dense(units)(a), layers.Dense(units)(b)])
        outputs = layers.Dense(1)(merged)
        return keras.Model([a, b], outputs)


    model = build()
    """
    graph_class = convert(source, FS)
    expected = """\
        # Both branches to one width before they meet.
        merged = layers.Concatenate()([layers.Dense(units)(a), layers.Dense(units)(b)])
"""
    assert expected in graph_class
    assert expected.replace("        ", "    ", 1).replace("\n        ", "\n    ") in convert(graph_class, F)


def test_a_call_nested_in_a_list_beside_a_tensor_read_twice_stays_in_the_list() -> None:
    # `h` is read by two layers: it stays a name, and only the call nested in the list goes in.
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    h = layers.Dense(8)(inputs)
    outputs = layers.Add()([layers.Dense(8)(h), h])
    model = keras.Model(inputs, outputs)
    """
    assert "outputs = layers.Add()([layers.Dense(8)(h), h])" in convert(source, FS)


def test_a_helper_call_nested_in_a_merge_leaves_the_lines_comment_to_the_merge() -> None:
    # keras-io's ConvMixer: `x = layers.Add()([activation_block(x), x0])  # Residual.` put the
    # comment beside the block's call, the first line a subclass writes of it.
    source = """\
    import keras
    from keras import layers


    def activation_block(x):
        x = layers.Activation("gelu")(x)
        return layers.BatchNormalization()(x)


    inputs = keras.Input(shape=(8, 8, 4))
    x0 = inputs
    x = layers.DepthwiseConv2D(3, padding="same")(inputs)
    x = layers.Add()([activation_block(x), x0])  # Residual.
    model = keras.Model(inputs, x)
    """
    expected = """\
        x = self.activation_block(x)
        return self.add([x, inputs])  # Residual.
"""
    assert expected in convert(source, C)


def test_a_helper_call_nested_in_a_helper_call_is_its_block_s_input() -> None:
    # `block(block(x), 16)`: the inner call is lifted first, as Python runs it, and the outer
    # helper's parameter is its tensor. Before, to-subclass refused "`block(x)` is an expression of
    # tensors passed to `block`", though each is a Layer class called on the other's output.
    source = """\
import keras
from keras import layers


def block(x, units=8):
    return layers.Dense(units, activation="relu")(x)


inputs = keras.Input(shape=(4,))
h = block(block(inputs), 16)
outputs = layers.Dense(2)(h)
model = keras.Model(inputs, outputs)
"""
    converted = convert(source, C)
    assert """\
        self.block1 = Block()
        self.block2 = Block(16)
        self.dense = layers.Dense(2)

    def call(self, inputs, training=None):
        x = self.block1(inputs)
        h = self.block2(x)
        return self.dense(h)
""" in converted
    # The way back calls the Layer classes, one on the other's output.
    assert "\nx = Block()(inputs)\nh = Block(16)(x)\n" in convert(converted, F)


def test_the_comment_above_a_statement_stays_above_the_calls_lifted_out_of_it() -> None:
    # keras-io MIRNet's `# SKFF` above `level1_skff = selective_kernel_feature_fusion(` with the
    # helper calls nested on the lines below: a subclass writes those calls first, and the
    # comment went under them, above the statement's last line alone.
    source = """\
import keras
from keras import layers


def proj(x):
    return layers.Dense(2)(x)


inputs = keras.Input(shape=(4, 2))
low = layers.Conv1D(2, 1)(inputs)
# Fuse the levels.
fused = layers.Concatenate()(
    [
        inputs,
        proj(proj(low)),
    ]
)
outputs = layers.Dense(1)(fused)
model = keras.Model(inputs, outputs)
"""
    converted = convert(source, C)
    assert """\
        low = self.low(inputs)
        # Fuse the levels.
        x = self.proj1(low)
        x = self.proj2(x)
        fused = self.fused(
            [
                inputs,
                x,
            ]
        )
""" in converted, converted


def test_a_helper_call_nested_in_another_stays_nested_in_the_graph_styles() -> None:
    # Before: `x = block(inputs, 8)`, `x = block(x, 16)`, `outputs = layers.Dense(2)(x)`, a made-up
    # `x` the source never had (issue 10; layer calls stayed nested since session 32).
    source = """\
import keras
from keras import layers


def block(x, units):
    x = layers.Dense(units)(x)
    return layers.ReLU()(x)


def build_model():
    inputs = keras.Input((4,))
    outputs = layers.Dense(2)(block(block(inputs, 8), 16))
    return keras.Model(inputs, outputs)
"""
    expected = """\
    def __init__(self, **kwargs):
        inputs = keras.Input((4,))
        outputs = layers.Dense(2)(block(block(inputs, 8), 16))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
"""
    assert expected in convert(source, FS)
    # A helper call whose tensor another line reads too keeps its line.
    shared = source.replace("    outputs = layers.Dense(2)(block(block(inputs, 8), 16))\n", "    h = block(inputs, 8)\n    outputs = layers.Add()([block(h, 8), h])\n")
    assert "        h = block(inputs, 8)\n        outputs = layers.Add()([block(h, 8), h])\n" in convert(shared, FS)
