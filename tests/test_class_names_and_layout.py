"""Issue 10's leftovers in what an emitted class looks like: its name when nothing but the file
names the model, its layout when the model was made inside a method, the attributes it keeps of
its parameters, and the way back of a class made once at module level
(``tests/fixtures/module_level_round_trip`` shows that one whole)."""

from __future__ import annotations

import textwrap

import pytest

from converting import C, F, S, convert
from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Style

TUTORIAL = """\
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(16, activation="relu", input_shape=(4,)))
model.add(Dense(1))
model.compile(optimizer="sgd", loss="mse")
"""


def _named(path: str, text: str = TUTORIAL, target: Style = C) -> str:
    result = convert_source(textwrap.dedent(text), target, Options(), path)
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result.source


@pytest.mark.parametrize(
    ("path", "name"),
    [
        # A file name that is no module name still names the model; numbers and words that say
        # how the file teaches do not.
        ("4-regressor_example.py", "Regressor"),
        ("rnn-mnist-1.5.1.py", "RNNMnist"),
        ("GoogLeNet_implementation.py", "GoogLeNet"),
        ("20_Natural_Language_Processing.py", "NaturalLanguageProcessing"),
        ("dqn.py", "DQN"),
        # A chapter's title is no model's name, nor is a generic file name.
        ("12_custom_models_and_training_with_tensorflow.py", "MyModel"),
        ("module.py", "MyModel"),
        # Python's name for text that has no file (a test's snippet) names nothing: not ``String``.
        ("<string>", "MyModel"),
    ],
)
def test_the_file_names_a_model_nothing_else_names(path: str, name: str) -> None:
    assert f"\nclass {name}(Model):\n" in _named(path)


@pytest.mark.parametrize(
    ("builder", "name"),
    # A builder named by its verb alone (``def build()``) names nothing: the file does.
    # keras-io's ConvMixer is built by ``get_conv_mixer_256_8``: two numbers, not ``ConvMixer2568``.
    [
        ("buildCritic", "Critic"),
        ("createModel", "A2C"),
        ("build", "A2C"),
        ("get", "A2C"),
        ("get_conv_mixer_256_8", "ConvMixer256_8"),
    ],
)
def test_a_camel_case_builder_s_verb_is_no_part_of_the_name(builder: str, name: str) -> None:
    made = f"""\
        import keras
        from keras import layers


        def {builder}():
            inputs = keras.Input(shape=(4,))
            return keras.Model(inputs, layers.Dense(1)(inputs))


        critic = {builder}()
        """
    assert f"\nclass {name}(keras.Model):\n" in _named("a2c.py", made.replace("critic = ", "net = "))


def test_a_second_model_of_a_name_ending_in_a_number_is_numbered_apart() -> None:
    # The Coursera U-Net lab binds `model1` twice: the second class was `Model11`.
    text = """\
from keras.models import Sequential
from keras.layers import Dense

model1 = Sequential()
model1.add(Dense(16, activation="relu", input_shape=(4,)))
model1.summary()

model1 = Sequential()
model1.add(Dense(8, activation="relu", input_shape=(4,)))
model1.summary()
"""
    out = _named("lab.py", text)
    assert "\nclass Model1(Model):\n" in out and "\nclass Model1_1(Model):\n" in out


def test_a_model_named_like_a_class_of_the_file_is_that_class_s_model() -> None:
    made_by_method = """\
        import keras
        from keras import layers


        class Agent:
            def __init__(self, state_size=4):
                self.state_size = state_size
                self.model = self.build_model()

            def build_model(self):
                inputs = keras.Input(shape=(self.state_size,))
                outputs = layers.Dense(2)(inputs)
                return keras.Model(inputs, outputs)
        """
    converted = _named("agent.py", made_by_method)
    assert "\nclass AgentModel(keras.Model):\n" in converted
    assert "        return AgentModel(state_size=self.state_size)\n" in converted or (
        "        model = AgentModel(state_size=self.state_size)\n" in converted
    )


