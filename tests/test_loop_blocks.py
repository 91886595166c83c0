"""A loop's pass of several layers as one block (issue 10): minimal models of our own.

A pass that makes two layers or more becomes a
``Layer`` class made per pass from the values that change between passes; the model keeps
one list of them (``ir/loop_blocks.py``).  Nested loops that call() runs straight through
fill one flat list (``emit/flat_loops.py``), read back as the same nested loops.  Each
expected text was checked by hand; the way back must lift (IR lint) and build the same model.
"""

from __future__ import annotations

import textwrap

from kconvert.ir.control import Loop
from kconvert.ir.lint import lint
from kconvert.ir.loop_blocks import loops_as_blocks
from kconvert.ir.nodes import Op
from kconvert.parse import find_models
from kconvert.parse.source import SourceFile
from kconvert.safety.same_graph import model_keys
from kconvert.types import Style

from converting import convert, refusal

F, C = Style.FUNCTIONAL, Style.SUBCLASS

STAGES = """\
import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = inputs
for stack in range(2):
    for block in range(2):
        strides = 2 if stack > 0 and block == 0 else 1
        y = layers.Conv2D(4, 3, strides=strides, padding="same")(x)
        if stack > 0 and block == 0:
            x = layers.Conv2D(4, 1, strides=strides)(x)
        x = x + y
model = keras.Model(inputs, x)
"""


def _same_model(text: str, out: str) -> None:
    for model in find_models(out):
        assert model.problem is None, model.problem.render()
        lint(model.graph)
    assert model_keys(SourceFile.parse(out)) == model_keys(SourceFile.parse(textwrap.dedent(text)))


def test_a_pass_with_a_layer_made_in_some_passes_is_a_block_in_one_flat_list() -> None:
    out = convert(STAGES, C)
    assert (
        "class Block(layers.Layer):\n"
        "    def __init__(self, stack, block, strides, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.stack = stack\n"
        "        self.block = block\n"
        "        self.strides = strides\n"
        "        self.conv1 = layers.Conv2D(4, 3, strides=strides, padding=\"same\")\n"
        "        if stack > 0 and block == 0:\n"
        "            self.conv2 = layers.Conv2D(4, 1, strides=strides)\n"
        "\n"
        "    def call(self, x, training=None):\n"
        "        y = self.conv1(x)\n"
        "        if self.stack > 0 and self.block == 0:\n"
        "            x = self.conv2(x)\n"
        "        x = x + y\n"
        "        return x\n"
    ) in out
    assert (
        "        self.blocks = []\n"
        "        for stack in range(2):\n"
        "            for block in range(2):\n"
        "                strides = 2 if stack > 0 and block == 0 else 1\n"
        "                self.blocks.append(Block(stack, block, strides))\n"
        "\n"
        "    def call(self, inputs, training=None):\n"
        "        x = inputs\n"
        "        for block in self.blocks:\n"
        "            x = block(x)\n"
        "        return x\n"
    ) in out
    assert convert(out, C) == out
    back = convert(out, F)
    assert "        x = Block(stack, block, strides)(x)\n" in back
    _same_model(STAGES, out)


def test_two_layers_every_pass_makes_are_a_block_not_lists_zipped_in_call() -> None:
    text = STAGES.replace("            x = layers.Conv2D(4, 1, strides=strides)(x)\n", "            x = x * 2\n")
    text = text.replace("        x = x + y\n", "        x = layers.Add()([x, y])\n")
    out = convert(text, C)
    assert "zip(" not in out
    assert (
        "        self.conv = layers.Conv2D(4, 3, strides=strides, padding=\"same\")\n"
        "        self.add = layers.Add()\n"
        "\n"
        "    def call(self, x, training=None):\n"
        "        y = self.conv(x)\n"
        "        if self.stack > 0 and self.block == 0:\n"
        "            x = x * 2\n"
        "        return self.add([x, y])\n"
    ) in out
    assert "                self.blocks.append(Block(stack, block, strides))\n" in out
    assert convert(out, C) == out
    _same_model(text, out)


