"""Keras Applications builders (issues 9 and 11): a head chosen by ``if``/``else``, an input chosen
by ``input_tensor``.

What converts is proven by the ``applications_head`` and ``applications_input`` fixtures; here are
the refusals that stay (each naming its line and remedy) and the pieces the builders exposed: a
lambda's parameter named like a helper's, a helper whose ``else`` reads its parameters.
"""

from __future__ import annotations

import textwrap

from kconvert.ir.lint import lint
from kconvert.parse import find_models
from kconvert.types import Style

from converting import convert, refusal

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS

CHOSEN_INPUT = """\
import keras
from keras import layers


def net(input_tensor=None, classes=10):
    if input_tensor is None:
        img_input = layers.Input(shape=(8,))
    else:
        img_input = input_tensor
    x = layers.Dense(classes)(img_input)
    if input_tensor is not None:
        inputs = keras.utils.get_source_inputs(input_tensor)
    else:
        inputs = img_input
    return keras.Model(inputs, x)
"""


def test_an_input_chosen_by_if_is_refused_by_the_styles_that_make_their_own_inputs() -> None:
    for target, style in ((C, "a subclassed"), (S, "a Sequential")):
        assert refusal(CHOSEN_INPUT, target) == [
            "m.py:6:5: error: the model input `img_input` is chosen by this `if` (a new Input, or a tensor"
            f" the caller gives): {style} model makes its own inputs, so it cannot be built on the caller's"
            " tensor (hint: keep this model Functional, or convert it to functional-subclass (a class that"
            " builds the same graph); if no caller passes `input_tensor`, build on the new Input alone and"
            " convert that)"
        ]


def test_an_input_chosen_by_if_stays_the_same_if_in_the_graph_class() -> None:
    out = convert(CHOSEN_INPUT, G)
    assert "    if input_tensor is None:\n            img_input = layers.Input(shape=(8,))\n" in out.replace(
        "        if input_tensor", "    if input_tensor"
    )
    assert "super().__init__(inputs=inputs, outputs=x, **kwargs)" in out
    # A tensor is no configuration: kept as a parameter, never stored nor returned by get_config.
    assert "self.input_tensor" not in out and '"input_tensor"' not in out
    (model,) = find_models(out)
    lint(model.graph)
    assert convert(out, G) == out


def test_an_if_that_also_makes_a_layer_is_not_an_input_choice() -> None:
    text = CHOSEN_INPUT.replace("img_input = input_tensor", "img_input = layers.Dense(8)(input_tensor)")
    (line,) = refusal(text, G)
    assert line.startswith("m.py:11:5: error: the model input `inputs` is chosen by this `if`")


HEAD_IN_BOTH = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, include_top=True, **kwargs):
        super().__init__(**kwargs)
        self.include_top = include_top
        self.body = layers.Dense(8)
        if include_top:
            self.head = layers.Dense(10)
        else:
            self.head = layers.Dense(4)

    def call(self, inputs):
        return self.head(self.body(inputs))