def test_a_class_whose_method_builds_the_model_names_it_when_nothing_nearer_does() -> None:
    made_by_method = """\
        import keras
        from keras import layers


        class Classifier_MLP:
            def __init__(self, input_shape, widths=(16, 8)):
                self.model = self.build_model(input_shape, widths)

            def build_model(self, input_shape, widths):
                input_layer = keras.Input(input_shape)
                x = input_layer
                for width in widths:
                    x = layers.Dense(width, activation="relu")(x)
                    x = layers.Dropout(0.1)(x)
                output_layer = layers.Dense(2, activation="softmax")(x)
                return keras.Model(inputs=input_layer, outputs=output_layer)
        """
    converted = _named("model.py", made_by_method)
    # Not ``MyModel``, nor a ``ClassifierMLP`` that only an underscore tells from its maker.
    assert "\nclass ClassifierMLPModel(keras.Model):\n" in converted
    # A loop's pass is the model's block, named without repeating ``Model``.
    assert "\nclass ClassifierMLPBlock(layers.Layer):\n" in converted
    assert "        return ClassifierMLPModel(widths=widths)\n" in converted or (
        "        model = ClassifierMLPModel(widths=widths)\n" in converted
    )


GAN = """\
import keras
from keras.layers import Dense


class GAN:
    def __init__(self, inputs=4, outputs=2, layers=2, optimizer="adam"):
        self.inputs = inputs
        self.outputs = outputs
        self.layers = layers
        self.optimizer = optimizer
        self.generator = self.build_generator()

    def build_generator(self):
        model = keras.Sequential(name="generator")
        model.add(keras.Input(shape=(self.inputs,)))
        for _ in range(self.layers):
            model.add(Dense(64, activation="relu"))
        model.add(Dense(self.outputs))
        model.compile(optimizer=self.optimizer, loss="mse")
        return model
"""


def test_a_class_made_in_a_method_is_laid_out_where_it_stands_at_module_level() -> None:
    # Inside the method, `self.dense_layers = [...]` would be 90 columns wide; in the class at
    # module level it is 82, and black keeps it on one line.
    subclass = convert(GAN, C)
    assert "        self.dense_layers = [Dense(64, activation=\"relu\") for _ in range(layers)]\n" in subclass
    graph = convert(GAN, Style.FUNCTIONAL_SUBCLASS)
    assert '        super().__init__(inputs=inputs, outputs=outputs_1, name=name, **kwargs)\n' in graph


@pytest.mark.parametrize("target", [C, Style.FUNCTIONAL_SUBCLASS])
def test_keras_own_attribute_names_are_never_an_emitted_class_s_attributes(target: Style) -> None:
    converted = convert(GAN, target)
    # `layers` and `outputs` are Keras' (read-only, or the graph's): each is kept under `<name>_`,
    # saved under its parameter's name; the optimizer stays with `compile`, no parameter at all.
    assert "        self.layers_ = layers\n" in converted and "        self.outputs_ = outputs\n" in converted
    assert '"layers": self.layers_' in converted and '"outputs": self.outputs_' in converted
    for attribute in ("layers", "outputs", "inputs", "optimizer", "name", "loss"):
        assert f"self.{attribute} = " not in converted.split("class GAN")[0]
    assert "optimizer" not in converted.split("class GAN")[0]
    assert "        model.compile(optimizer=self.optimizer, loss=\"mse\")\n" in converted


def test_a_builder_parameter_named_like_a_keras_attribute_keeps_its_name_for_callers() -> None:
    builder = """\
        import keras
        from keras import layers


        def build_mlp(layers_count=2, outputs=1):
            inputs = keras.Input(shape=(8,))
            x = inputs
            for _ in range(layers_count):
                x = layers.Dense(32, activation="relu")(x)
            return keras.Model(inputs, layers.Dense(outputs)(x))


        model = build_mlp(outputs=3)
        """
    converted = convert(builder, C)
    assert "    def __init__(self, layers_count=2, outputs=1, **kwargs):\n" in converted
    assert "        self.outputs_ = outputs\n" in converted
    # The builder stays, its callers' keywords with it, and passes them on to the class.
    assert "    model = MLP(layers_count=layers_count, outputs=outputs)\n" in converted


