"""Idioms of real model code found by session 21's fresh sample (issue 9).

Each case is a small model of our own with the idea of a public file from the
real-code measure (``benchmarks/realworld/``, ``session = "fresh21"``): the
expected output is checked by hand, or the refusal must name the line.
"""

from __future__ import annotations

import pytest

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS
FS = Style.FUNCTIONAL_SUBCLASS

# A notebook export's builder: the input shape reads a value the builder computes, with a
# default changed under an ``if`` on its options, and the layers read another such value.
OPTIONS_BUILDER = """\
import keras


def init(param):
    steps = 3
    units = 30
    if "options" in param:
        if "steps" in param["options"]:
            steps = int(param["options"]["steps"])
        if "units" in param["options"]:
            units = int(param["options"]["units"])
    model = keras.Sequential()
    model.add(keras.layers.LSTM(units, input_shape=(steps, 1)))
    model.add(keras.layers.Dense(1))
    return model
"""


def test_statements_the_input_shape_reads_are_written_again_before_the_build_line() -> None:
    # Before: caught (internal error): the statements went into __init__, where the line that
    # builds the instance, `model(keras.Input(shape=(steps, 1)))`, could not read `steps`.
    assert convert(OPTIONS_BUILDER, C) == """\
import keras


@keras.saving.register_keras_serializable(package="m")
class Init(keras.Model):
    def __init__(self, param, **kwargs):
        super().__init__(**kwargs)
        self.param = param
        steps = 3
        units = 30
        if "options" in param:
            if "steps" in param["options"]:
                steps = int(param["options"]["steps"])
            if "units" in param["options"]:
                units = int(param["options"]["units"])
        self.lstm = keras.layers.LSTM(units)
        self.dense = keras.layers.Dense(1)

    def call(self, inputs, training=None):
        x = self.lstm(inputs)
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "param": self.param}


def init(param):
    steps = 3
    if "options" in param:
        if "steps" in param["options"]:
            steps = int(param["options"]["steps"])
        if "units" in param["options"]:
            units = int(param["options"]["units"])
    model = Init(param=param)
    model(keras.Input(shape=(steps, 1)))
    return model
"""


def test_a_value_read_by_both_the_layers_and_the_input_shape_is_computed_in_both_places() -> None:
    source = """\
    import keras


    def init(x):
        n = x.shape[1]
        model = keras.Sequential()
        model.add(keras.layers.Dense(n, input_dim=n))
        model.add(keras.layers.Dense(1))
        return model
    """
    converted = convert(source, C)
    # The class takes the size it reads of ``x``, not the array (parse/data_params.py).
    assert "        n = x_dim\n" in converted.split("def call")[0]
    assert converted.endswith(
        "def init(x):\n    n = x.shape[1]\n    model = Init(x_dim=x.shape[1])\n    model(keras.Input(shape=(n,)))\n"
        "    return model\n"
    )


def test_an_input_shape_computed_by_a_call_that_may_act_is_refused_by_name() -> None:
    # Written twice, a random draw could give the instance another shape than its layers.
    source = """\
    import random
    import keras


    def init():
        n = random.choice([4, 8])
        model = keras.Sequential()
        model.add(keras.layers.Dense(n, input_dim=n))
        model.add(keras.layers.Dense(1))
        return model
    """
    assert refusal(source, C) == [
        "m.py:8:15: error: the model's input shape reads `n`, which its code computes where the line that"
        " builds a subclass's instance cannot compute it again (hint: compute `n` from the builder's"
        " parameters before the model's code, or keep this model a graph (`to-functional-subclass`"
        " writes a class that builds one))"
    ]


# A layer made before the model and added only "if" it exists: a test on a layer object.
TESTED_LAYER = """\
import tensorflow as tf


def build(config):
    activation = tf.keras.layers.Activation(config.activation)
    model = tf.keras.Sequential()
    model.add(tf.keras.Input(shape=(8,)))
    for i in range(config.layers):
        model.add(tf.keras.layers.Dense(config.hidden))
        if activation:
            model.add(activation)
    model.add(tf.keras.layers.Dense(1))
    return model
"""


def test_a_test_on_a_layer_object_is_refused_in_a_subclass() -> None:
    # Before: caught (internal error): call() tested `activation`, a local of the builder.
    assert refusal(TESTED_LAYER, C) == [
        "m.py:10:9: error: this `if` tests the layer object `activation`, which a subclass holds as an"
        " attribute to call, not as a value to test (hint: test the value the layer is made from instead"
        " (a layer object is always true), or keep this model a graph (`to-functional-subclass` writes a"
        " class that builds one))"
    ]


def test_a_test_on_a_layer_object_stays_in_graph_code() -> None:
    assert "        if activation:\n            x = activation(x)\n" in convert(TESTED_LAYER, F)


