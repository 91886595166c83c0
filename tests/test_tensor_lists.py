"""Python lists of tensors in a model's code (issue 9): WaveNet skip outputs, feature lists.

The U-Net of ``fixtures/unet_skips`` proves every style in TensorFlow; these
minimal models of our own pin the other shapes of the idea (a list summed by
``Add()``, filled under an ``if``, started with a tensor, read by a loop over
it alone), what stays a plain list, and what stays refused.  Expected outputs
are written by hand.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from kconvert.graph import picture
from kconvert.ir.lint import LintError, lint
from kconvert.ir.nodes import Op, Stmt
from kconvert.ir.source_text import Code, Loc
from kconvert.parse import find_models
from kconvert.types import Style

from converting import C, F, S, convert, refusal

FS = Style.FUNCTIONAL_SUBCLASS

WAVENET = """\
import keras
from keras import layers


def residual_block(x, filters, dilation_rate):
    z = layers.Conv1D(2 * filters, 2, padding="causal", dilation_rate=dilation_rate)(x)
    z = layers.Conv1D(filters, 1)(z)
    return layers.Add()([z, x]), z


inputs = keras.Input(shape=[None, 4])
x = layers.Conv1D(8, 2, padding="causal")(inputs)
skips = []
for dilation_rate in [1, 2, 4]:
    x, skip = residual_block(x, 8, dilation_rate)
    skips.append(skip)
x = layers.Activation("relu")(layers.Add()(skips))
outputs = layers.Conv1D(3, 1)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
"""

WAVENET_CALL = """\
    def call(self, inputs, training=None):
        x = self.conv1(inputs)
        skips = []
        for residual_block in self.residual_blocks:
            x, skip = residual_block(x)
            skips.append(skip)
        x = self.add(skips)
        x = self.activation(x)
        return self.conv2(x)
"""


def _lifted(text: str):
    models = find_models(textwrap.dedent(text))
    for model in models:
        assert model.problem is None, model.problem.render()
        lint(model.graph)
    return models


def test_a_wavenet_list_of_skips_summed_by_add_is_filled_in_call() -> None:
    subclass = convert(WAVENET, C)
    assert WAVENET_CALL in subclass
    assert "self.residual_blocks = [\n            ResidualBlock(8, dilation_rate) for dilation_rate in [1, 2, 4]\n        ]" in subclass
    back = convert(subclass, F)
    assert (
        "\nskips = []\n"
        "for dilation_rate in [1, 2, 4]:\n"
        "    x, skip = ResidualBlock(8, dilation_rate)(x)\n"
        "    skips.append(skip)\n"
        "x = layers.Add()(skips)\n"
    ) in back
    _lifted(subclass)
    _lifted(back)


def test_a_wavenet_list_stays_in_init_of_a_functional_subclass() -> None:
    converted = convert(WAVENET, FS)
    assert (
        "        skips = []\n"
        "        for dilation_rate in [1, 2, 4]:\n"
        "            x, skip = residual_block(x, 8, dilation_rate)\n"
        "            skips.append(skip)\n"
        "        x = layers.Activation(\"relu\")(layers.Add()(skips))\n"
    ) in converted


def test_the_list_is_a_graph_value_that_each_append_changes() -> None:
    (model,) = _lifted(WAVENET)
    made, loop = model.graph.body[2], model.graph.body[3]
    assert isinstance(made, Op) and made.expr.text == "[]" and made.name == "skips"
    assert [carried.name for carried in loop.carried] == ["x", "skips"]
    append = loop.body[-1]
    assert append.changes == loop.carried[1].param and append.out == loop.carried[1].result
    assert append.expr.text.endswith(".append(" + append.expr.refs[1][0] + ")")


def test_lint_refuses_a_change_that_does_not_read_its_list() -> None:
    (model,) = _lifted(WAVENET)
    wrong = Op("v999", Code("[]"), Loc(1, 1), "skips", changes=model.graph.body[2].out)
    graph = replace(model.graph, body=model.graph.body + (wrong,))
    with pytest.raises(LintError, match="does not read it"):
        lint(graph)


def test_a_list_filled_under_an_if_and_returned_as_outputs() -> None:
    source = """\
        import keras
        from keras import layers


        def build(use_extra=False):
            inputs = keras.Input(shape=(8,))
            heads = []
            x = layers.Dense(8)(inputs)
            heads.append(x)
            if use_extra:
                x = layers.Dense(4)(x)
                heads.append(x)
            return keras.Model(inputs, heads)


        model = build()
        """
    subclass = convert(source, C)
    assert (
        "    def call(self, inputs, training=None):\n"
        "        heads = []\n"
        "        x = self.dense1(inputs)\n"
        "        heads.append(x)\n"
        "        if self.use_extra:\n"
        "            x = self.dense2(x)\n"
        "            heads.append(x)\n"
        "        return heads\n"
    ) in subclass
    _lifted(convert(subclass, F))


def test_a_list_started_with_a_tensor_is_made_where_it_was() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = layers.Dense(8)(inputs)
        feats = [x]
        x = layers.Dense(8)(x)
        feats.append(x)
        outputs = layers.Concatenate()(feats)
        model = keras.Model(inputs, outputs)
        """
    assert (
        "        x = self.dense1(inputs)\n"
        "        feats = [x]\n"
        "        x = self.dense2(x)\n"
        "        feats.append(x)\n"
        "        return self.concatenate(feats)\n"
    ) in convert(source, C)