def test_a_class_made_once_goes_back_as_module_level_code_else_as_a_builder_function() -> None:
    made_once = """\
        import keras
        from keras import layers


        class Tiny(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = layers.Dense(4)

            def call(self, inputs):
                return self.dense(inputs)


        model = Tiny()
        model(keras.Input(shape=(3,)))
        """
    assert convert(made_once, F) == textwrap.dedent(
        """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(3,))
        outputs = layers.Dense(4)(inputs)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    )
    made_once = textwrap.dedent(made_once)
    twice = made_once + "other = Tiny()\nother(keras.Input(shape=(3,)))\n"
    assert "\ndef Tiny(**kwargs):\n" in convert(twice, F)
    given = made_once.replace("model = Tiny()", "model = Tiny(name=\"tiny\")")
    assert "\ndef Tiny(**kwargs):\n" in convert(given, S)
    # A parameter of its own is the builder's to keep named.
    units = made_once.replace("(self, **kwargs)", "(self, units=4, **kwargs)").replace("Dense(4)", "Dense(units)")
    assert "\ndef Tiny(units=4, **kwargs):\n" in convert(units, F)


def test_a_tensor_named_as_a_layer_s_output_names_the_layer_without_the_suffix() -> None:
    # keras-io's weather forecaster: `lstm_out = keras.layers.LSTM(32)(inputs)` made `self.lstm_out`,
    # a layer called by the name of what it returns. A name that is not the layer's kind with a
    # suffix stays whole: `model_output` is no `self.model`.
    source = """\
    import keras

    inputs = keras.Input(shape=(12, 3))
    lstm_out = keras.layers.LSTM(8)(inputs)
    dense_output = keras.layers.Dense(4)(lstm_out)
    model_output = keras.layers.Dense(1)(dense_output)
    model = keras.Model(inputs=inputs, outputs=model_output)
    """
    out = convert(source, C)
    assert "        self.lstm = keras.layers.LSTM(8)\n        self.dense = keras.layers.Dense(4)\n" in out
    assert "        self.model_output = keras.layers.Dense(1)\n" in out
    assert "        lstm_out = self.lstm(inputs)\n" in out


def test_a_layer_s_keras_name_gives_its_attribute_in_snake_case() -> None:
    # stefan-jansen's trading LSTM names its layers `name="Output"`, `name="FC1"`: the attribute is
    # Python's, not `self.Output`, and `output` is Keras' own (the model's output tensor).
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        x = layers.Dense(10, name="FC1")(inputs)
        x = layers.Dense(4, name="Gate_Layer")(x)
        outputs = layers.Dense(1, name="Output")(x)
        model = keras.Model(inputs, outputs)
        """
    converted = convert(source, C)
    assert '        self.fc1 = layers.Dense(10, name="FC1")\n' in converted
    assert '        self.gate_layer = layers.Dense(4, name="Gate_Layer")\n' in converted
    assert '        self.dense = layers.Dense(1, name="Output")\n' in converted


def test_a_name_several_layers_output_in_turn_is_the_attribute_of_the_layer_it_names() -> None:
    # dl-4-tsc's MLP: `layer_1 = Dropout(0.1)(x)`, then `layer_1 = Dense(500)(layer_1)`. The name is
    # the Dense's (the one layer of the pair with weights), `output_layer` too: not the Dropout's.
    source = """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(8,))
        layer_1 = layers.Dropout(0.1)(inputs)
        layer_1 = layers.Dense(16, activation="relu")(layer_1)
        conv1 = layers.Reshape((16, 1))(layer_1)
        conv1 = layers.Conv1D(4, 3)(conv1)
        conv1 = layers.BatchNormalization()(conv1)
        output_layer = layers.Flatten()(conv1)
        output_layer = layers.Dropout(0.3)(output_layer)
        output_layer = layers.Dense(2, activation="softmax")(output_layer)
        model = keras.Model(inputs, output_layer)
        """
    converted = convert(source, C)
    assert "        self.dropout1 = layers.Dropout(0.1)\n" in converted
    assert '        self.layer_1 = layers.Dense(16, activation="relu")\n' in converted
    # A name that says what made it goes to that layer, wherever it stands in the run.
    assert "        self.conv1 = layers.Conv1D(4, 3)\n" in converted
    assert "        self.reshape = layers.Reshape((16, 1))\n" in converted
    assert '        self.output_layer = layers.Dense(2, activation="softmax")\n' in converted
    assert "        self.dropout2 = layers.Dropout(0.3)\n" in converted


ANNOTATED = """\
import keras
from keras import layers


def dense_block(x, units: int, rate: float = 0.1):
    x = layers.Dense(units, activation="relu")(x)
    return layers.Dropout(rate)(x)


def build(units: int, width: int = 4):
    inputs = keras.Input(shape=(width,))
    x = dense_block(inputs, units)
    x = dense_block(x, units, rate=0.2)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs=inputs, outputs=outputs)


model = build(3)
"""


@pytest.mark.parametrize("target", [C, Style.FUNCTIONAL_SUBCLASS])
def test_every_signature_written_for_a_parameter_keeps_its_annotation(target: Style) -> None:
    # `def unet_model(output_channels: int)` became `def __init__(self, output_channels, **kwargs)`:
    # the type the author wrote was lost in the class, and so on the way back.
    out = _named("annotated.py", ANNOTATED, target)
    # A subclass has no use for `width`, which only its build line in `build` reads.
    own = "units: int, **kwargs" if target is C else "units: int, width: int = 4, **kwargs"
    assert f"    def __init__(self, {own}):\n" in out
    assert "def build(units: int, width: int = 4):\n" in out
    if target is C:
        assert "    def __init__(self, units: int, rate: float = 0.1, **kwargs):\n" in out
    back = convert_source(out, F, Options(), "annotated.py")
    assert isinstance(back, Converted)
    if target is C:
        # The helper stays the Layer class it became (issue 10: the block is not unrolled again).
        assert "    def __init__(self, units: int, rate: float = 0.1, **kwargs):\n" in back.source
        assert "def build(units: int, width: int = 4):\n    inputs = keras.Input(shape=(width,))\n" in back.source
    else:
        assert back.source == ANNOTATED


def test_a_model_named_like_a_class_of_the_file_in_other_capitals_is_that_class_s_model() -> None:
    # PyImageSearch's FashionNet: `class FashionNet` whose static `build` makes a model named
    # "fashionnet". The class was `Fashionnet`, told apart from the file's class by capitals alone.
    text = """\
    import keras
    from keras import layers


    class FashionNet:
        @staticmethod
        def build(width, classes):
            inputs = keras.Input(shape=(width,))
            outputs = layers.Dense(classes)(inputs)
            return keras.Model(inputs, outputs, name="fashionnet")
    """
    out = _named("net.py", text)
    assert "\nclass FashionNetModel(keras.Model):\n" in out and "\nclass FashionNet:\n" in out
    assert "        return FashionNetModel(classes=classes, width=width)\n" in out or "FashionNetModel(" in out


def test_a_block_made_by_a_build_helper_is_named_by_what_it_builds() -> None:
    # `build_category_branch(inputs, n)` is a `CategoryBranch` Layer, as `build_resnet` makes a `ResNet`;
    # a helper whose verb leaves a generic word (`make_block`) keeps its whole name.
    text = """\
    import keras
    from keras import layers


    def build_color_branch(inputs, n):
        x = layers.Dense(8, activation="relu")(inputs)
        return layers.Dense(n)(x)


    def make_block(inputs):
        return layers.Dense(8, activation="relu")(inputs)


    inputs = keras.Input(shape=(4,))
    h = make_block(make_block(inputs))
    outputs = layers.Concatenate()([build_color_branch(h, 3), build_color_branch(h, 2)])
    model = keras.Model(inputs, outputs)
    """
    out = _named("branches.py", text)
    assert "\nclass ColorBranch(layers.Layer):\n" in out and "\nclass MakeBlock(layers.Layer):\n" in out


def test_a_block_keeps_the_capitals_its_helper_s_name_has() -> None:
    # asl-gestures' capsule network (verify33): `def PrimaryCap(...)` made a `Primarycap` class,
    # told apart from the function by its capitals alone; an all-capitals word is a word.
    text = """\
    import keras
    from keras import layers


    def PrimaryCap(x, n):
        return layers.Dense(n)(x)


    def CONV_BLOCK(x):
        return layers.Dense(4)(x)


    inputs = keras.Input(shape=(4,))
    x = CONV_BLOCK(PrimaryCap(inputs, 3))
    model = keras.Model(inputs, x)
    """
    out = _named("caps.py", text)
    assert "\nclass PrimaryCapLayer(layers.Layer):\n" in out and "\nclass ConvBlock(layers.Layer):\n" in out
