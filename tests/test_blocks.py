"""Helper blocks (issue 10): one definition in the IR, a Layer class in a subclass, and back."""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import replace

import libcst as cst
import pytest

from kconvert.convert import convert_source
from kconvert.ir.lint import LintError, lint
from kconvert.ir.nodes import Op
from kconvert.ir.source_text import Code
from kconvert.parse import find_models
from kconvert.rewrite.shared_classes import LayerClasses, clashes, without_copies
from kconvert.types import Converted, Options, Style

HELPER = """\
    import keras
    from keras import layers


    def conv_block(x, filters, rate=0.1):
        x = layers.Conv1D(filters, 3, padding="same")(x)
        return layers.Dropout(rate)(x)


    inputs = keras.Input(shape=(12, 4))
    x = conv_block(inputs, 8)
    x = conv_block(x, 16, rate=0.2)
    outputs = layers.GlobalAveragePooling1D()(x)
    model = keras.Model(inputs, outputs)
    """


def _graph(source: str):
    (model,) = find_models(textwrap.dedent(source))
    assert model.problem is None, model.problem.render()
    lint(model.graph)
    return model.graph


def _subclass(source: str) -> str:
    result = convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    return result.source


def _helper_ops(graph):
    return [node for node in graph.walk() if isinstance(node, Op) and node.helper is not None]


def test_a_helper_is_one_block_with_its_parameters_and_each_call_names_it() -> None:
    graph = _graph(HELPER)
    (block,) = graph.blocks
    assert block.name == "conv_block"
    assert [(param.name, param.default.text if param.default else None) for param in block.graph.params] == [
        ("filters", None),
        ("rate", "0.1"),
    ]
    assert [node.name for node in block.graph.inputs_in_order()] == ["x"]
    # The body reads the parameters by name: one definition for every call.
    assert [arg.value.text for layer in block.graph.layers for arg in layer.args][:1] == ["filters"]
    calls = _helper_ops(graph)
    assert [node.helper.block for node in calls] == ["conv_block", "conv_block"]
    assert [[(arg.keyword, arg.value.text) for arg in node.helper.args] for node in calls] == [
        [(None, "8")],
        [(None, "16"), ("rate", "0.2")],
    ]


def test_lint_checks_calls_of_blocks() -> None:
    graph = _graph(HELPER)
    first = _helper_ops(graph)[0]
    unknown = replace(first, helper=replace(first.helper, block="missing"))
    with pytest.raises(LintError, match="unknown block"):
        lint(replace(graph, body=tuple(unknown if node is first else node for node in graph.body)))
    (block,) = graph.blocks
    ((name, value),) = block.graph.outputs.refs
    # The block returns two tensors where its calls take one.
    two = replace(block.graph, outputs=Code(f"({name}, {name})", ((name, value), (name, value))))
    with pytest.raises(LintError, match="its block returns 2"):
        lint(replace(graph, blocks=(replace(block, graph=two),)))


def test_the_helper_becomes_a_layer_class_and_goes_when_nothing_calls_it() -> None:
    out = _subclass(HELPER)
    assert "class ConvBlock(layers.Layer):" in out
    assert "def __init__(self, filters, rate=0.1, **kwargs):" in out
    assert 'return {**super().get_config(), "filters": self.filters, "rate": self.rate}' in out
    assert "self.conv_block_1 = ConvBlock(8)" in out and "self.conv_block_2 = ConvBlock(16, rate=0.2)" in out
    assert "def conv_block(" not in out


def test_a_helper_written_out_goes_when_nothing_calls_it() -> None:
    # A helper no Layer class can stand for (its ``training`` parameter is the Layer's own
    # argument's name) is written out in the subclass (it was made a Layer class holding the flag,
    # which the safety check caught): the function was left behind, unused.
    source = """\
    import keras
    from keras import layers


    def norm_block(x, units, training=True):
        x = layers.Dense(units)(x)
        return layers.BatchNormalization()(x, training=training)


    inputs = keras.Input(shape=(4,))
    outputs = norm_block(inputs, 8)
    model = keras.Model(inputs, outputs)
    """
    result = convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert "self.norm_block1_bn(x, training=True if training is None else training)" in result.source
    assert "def norm_block(" not in result.source