model = Net()
model(keras.Input(shape=(4,)))
"""


def test_an_attribute_made_in_both_branches_is_refused() -> None:
    # ``call()`` reads ``self.head`` under no test: which of the two layers it is, only running tells.
    assert refusal(HEAD_IN_BOTH, F) == [
        "m.py:10:9: error: `self.head` is made in more than one branch of this `if`, so it names a"
        " different layer in each (hint: give each branch's layer an attribute of its own)"
    ]


def test_sequential_writes_an_else_that_makes_layers() -> None:
    text = """\
    import keras
    from keras import layers


    def net(include_top=True):
        inputs = keras.Input(shape=(8,))
        x = layers.Dense(8)(inputs)
        if include_top:
            x = layers.Dense(10)(x)
        else:
            x = layers.Dense(4)(x)
        return keras.Model(inputs, x)
    """
    assert convert(text, S).endswith(
        "    model.add(layers.Dense(8))\n"
        "    if include_top:\n"
        "        model.add(layers.Dense(10))\n"
        "    else:\n"
        "        model.add(layers.Dense(4))\n"
        "    return model\n"
    )


def test_a_helper_argument_is_not_substituted_into_a_lambda_parameter_of_that_name() -> None:
    # Inception-ResNet's ``Lambda(lambda inputs, scale: ..., arguments={"scale": scale})``.
    text = """\
    import keras
    from keras import layers


    def scaled(x, scale):
        return layers.Lambda(lambda t, scale: t * scale, arguments={"scale": scale})(x)


    inputs = keras.Input(shape=(4,))
    x = scaled(inputs, 0.5)
    model = keras.Model(inputs, x)
    """
    (model,) = find_models(textwrap.dedent(text))
    (helper,) = [node.helper for node in model.graph.walk() if getattr(node, "helper", None)]
    (call,) = helper.body
    layer = model.graph.layer(call.layer)
    assert [arg.value.text for arg in layer.args] == ["lambda t, scale: t * scale", '{"scale": 0.5}']
    assert "lambda t, scale: t * scale" in convert(text, C)


def test_a_helper_argument_reaches_the_else_branch() -> None:
    text = """\
    import keras
    from keras import layers


    def block(x, rate, use_bn):
        if use_bn:
            x = layers.BatchNormalization()(x)
        else:
            x = layers.Dropout(rate)(x)
        return x


    def net(use_bn=False):
        inputs = keras.Input(shape=(4,))
        x = block(inputs, 0.3, use_bn)
        return keras.Model(inputs, x)
    """
    (model,) = find_models(textwrap.dedent(text))
    lint(model.graph)
    (helper,) = [node.helper for node in model.graph.walk() if getattr(node, "helper", None)]
    (cond,) = helper.body
    (dropout,) = cond.orelse
    assert [arg.value.text for arg in model.graph.layer(dropout.layer).args] == ["0.3"]


def test_a_layer_name_bound_differently_in_each_branch_is_refused_where_it_is_called_after() -> None:
    text = """\
    import keras
    from keras import layers


    def net(include_top=True):
        inputs = keras.Input(shape=(8,))
        x = layers.Dense(8)(inputs)
        if include_top:
            head = layers.Dense(10)
            x = layers.Dropout(0.1)(x)
        else:
            head = layers.Dense(4)
            x = layers.Dropout(0.2)(x)
        x = head(x)
        return keras.Model(inputs, x)
    """
    for target in (C, G):
        assert refusal(text, target) == [
            "m.py:14:9: error: `head` is a different layer depending on which branch of the `if` on line 8"
            " ran (hint: call the layer inside each branch)"
        ]


def test_a_layer_name_bound_and_called_in_each_branch_converts() -> None:
    text = """\
    import keras
    from keras import layers


    def net(include_top=True):
        inputs = keras.Input(shape=(8,))
        x = layers.Dense(8)(inputs)
        if include_top:
            head = layers.Dense(10)
            x = head(x)
        else:
            head = layers.Dense(4)
            x = head(x)
        return keras.Model(inputs, x)
    """
    out = convert(text, C)
    # Both layers are ``head`` in the source: numbered by that name, not one ``head`` and one ``dense``.
    assert "        if self.include_top:\n            x = self.head_1(x)\n        else:\n            x = self.head_2(x)\n" in out
    (model,) = find_models(out)
    lint(model.graph)
    assert convert(out, C) == out


def test_inputs_chosen_by_a_conditional_expression_are_named_as_such() -> None:
    # n-beats: `inputs_x = [x, e] if self.has_exog() else x` was refused as "another model's
    # tensor (`self.has_exog`)": the first attribute the line reads, taken for a model's.
    text = """\
    import keras
    from keras import layers


    def build(with_extra):
        x = keras.Input(shape=(4,))
        e = keras.Input(shape=(2,))
        y = layers.Dense(3)(x)
        inputs = [x, e] if with_extra else x
        return keras.Model(inputs, y)
    """
    for target in (S, C, G):
        assert refusal(text, target) == [
            "m.py:9:14: error: the model inputs `inputs` are chosen by `with_extra` when the code runs, which"
            " kconvert does not write in another style (hint: keep this model Functional (--model picks the"
            " models to convert))"
        ]


def test_an_input_rebound_by_an_if_among_the_layers_is_named_with_the_remedy() -> None:
    # Deep-RL-Keras's DQN: a vector input, made again for images in an `if` that also adds the
    # conv layers. The `else` reads `x` its own first line binds: no early read (it was refused as
    # "`if ...:` reads `x` before line 13 binds it"); the refusal names the rebound input.
    text = """\
    import keras
    from keras.layers import Input, Dense, Flatten


    def network(state_dim, action_dim):
        inp = Input(state_dim)
        if len(state_dim) > 2:
            inp = Input(state_dim[1:])
            x = Flatten()(inp)
        else:
            x = Flatten()(inp)
            x = Dense(64, activation="relu")(x)
        x = Dense(action_dim)(x)
        return keras.Model(inp, x)
    """
    for target in (S, C):
        assert refusal(text, target) == [
            "m.py:14:24: error: the model's inputs `inp` are rebound among the model's lines (by an `if` or a"
            " loop), so the model is not built on one keras.Input tensor (hint: make the input once, with"
            " keras.Input, and choose its shape with an expression (`shape = ... if ... else ...`), or keep"
            " this model Functional)"
        ]
    # A branch that reads a name before anything binds it is still an early read.
    early = text.replace("            x = Flatten()(inp)\n        else", "            x = Flatten()(x)\n        else")
    assert refusal(early, C) == [
        "m.py:7:5: error: `if len(state_dim) > 2:` reads `x` before line 13 binds it (hint: move it below the"
        " line that binds `x`)"
    ]


FIRST_APPLICATION = """\
import keras
from keras import layers