# A notebook framework's hooks: init() returns the model, apply() is handed it by the framework.
HOOKS = """\
import keras


def init(n):
    model = keras.Sequential()
    model.add(keras.layers.Dense(4, input_dim=n))
    model.add(keras.layers.Dense(n))
    return model


def apply(model, x):
    encoder = keras.Model(inputs=model.inputs, outputs=model.layers{index}.output)
    return encoder.predict(x)
"""


@pytest.mark.parametrize("target", [F, FS])
def test_a_layer_picked_by_position_in_a_hook_that_may_get_the_model_is_refused(target: Style) -> None:
    # Before: WRONG: to a graph, `model.layers[0]` named the InputLayer, no longer the encoder.
    assert refusal(HOOKS.format(index="[0]"), target) == [
        "m.py:12:56: error: `model.layers[0]` reads a parameter named as the model `init()` returns, so it"
        " may use that model, by a position the conversion changes (only a graph model lists its"
        " InputLayer) (hint: pick the layer by name (`model.get_layer(...)`), or keep this model"
        " sequential (--model picks the models to convert))"
    ]


def test_a_layer_picked_from_the_end_in_such_a_hook_stays_the_same_layer() -> None:
    assert "outputs=model.layers[-2].output" in convert(HOOKS.format(index="[-2]"), F)


def test_a_snippet_that_never_imports_keras_says_so() -> None:
    # Before: "no Keras model found in this file", with no word of the model on line 1.
    source = """\
    # WaveNet
    model = keras.models.Sequential()
    model.add(keras.layers.InputLayer(input_shape=[None, 1]))
    model.add(keras.layers.Conv1D(filters=20, kernel_size=2, padding="causal"))
    """
    assert refusal(source, F) == [
        "m.py:2:9: error: `keras` is read here, but the file never imports it, so kconvert cannot tell it"
        " is Keras (hint: import it: `import keras` or `from tensorflow import keras`)"
    ]


# A TCN that sums its blocks' skip outputs when it kept any: the list's truth is its length.
SKIPS_KEPT = """\
import keras


def tcn(skip=True):
    inputs = keras.layers.Input(shape=(20, 4))
    x = inputs
    skips = []
    for c in (8, 8):
        x = keras.layers.Conv1D(c, 3, padding="causal")(x)
        skips.append(x)
    if skip and skips:
        x = keras.layers.Add()(skips)
    outputs = keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(x))
    return keras.Model(inputs, outputs)
"""


def test_a_list_of_tensors_tested_for_its_truth_is_a_static_test() -> None:
    # Before: refused in the class styles ("this `if` depends on tensor values").
    converted = convert(SKIPS_KEPT, C)
    assert "            skips.append(x)\n        if self.skip and skips:\n            x = self.add(skips)\n" in converted
    assert "        if skip and skips:\n            x = keras.layers.Add()(skips)\n" in convert(SKIPS_KEPT, FS)


def test_a_list_of_tensors_read_for_its_values_is_still_refused() -> None:
    source = SKIPS_KEPT.replace("if skip and skips:", "if skips[0] is not None:")
    assert refusal(source, FS) == [
        "m.py:11:5: error: this `if` depends on tensor values, which a static graph cannot express (hint:"
        " branch only on parameters of the model's builder, or keep the model a subclass)"
    ]


def test_inputs_made_by_a_comprehension_are_named_as_such() -> None:
    # Before: "the model input `features` is another model's tensor (`layers.Input`)".
    source = """\
    import keras
    from keras import layers


    def build(sizes):
        features = [layers.Input(shape=(), name=name) for name in sizes]
        embedded = [layers.Embedding(n, 4)(f) for f, n in zip(features, sizes.values())]
        x = layers.Concatenate()(embedded)
        return keras.Model(inputs=features, outputs=layers.Dense(1)(x))
    """
    assert refusal(source, C) == [
        "m.py:6:16: error: the model inputs `features` are made by a comprehension, as many as it iterates"
        " when the code runs; kconvert converts a model whose inputs the code names one by one (hint: keep"
        " this model Functional (--model picks the models to convert))"
    ]


def test_a_layer_the_builder_is_given_is_tested_as_its_parameter() -> None:
    source = """\
    import keras


    def model_fn(a_layer=None):
        model = keras.Sequential()
        model.add(keras.layers.Dense(100, activation="relu", input_shape=(8,)))
        if a_layer:
            model.add(a_layer)
        model.add(keras.layers.Dense(10))
        return model
    """
    converted = convert(source, C)
    # Called through the attribute its parameter is kept in (session 42, fresh42): one attribute.
    assert "        if self.a_layer:\n            x = self.a_layer(x)\n" in converted
    assert "a_layer_layer" not in converted


def test_an_input_shape_read_from_a_dict_the_model_code_changes_is_refused() -> None:
    # Written again before the instance, `steps` would be read before __init__ changes `param`.
    changed = '    model = keras.Sequential()\n    param["steps"] = 4\n'
    source = OPTIONS_BUILDER.replace("    model = keras.Sequential()\n", changed, 1)
    assert refusal(source, C)[0].startswith("m.py:14:15: error: the model's input shape reads `param`")