def test_a_keyword_named_as_a_tensor_is_no_read_of_it() -> None:
    # ``conv_bn(inputs=x, ...)`` in a model whose Input is ``inputs`` (Keras' cifar10_resnet): the
    # keyword reads no tensor, so the pass reads only its own and is one block.
    text = """\
import keras
from keras import layers


def conv_bn(inputs, filters):
    x = layers.Conv2D(filters, 3, padding="same")(inputs)
    return layers.BatchNormalization()(x)


inputs = keras.Input(shape=(8, 8, 3))
x = conv_bn(inputs=inputs, filters=4)
for block in range(2):
    y = conv_bn(inputs=x, filters=4)
    y = conv_bn(inputs=y, filters=4)
    x = layers.Add()([x, y])
model = keras.Model(inputs, x)
"""
    out = convert(text, C)
    assert "zip(" not in out and "_layers" not in out
    assert (
        "    def call(self, x, training=None):\n"
        "        y = self.conv_bn_1(x)\n"
        "        y = self.conv_bn_2(y)\n"
        "        return self.add([x, y])\n"
    ) in out
    assert "        self.blocks = [Block() for _ in range(2)]\n" in out
    assert convert(out, C) == out
    _same_model(text, out)


def test_a_pass_that_reads_a_tensor_from_before_the_loop_stays_lists() -> None:
    text = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    x = layers.Dense(8)(inputs)
    skip = x
    for _ in range(2):
        x = layers.Dense(8)(x)
        x = layers.Dense(8)(x)
        x = layers.Add()([x, skip])
    model = keras.Model(inputs, x)
    """
    out = convert(text, C)
    assert "Block(layers.Layer)" not in out and "self.add_layers" in out
    _same_model(text, out)


def test_the_lifted_graph_keeps_the_ir_invariants() -> None:
    graph = find_models(STAGES)[0].graph
    lifted = loops_as_blocks(graph, lambda block, blocks: True, "my_model")
    lint(lifted)
    (block,) = lifted.blocks
    assert [param.name for param in block.graph.params] == ["stack", "block", "strides"]
    inner = lifted.body[-1].body[0]
    assert isinstance(inner, Loop) and isinstance(inner.body[-1], Op)
    assert inner.body[-1].helper.block == block.name == "block"
    # A block the emitter cannot write as a class is not made: the loop stays as it was.
    assert loops_as_blocks(graph, lambda block, blocks: False, "my_model") is graph


def test_two_appends_to_one_list_in_a_pass_are_refused_not_read_as_one() -> None:
    # Read as one element per pass, the model lost every other layer and converted silently.
    text = """\
    import keras
    from keras import layers


    class MyModel(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.blocks = []
            for i in range(2):
                self.blocks.append(layers.Dense(4))
                self.blocks.append(layers.Dense(8))

        def call(self, inputs):
            x = inputs
            for block in self.blocks:
                x = block(x)
            return x


    model = MyModel()
    model(keras.Input(shape=(3,)))
    """
    (line,) = refusal(text, F)
    assert line.startswith("m.py:9:9: error: a loop in __init__ can only append layers to a list")


def test_a_pass_that_reads_another_tensor_keeps_its_layer_made_in_some_passes_as_none_elsewhere() -> None:
    # A block takes the one tensor its pass carries: `skip` from before the loop keeps the lists.
    text = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(8,))
    x = layers.Dense(8)(inputs)
    skip = x
    for i in range(2):
        if i == 0:
            x = layers.Dense(8)(x)
        x = layers.Add()([x, skip])
    model = keras.Model(inputs, x)
    """
    out = convert(text, C)
    assert "        self.dense_layers = [layers.Dense(8) if i == 0 else None for i in range(2)]\n" in out
    assert "        for i, dense, add in zip(range(2), self.dense_layers, self.add_layers):\n" in out
    _same_model(text, out)


XCEPTION = """\
import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 4))
x = layers.Conv2D(4, 3, padding="same")(inputs)
previous_block_activation = x
for filters in [4, 8]:
    x = layers.Conv2D(filters, 3, padding="same")(x)
    x = layers.MaxPooling2D(2)(x)
    residual = layers.Conv2D(filters, 1, strides=2)(previous_block_activation)
    x = layers.add([x, residual])
    previous_block_activation = x
outputs = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, outputs)
"""


def test_a_second_variable_that_holds_the_passs_tensor_is_the_blocks_own_copy_of_its_input() -> None:
    out = convert(XCEPTION, C)
    assert (
        "    def call(self, x, training=None):\n"
        "        previous_block_activation = x\n"
        "        x = self.conv(x)\n"
        "        x = self.pool(x)\n"
        "        residual = self.residual(previous_block_activation)\n"
        "        return self.add([x, residual])\n"
    ) in out
    # The loop names no pass (``for filters in``) and nothing names the model: a plain Block.
    assert "        self.blocks = [Block(filters) for filters in [4, 8]]\n" in out
    _same_model(XCEPTION, out)


def test_a_second_variable_read_after_the_loop_is_the_loops_output() -> None:
    # Both variables leave every pass (and a loop of no pass) holding one tensor: after the loop
    # the second is the first's output, and the pass is a block of one input.
    text = XCEPTION.replace("outputs = layers.GlobalAveragePooling2D()(x)", "outputs = layers.Add()([x, previous_block_activation])")
    out = convert(text, C)
    assert "        self.blocks = [Block(filters) for filters in [4, 8]]\n" in out
    assert "        for block in self.blocks:\n            x = block(x)\n        return self.add([x, x])\n" in out
    _same_model(text, out)


def test_a_second_variable_read_after_x_moves_on_is_a_copy_under_its_own_name() -> None:
    # ``x`` is rebound before the second variable is read: the model keeps the loop's output
    # under the name the source gave it, as it wrote it.
    after = "x = layers.Dense(4)(x)\noutputs = layers.Add()([x, previous_block_activation])"
    text = XCEPTION.replace("outputs = layers.GlobalAveragePooling2D()(x)", after)
    out = convert(text, C)
    assert (
        "        for block in self.blocks:\n"
        "            x = block(x)\n"
        "        previous_block_activation = x\n"
        "        x = self.dense(x)\n"
        "        return self.add([x, previous_block_activation])\n"
    ) in out
    _same_model(text, out)


def test_a_second_loop_that_goes_on_from_the_first_loops_second_variable_is_a_block_too() -> None:
    # The keras.io U-Net: the upsampling loop starts from ``previous_block_activation`` as the
    # downsampling loop left it, so both of its variables enter holding one tensor.
    second = """for filters in [8, 4]:
    x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
    x = layers.UpSampling2D(2)(x)
    residual = layers.UpSampling2D(2)(previous_block_activation)
    residual = layers.Conv2D(filters, 1)(residual)
    x = layers.add([x, residual])
    previous_block_activation = x
outputs = layers.GlobalAveragePooling2D()(x)"""
    text = XCEPTION.replace("outputs = layers.GlobalAveragePooling2D()(x)", second)
    graph = find_models(text)[0].graph
    lifted = loops_as_blocks(graph, lambda block, blocks: True, "")
    lint(lifted)
    loops = [node for node in lifted.body if isinstance(node, Loop)]
    assert [len(loop.carried) for loop in loops] == [1, 1]
    # The second loop starts from the first's output, which the model reads for both names.
    assert loops[1].carried[0].init == loops[0].carried[0].out
    # Two passes the loops do not name, one pooling and one upsampling: named by what they do.
    assert [block.name for block in lifted.blocks] == ["down_block", "up_block"]
    out = convert(text, C)
    assert "        self.down_blocks = [DownBlock(filters) for filters in [4, 8]]\n" in out
    assert "        self.up_blocks = [UpBlock(filters) for filters in [8, 4]]\n" in out
    assert "previous_block_activation" not in out.split("class MyModel")[1]
    _same_model(text, out)


def test_a_second_variable_that_leaves_a_pass_holding_another_tensor_keeps_the_lists() -> None:
    # ``previous_block_activation`` leaves each pass holding the pooled tensor, not the pass's output: no twin.
    text = XCEPTION.replace("    x = layers.add([x, residual])\n    previous_block_activation = x\n", "    previous_block_activation = x\n    x = layers.add([x, residual])\n")
    out = convert(text, C)
    assert "Block(layers.Layer)" not in out
    _same_model(text, out)


FLAT = """\
import keras
from keras import layers


class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.blocks = []
        self.norms = []
        for stage in range(2):
            for block in range(2):
                self.blocks.append(layers.Dense(4))
            self.norms.append(layers.LayerNormalization())

    def call(self, inputs):
        x = inputs
        {loop}
        return x


model = MyModel()
model(keras.Input(shape=(3,)))
"""


def test_a_flat_list_zipped_with_a_list_of_the_outer_loop_is_refused() -> None:
    # Zipped, the four blocks would pair with two norms and stop after two passes.
    text = FLAT.replace("{loop}", "for block, norm in zip(self.blocks, self.norms):\n            x = norm(block(x))")
    (line,) = refusal(text, F)
    assert "zips a list that nested loops filled" in line


def test_a_flat_list_zipped_with_the_outer_loops_iterable_is_refused() -> None:
    # zip stops at the shorter: two blocks of four, where the nested loops would run them all.
    text = FLAT.replace("{loop}", "for stage, block in zip(range(2), self.blocks):\n            x = block(x)")
    (line,) = refusal(text, F)
    assert "is not over layer lists made in __init__" in line


def test_a_flat_list_then_the_outer_loops_list_are_two_runs_of_the_outer_loop() -> None:
    text = FLAT.replace(
        "{loop}", "for block in self.blocks:\n            x = block(x)\n        for norm in self.norms:\n            x = norm(x)"
    )
    back = convert(text, F)
    assert (
        "for stage in range(2):\n"
        "    for block in range(2):\n"
        "        x = layers.Dense(4)(x)\n"
        "for stage in range(2):\n"
        "    x = layers.LayerNormalization()(x)\n"
    ) in back


def test_a_pass_that_reads_a_module_the_models_code_imports_stays_lists() -> None:
    # A module is no constructor argument: a block's get_config could not hold it.
    text = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    x = inputs
    from keras import activations
    for _ in range(2):
        x = layers.Dense(4, activation=activations.relu)(x)
        x = layers.Dense(4)(x)
        x = layers.Dense(4)(x)
    model = keras.Model(inputs, x)
    """
    out = convert(text, C)
    assert "Block(layers.Layer)" not in out and "self.dense1_layers" in out
    _same_model(text, out)


def test_a_pass_with_an_if_after_a_layer_is_a_block_and_the_file_imports_layer() -> None:
    # The ``if`` reads the pass's first layer's output; the file imports no ``keras`` to spell
    # ``keras.layers.Layer`` with, so ``Layer`` is imported beside the layers.
    text = """\
    from keras.models import Model
    from keras.layers import Input, Dense, BatchNormalization


    def build_tower(widths=(8, 4), bn=True):
        inputs = Input((6,))
        x = inputs
        for width in widths:
            x = Dense(width)(x)
            if bn:
                x = BatchNormalization()(x)
        for width in widths:
            x = Dense(width, activation="relu")(x)
            x = Dense(width)(x)
        return Model(inputs, x)
    """
    out = convert(text, C)
    assert out.startswith("from keras.models import Model\nfrom keras.layers import Input, Dense, BatchNormalization, Layer\n")
    assert "zip(" not in out
    assert (
        "    def call(self, x, training=None):\n"
        "        x = self.dense(x)\n"
        "        if self.bn:\n"
        "            x = self.bn_layer(x, training=training)\n"
        "        return x\n"
    ) in out
    # The model's second unnamed pass is numbered, as layers of one type are.
    assert "class TowerBlock(Layer):" in out and "class TowerBlock2(Layer):" in out
    assert "        self.tower_block_2s = [TowerBlock2(width) for width in widths]\n" in out
    assert convert(out, C) == out
    _same_model(text, out)


def test_passes_are_named_by_what_they_do_only_where_the_model_would_number_them() -> None:
    graph = find_models(XCEPTION)[0].graph
    # One pass the loop does not name: the model's block, however it pools.
    assert [block.name for block in loops_as_blocks(graph, lambda block, blocks: True, "net").blocks] == ["net_block"]
    # Two passes, the second neither pooling nor upsampling: numbered as before, not half named.
    second = """for filters in [8, 4]:
    x = layers.Conv2D(filters, 3, padding="same")(x)
    residual = layers.Conv2D(filters, 1)(previous_block_activation)
    x = layers.add([x, residual])
    previous_block_activation = x
outputs = layers.GlobalAveragePooling2D()(x)"""
    text = XCEPTION.replace("outputs = layers.GlobalAveragePooling2D()(x)", second)
    lifted = loops_as_blocks(find_models(text)[0].graph, lambda block, blocks: True, "net")
    assert [block.name for block in lifted.blocks] == ["net_block", "net_block_2"]
    # Two passes that both lower the resolution (a literal stride does too): numbered under their word.
    strided = text.replace('layers.Conv2D(filters, 3, padding="same")(x)\n    residual', 'layers.Conv2D(filters, 3, strides=(2, 2))(x)\n    residual')
    lifted = loops_as_blocks(find_models(strided)[0].graph, lambda block, blocks: True, "net")
    assert [block.name for block in lifted.blocks] == ["down_block", "down_block_2"]


NAMED_APPEND = """\
import keras
from keras import layers


class Stack(keras.Model):
    def __init__(self, widths=(16, 8), **kwargs):
        super().__init__(**kwargs)
        self.hidden = []
        for width in widths:
            dense = layers.Dense(width, activation="relu")
            self.hidden.append(dense)
        self.out = layers.Dense(1)

    def call(self, inputs):
        x = inputs
        for dense in self.hidden:
            x = dense(x)
        return self.out(x)


model = Stack()
model(keras.Input(shape=(4,)))
"""


def test_a_layer_named_in_the_pass_then_appended_is_appended_as_made() -> None:
    # ShawnyXiao's RCNNVariant: ``conv = Conv1D(...)`` then ``self.convs.append(conv)`` was refused.
    out = convert(NAMED_APPEND, F)
    assert "    for width in widths:\n        x = layers.Dense(width, activation=\"relu\")(x)\n" in out, out


def test_a_named_layer_the_pass_reads_again_is_refused() -> None:
    # ``dense`` read once more in the pass (``dense.trainable = False``): not only appended.
    text = NAMED_APPEND.replace("            self.hidden.append(dense)\n", "            self.hidden.append(dense)\n            dense.trainable = False\n")
    (line,) = refusal(text, F)
    assert line.startswith("m.py:9:9: error: a loop in __init__ can only append layers to a list"), line


def test_a_pass_counted_by_a_word_and_a_suffix_is_named_by_the_word() -> None:
    # kayua's MobileNet counts `for block_idx, filters in enumerate(...)`: its pass is a block,
    # not a `BlockIdx` whose list `self.block_idxs` call() iterated as `for block_idx in ...`.
    text = (
        "import keras\nfrom keras import layers\n\ninputs = keras.Input(shape=(8,))\nx = inputs\n"
        "for stage_idx, units in enumerate([4, 8]):\n"
        "    x = layers.Dense(units, name=f'dense_{stage_idx}')(x)\n    x = layers.Dropout(0.1)(x)\n"
        "model = keras.Model(inputs, x)\n"
    )
    out = convert(text, C)
    assert "class Stage(layers.Layer):\n" in out
    assert "Stage(stage_idx, units) for stage_idx, units in enumerate([4, 8])" in out
    assert "        for stage in self.stages:\n            x = stage(x)\n" in out
    assert convert(out, C) == out
    _same_model(text, out)


def test_a_pass_of_a_helper_named_a_block_is_that_blocks_layer() -> None:
    # The Coursera U-Net lab's `conv2d_block` runs `for i in range(2)` over a convolution and its
    # activation: its pass was a `Conv2dBlockBlock`.
    text = (
        "import keras\nfrom keras import layers\n\n\n"
        "def conv2d_block(x, n_filters):\n    for i in range(2):\n"
        "        x = layers.Conv2D(n_filters, 3, padding='same')(x)\n        x = layers.Activation('relu')(x)\n"
        "    return x\n\n\n"
        "inputs = keras.Input(shape=(8, 8, 3))\nx = conv2d_block(inputs, 4)\nx = conv2d_block(x, 8)\n"
        "model = keras.Model(inputs, x)\n"
    )
    out = convert(text, C)
    assert "class Conv2dBlockLayer(layers.Layer):\n" in out
    assert "        self.conv2d_block_layers = [Conv2dBlockLayer(n_filters) for _ in range(2)]\n" in out
    assert convert(out, C) == out
    _same_model(text, out)


def test_a_shape_hint_on_every_layer_a_loop_adds_is_the_input_and_no_parameter() -> None:
    # A Keras 2 habit: `input_shape=` on every layer a Sequential's loop adds (Renovamen's speech
    # CNN). The first pass's first layer gives the model its input, as Keras reads it: the subclass
    # was left unbuilt (`model.summary()` after the builder failed), and its block took `n` and
    # stored it, read nowhere, since a layer called on a tensor drops the hint.
    source = textwrap.dedent(
        """\
        import keras
        from keras import layers


        def build(n, widths):
            model = keras.Sequential()
            for width in widths:
                model.add(layers.Conv1D(width, 3, padding="same", input_shape=(n, 1)))
                model.add(layers.BatchNormalization())
                model.add(layers.Activation("relu"))
            model.add(layers.GlobalAveragePooling1D())
            return model
        """
    )
    converted = convert(source, C)
    block = """\
class Block(layers.Layer):
    def __init__(self, width, **kwargs):
        super().__init__(**kwargs)
        self.width = width
        self.conv = layers.Conv1D(width, 3, padding="same")
"""
    model = """\
class MyModel(keras.Model):
    def __init__(self, widths, **kwargs):
        super().__init__(**kwargs)
        self.widths = widths
        self.blocks = [Block(width) for width in widths]
"""
    built = """\
def build(n, widths):
    model = MyModel(widths=widths)
    model(keras.Input(shape=(n, 1)))
    return model
"""
    assert block in converted and model in converted and built in converted
    functional = convert(source, F)
    assert "    inputs = keras.Input(shape=(n, 1))\n    x = inputs\n    for width in widths:\n" in functional