model = keras.Sequential(
    [
        keras.applications.MobileNetV2(alpha=0.35, weights=None, classes=3, input_shape=(32, 32, 3)),
        layers.Dense(2),
    ]
)
"""


def test_an_application_listed_first_keeps_its_input_shape_and_gives_it_to_the_input() -> None:
    # A layer's ``input_shape=`` moves to the Input; an application's sizes the network it makes
    # (without it, 224x224 images), so it stays too, and the way back reads the same graph.
    kept = "keras.applications.MobileNetV2(\n{0}alpha=0.35, weights=None, classes=3, input_shape=(32, 32, 3)\n"
    for target, indent in ((F, 4), (C, 12), (G, 12)):
        out = convert(FIRST_APPLICATION, target)
        assert kept.format(" " * indent) in out, out
        assert "keras.Input(shape=(32, 32, 3))" in out
        back = convert(out, S)
        assert kept.format(" " * 12) in back and "keras.Input(shape=(32, 32, 3))," in back, back


BUILT_ON_INPUT = """\
import keras
from keras import layers


def unet_head(input_shape):
    inputs = keras.Input(input_shape)
    vgg = keras.applications.VGG16(include_top=False, weights=None, input_tensor=inputs)
    skip = vgg.get_layer("block1_conv2").output
    x = layers.Conv2DTranspose(64, 2, strides=2, padding="same")(vgg.get_layer("block2_conv2").output)
    x = layers.Concatenate()([x, skip])
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


model = unet_head((32, 32, 3))
"""


def test_an_application_built_on_the_input_is_refused_by_a_subclass() -> None:
    # call() would make a new VGG16 at each call, on a tensor Keras will not build one on (the
    # conversion used to exit 0 with a model that could not be built).
    assert refusal(BUILT_ON_INPUT, C) == [
        "m.py:7:11: error: `vgg` is a ready-made model built on a tensor of the model (`input_tensor=`), a part of"
        " this model's graph that a subclass's call() cannot make (hint: keep the Functional API, or convert it"
        " to functional-subclass (a class that builds the same graph))"
    ]
    assert "input_tensor=inputs" in convert(BUILT_ON_INPUT, G)