def test_a_helper_the_rest_of_the_file_still_calls_stays() -> None:
    source = HELPER + """\


    def features(shape):
        return conv_block(keras.Input(shape=shape), 4)
    """
    result = convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(), "m.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert "def conv_block(" in result.source and "class ConvBlock(layers.Layer):" in result.source


MERGE = """\
    import keras
    from keras import layers


    def merge(a, b, units):
        return layers.Dense(units)(layers.concatenate([a, b]))


    left = keras.Input(shape=(4,))
    right = keras.Input(shape=(4,))
    outputs = merge(left, right, 3)
    model = keras.Model([left, right], outputs)
    """


def test_a_block_of_two_tensors_takes_each_as_an_argument_of_call() -> None:
    out = _subclass(MERGE)
    assert "class Merge(layers.Layer):" in out
    assert "    def call(self, a, b, training=None):\n        x = self.concatenate([a, b])\n" in out
    assert "        self.merge = Merge(3)\n" in out
    assert "        left, right = inputs\n        return self.merge(left, right)\n" in out
    assert "def merge(" not in out


def test_a_model_named_as_a_block_leaves_the_name_to_the_model() -> None:
    # The file conv_block.py names the model ``ConvBlock`` too: the block's class gives way, or
    # the model would make an instance of itself in __init__.
    result = convert_source(textwrap.dedent(HELPER), Style.SUBCLASS, Options(), "conv_block.py")
    assert isinstance(result, Converted), [d.render() for d in result.diagnostics]
    assert "class ConvBlockLayer(layers.Layer):" in result.source
    assert "class ConvBlock(keras.Model):" in result.source
    assert "ConvBlockLayer(8)" in result.source and "ConvBlockLayer(16, rate=0.2)" in result.source


TWO_BUILDERS = """\
    import keras
    from keras import layers


    def conv_bn(x, filters):
        x = layers.Conv2D(filters, 3, padding="same")(x)  # no bias needed
        return layers.BatchNormalization()(x)


    def build_small(input_shape):
        inputs = keras.Input(shape=input_shape)
        x = conv_bn(inputs, 8)
        for stage in range(2):
            y = conv_bn(x, 8)
            x = layers.Add()([x, y])
        return keras.Model(inputs, x)


    def build_wide(input_shape):
        inputs = keras.Input(shape=input_shape)
        x = conv_bn(inputs, 16)
        for stage in range(2):
            y = conv_bn(x, 16)
            y = layers.Activation("relu")(y)
            x = layers.Add()([x, y])
        return keras.Model(inputs, x)


    small = build_small((8, 8, 3))
    wide = build_wide((8, 8, 3))
    """


def test_two_models_of_one_helper_make_one_class_of_it() -> None:
    # Keras' cifar10_resnet: resnet_v1 and resnet_v2 both call resnet_layer.  The helper is one
    # class both models make; the loop passes, alike in name but not in layers, are two.
    out = _subclass(TWO_BUILDERS)
    assert out.count("class ConvBN(layers.Layer):") == 1 and "ConvBNLayer" not in out
    assert "        self.conv_bn = ConvBN(8)\n        self.stages = [Stage() for _ in range(2)]\n" in out
    assert "        self.conv_bn = ConvBN(16)\n        self.stages = [StageLayer() for _ in range(2)]\n" in out
    assert "class Stage(layers.Layer):" in out and "class StageLayer(layers.Layer):" in out
    assert _subclass(out) == out
    back = convert_source(out, Style.FUNCTIONAL, Options(), "m.py")
    assert isinstance(back, Converted), [d.render() for d in back.diagnostics]
    assert "    x = ConvBN(8)(inputs)\n" in back.source and "    x = ConvBN(16)(inputs)\n" in back.source


def test_a_helper_defined_again_alike_is_one_class_and_its_comments_are_that_classs() -> None:
    # A script made of notebook cells defines the helper again before its second model: the
    # copy left out held the second definition's comment, which is the kept class's now.
    helper = TWO_BUILDERS[TWO_BUILDERS.index("    def conv_bn(") : TWO_BUILDERS.index("    def build_small(")]
    source = TWO_BUILDERS.replace("    def build_wide(", helper + "    def build_wide(")
    out = _subclass(source)
    assert out.count("class ConvBN(layers.Layer):") == 1
    assert out.count("# no bias needed") == 1 and "        x = self.conv(x)  # no bias needed\n" in out


def test_a_layer_made_from_an_inner_tensor_shape_is_no_block() -> None:
    source = """\
        import keras
        from keras import layers


        def widen(x):
            h = layers.Dense(8)(x)
            return layers.Dense(h.shape[-1] * 2)(h)


        inputs = keras.Input(shape=(4,))
        outputs = widen(inputs)
        model = keras.Model(inputs, outputs)
        """
    result = convert_source(textwrap.dedent(source), Style.SUBCLASS, Options(), "m.py")
    assert not isinstance(result, Converted)
    assert "sized by a tensor's shape in `widen`, which is written out" in result.diagnostics[0].message


def test_a_subclass_block_layer_reads_back_as_the_same_graph_as_its_helper() -> None:
    out = _subclass(HELPER)
    again = convert_source(out, Style.FUNCTIONAL, Options(), "m.py")
    assert isinstance(again, Converted), [d.render() for d in again.diagnostics]
    assert "x = ConvBlock(8)(inputs)" in again.source
    assert "x = ConvBlock(16, rate=0.2)(x)" in again.source


def test_the_layer_base_is_spelled_as_the_file_imports_keras() -> None:
    source = """\
        import tensorflow as tf


        def block(x, units):
            return tf.keras.layers.Dense(units)(x)


        inputs = tf.keras.Input(shape=(8,))
        x = block(inputs, 8)
        outputs = block(x, 4)
        model = tf.keras.Model(inputs, outputs)
        """
    assert "class Block(tf.keras.layers.Layer):" in _subclass(source)
    assert "class ConvBlock(layers.Layer):" in _subclass(HELPER)


def test_a_helpers_name_parameter_is_its_layer_classs_own_name() -> None:
    # The block is named as its layers are prefixed: Keras' ``name``, passed to the base Layer,
    # which ``get_config()`` saves; never stored as ``self.name``.
    source = """\
        import keras
        from keras import layers


        def dense_block(x, units, name):
            return layers.Dense(units, name=name + "_dense")(x)


        inputs = keras.Input(shape=(8,))
        x = dense_block(inputs, 8, "first")
        outputs = dense_block(x, 4, "second")
        model = keras.Model(inputs, outputs)
        """
    out = _subclass(source)
    assert (
        "    def __init__(self, units, name, **kwargs):\n"
        "        super().__init__(name=name, **kwargs)\n"
        "        self.units = units\n"
        '        self.dense = layers.Dense(units, name=name + "_dense")\n'
    ) in out
    assert "self.name" not in out
    assert '        self.dense_block_1 = DenseBlock(8, "first")\n' in out


def test_a_helper_with_a_parameter_the_layer_has_is_written_out() -> None:
    # ``self.trainable = trainable`` would set the Layer's own flag: the helper stays a function.
    source = """\
        import keras
        from keras import layers


        def dense_block(x, units, trainable):
            return layers.Dense(units, trainable=trainable)(x)


        inputs = keras.Input(shape=(8,))
        x = dense_block(inputs, 8, False)
        outputs = dense_block(x, 4, True)
        model = keras.Model(inputs, outputs)
        """
    out = _subclass(source)
    assert "(layers.Layer)" not in out
    assert "layers.Dense(8, trainable=False)" in out


def test_a_helper_that_calls_a_parameter_is_no_block() -> None:
    source = """\
        import keras
        from keras import layers


        def dense_block(x, units, norm=None):
            x = layers.Dense(units)(x)
            if norm is not None:
                x = norm(x)
            return x


        inputs = keras.Input(shape=(6,))
        x = dense_block(inputs, 8)
        x = dense_block(x, 4, norm=layers.BatchNormalization())
        model = keras.Model(inputs, x)
        """
    graph = _graph(source)
    assert graph.blocks == () and all(node.helper.block is None for node in _helper_ops(graph))
    out = _subclass(source)
    assert "(layers.Layer)" not in out and "self.dense_block2_bn" in out


def test_a_later_call_that_passes_a_layer_object_unmakes_the_block_of_earlier_calls() -> None:
    source = """\
        import keras
        from keras import layers

        shared = layers.Dense(2)


        def per_step(x, inner):
            return layers.TimeDistributed(inner)(x)


        inputs = keras.Input(shape=(5, 6))
        x = per_step(inputs, shared)
        x = per_step(x, layers.Dense(3))
        model = keras.Model(inputs, x)
        """
    graph = _graph(source)
    assert graph.blocks == ()
    assert [node.helper.block for node in _helper_ops(graph)] == [None, None]


PAIRS = """\
    import keras
    from keras import layers


    def down_block(inputs, filters):
        conv = layers.Conv2D(filters, 3, padding="same")(inputs)
        pooled = layers.MaxPooling2D()(conv)
        return {returned}


    inputs = keras.Input(shape=(16, 16, 3))
    {first}
    {second}
    outputs = layers.Concatenate()([layers.UpSampling2D()(p2), c2])
    model = keras.Model(inputs, outputs)
    """


@pytest.mark.parametrize(
    ("returned", "first", "second", "calls"),
    [
        # The U-Net down block: the pair unpacked where it is made.
        (
            "pooled, conv",
            "p1, c1 = down_block(inputs, 4)",
            "p2, c2 = down_block(p1, 8)",
            ["p1, c1 = self.down_block_1(inputs)", "p2, c2 = self.down_block_2(p1)"],
        ),
        # Bound to one name and indexed where it is read (``block1[0]``), a list as well as a tuple.
        (
            "[pooled, conv]",
            "block1 = down_block(inputs, 4)",
            "p2, c2 = down_block(block1[0], 8)",
            ["block1 = self.block1(inputs)", "p2, c2 = self.down_block(block1[0])"],
        ),
    ],
)
def test_a_helper_returning_two_tensors_is_a_layer_class_returning_them(returned, first, second, calls) -> None:
    source = PAIRS.format(returned=returned, first=first, second=second)
    out = _subclass(source)
    assert "class DownBlock(layers.Layer):" in out and "def down_block(" not in out
    assert f"        return {returned}\n" in out, "the block returns the tensors as the function did"
    for call in calls:
        assert f"        {call}\n" in out
    back = convert_source(out, Style.FUNCTIONAL, Options(), "m.py")
    assert isinstance(back, Converted) and "class DownBlock(layers.Layer):" in back.source
    assert "DownBlock(8)(" in back.source


def test_a_helper_called_on_an_element_of_a_list_of_tensors_is_a_block_called_on_it() -> None:
    # Written out, the call bound its parameter first (``x = skips[-1]``); as a block the model's
    # call() passes the element, and reading it back binds it so again (the safety check agrees).
    source = """\
        import keras
        from keras import layers


        def conv_block(x, filters):
            x = layers.Conv2D(filters, 3, padding="same")(x)
            return layers.ReLU()(x)


        inputs = keras.Input(shape=(16, 16, 3))
        skips = []
        x = inputs
        for f in [4, 8]:
            x = conv_block(x, f)
            skips.append(x)
            x = layers.MaxPooling2D()(x)
        y = conv_block(skips[-1], 8)
        outputs = layers.GlobalAveragePooling2D()(y)
        model = keras.Model(inputs, outputs)
        """
    out = _subclass(source)
    assert "        self.conv_blocks = [ConvBlock(f) for f in [4, 8]]\n" in out
    assert "        y = self.conv_block(skips[-1])\n" in out


def test_a_layer_class_made_again_with_its_helpers_comments_above_is_no_new_class() -> None:
    # The last model to call a helper writes the comments above the helper (``# GRADED FUNCTION:
    # upsampling_block``) above its class; an earlier model's class has none.  The same class
    # for all that: not a second one named ``UpsamplingBlockLayer``.  Its comments are not the
    # kept class's, so the rewriter must still keep them.
    code = "class Up(layers.Layer):\n    def call(self, x):\n        return x  # as is\n"
    earlier = tuple(cst.parse_module(code).body)
    # (Below a statement: libcst gives the comments opening a file to the module, not its class.)
    later = tuple(cst.parse_module("pass\n# GRADED FUNCTION: up\n" + code).body[1:])
    assert later[0].leading_lines
    classes = LayerClasses()
    assert without_copies(earlier, "layers.Layer", classes) == earlier
    assert clashes(later, "layers.Layer", classes) == frozenset()
    assert without_copies(later, "layers.Layer", classes) == ()
    assert classes.merged == Counter({"# as is": 1})


def test_a_string_joined_to_a_parameter_is_folded_where_the_helper_is_written_out() -> None:
    # ``prefix + "_dense"`` with ``prefix="first"`` is the name Keras sees: written as one string.
    source = """\
        import keras
        from keras import layers


        def dense_block(x, units, prefix, trainable):
            x = layers.Dense(units, name=prefix + "_dense", trainable=trainable)(x)
            return layers.ReLU(name="act_" + prefix)(x)


        inputs = keras.Input(shape=(8,))
        x = dense_block(inputs, 8, "first", True)
        outputs = dense_block(x, 4, 'second', False)
        model = keras.Model(inputs, outputs)
        """
    out = _subclass(source)
    assert 'layers.Dense(8, name="first_dense", trainable=True)' in out
    assert 'layers.ReLU(name="act_second")' in out