def test_a_loop_over_the_list_alone_without_layers_converts() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = inputs
        skips = []
        for units in [8, 8]:
            x = layers.Dense(units)(x)
            skips.append(x)
        for skip in skips:
            x = x + skip
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """
    subclass = convert(source, C)
    assert "        for skip in skips:\n            x = x + skip\n" in subclass
    assert "\nfor skip in skips:\n    x = x + skip\n" in convert(subclass, F)


def test_a_list_of_sizes_stays_a_plain_statement() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        sizes = []
        for units in [4, 8]:
            sizes.append(units * 2)
        x = layers.Dense(sizes[0])(inputs)
        outputs = layers.Dense(sizes[1])(x)
        model = keras.Model(inputs, outputs)
        """
    subclass = convert(source, C)
    # The sizes are made in __init__, where the layers that read them are made.
    assert (
        "        sizes = []\n"
        "        for units in [4, 8]:\n"
        "            sizes.append(units * 2)\n"
        "        self.dense1 = layers.Dense(sizes[0])\n"
    ) in subclass
    assert "sizes" not in subclass.split("def call")[1]


def test_a_second_name_for_a_list_of_tensors_is_refused() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = inputs
        skips = []
        for units in [4, 8]:
            x = layers.Dense(units)(x)
            skips.append(x)
        kept = skips
        kept.append(inputs)
        outputs = layers.Concatenate()(skips)
        model = keras.Model(inputs, outputs)
        """
    assert refusal(source, C) == [
        "m.py:10:8: error: `kept = skips` gives a list of tensors a second name"
        " (hint: use `skips` itself, or copy it with `list(skips)`)"
    ]


def test_layers_made_once_per_tensor_of_the_list_are_refused_for_a_subclass() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = inputs
        skips = []
        for units in [8, 8]:
            x = layers.Dense(units)(x)
            skips.append(x)
        for skip in skips:
            x = layers.Add()([x, skip])
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """
    (message,) = refusal(source, C)
    assert message.startswith("m.py:10:1: error: the loop makes layers once per tensor of a list")
    # A graph made in __init__ makes as many as the list holds.
    assert "        for skip in skips:\n            x = layers.Add()([x, skip])\n" in convert(source, FS)


def test_a_list_of_skips_is_refused_for_sequential() -> None:
    assert refusal(WAVENET, S) == [
        "m.py:13:1: error: `skips` is a list of tensors the model fills and reads again (skip connections, parallel branches);"
        " a Sequential model is one chain of layers"
        " (hint: keep this model in the Functional API, or convert it to a subclass)"
    ]


def test_the_picture_draws_each_skip_into_the_concatenate_that_reads_it() -> None:
    fixture = Path(__file__).parent / "fixtures" / "unet_skips" / "functional.py"
    drawing = picture(find_models(fixture.read_text()))
    down, up = drawing.clusters[0].children
    assert down.label == "for filters in [32, 64] (line 15)"
    assert up.label == "for filters, skip in zip([32, 16], reversed(skips)) (line 20)"
    (append,) = [box for box in down.boxes if box.label.startswith("skips.append(x)")]
    (concatenate,) = [box for box in up.boxes if box.label.startswith("Concatenate()")]
    assert any(arrow.source == append.id and arrow.target == concatenate.id for arrow in drawing.arrows)


def test_a_list_of_numbers_computed_in_a_loop_of_layers_stays_a_plain_statement() -> None:
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = inputs
        sizes = []
        for i in range(2):
            n = 4 * (i + 1)
            sizes.append(n)
            x = layers.Dense(n)(x)
        outputs = layers.Dense(sizes[-1])(x)
        model = keras.Model(inputs, outputs)
        """
    (model,) = _lifted(source)
    assert Stmt("sizes = []", Loc(6, 1)) in model.graph.body
    assert not [node for node in model.graph.walk() if isinstance(node, Op) and node.name == "sizes"]


def test_a_tensor_put_into_a_dict_by_key_is_refused_by_name() -> None:
    # The keras-hub FeaturePyramidBackbone's ``pyramid_outputs[f"P{index}"] = x``.
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = inputs
        pyramid = {}
        for index in [2, 3]:
            x = layers.Dense(8)(x)
            pyramid[f"P{index}"] = x
        model = keras.Model(inputs, pyramid)
        """
    assert refusal(source, C) == [
        'm.py:9:5: error: `pyramid[f"P{index}"] = ...` puts a tensor into a dict (or list) by key, which'
        " kconvert does not follow yet (hint: collect the tensors in a list with `.append(...)`, or keep"
        " this model in its current style)"
    ]


def test_a_subclass_zipping_a_literal_layer_list_with_tensors_keeps_that_loop() -> None:
    # A literal list of layers is unrolled pass by pass; zipped with tensors, which no unrolling
    # follows, it is bound where the loop stands and the loop kept over it (it used to be refused).
    source = """\
        import keras
        from keras import layers


        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.downs = [layers.Dense(8), layers.Dense(8)]
                self.adds = [layers.Add(), layers.Add()]
                self.head = layers.Dense(1)

            def call(self, inputs):
                x = inputs
                skips = []
                for down in self.downs:
                    skips.append(x)
                    x = down(x)
                for add, skip in zip(self.adds, skips):
                    x = add([x, skip])
                return self.head(x)


        model = Net()
        model(keras.Input(shape=(8,)))
        """
    assert convert(source, F) == textwrap.dedent(
        """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        adds = [layers.Add(), layers.Add()]
        skips = []
        skips.append(inputs)
        x = layers.Dense(8)(inputs)
        skips.append(x)
        x = layers.Dense(8)(x)
        for add, skip in zip(adds, skips):
            x = add([x, skip])
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    )
