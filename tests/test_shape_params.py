"""A builder's parameter only the model's ``Input`` reads (``input_shape``) belongs to the line that
builds a subclass, not to the class (emit/subclass/build.py ``without_shape_params``), and the
way back gives it to the model written where the class is (rewrite/shape_params.py): the
function building the model passes it.  Hand-checked outputs; the fixtures applications_head,
helper_pair_subscripts and tuple_config_parameter hold the round trips."""

from __future__ import annotations

from converting import C, F, convert, refusal
from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

BUILDER = """\
import keras
from keras import layers


def build_model(input_shape, classes):
    inputs = keras.Input(shape=input_shape)
    outputs = layers.Dense(classes)(inputs)
    return keras.Model(inputs, outputs)


model = build_model((8,), 3)
"""

METHOD = """\
import keras
from keras import layers


class Net(keras.Model):
    def __init__(self, classes, **kwargs):
        super().__init__(**kwargs)
        self.classes = classes
        self.dense = layers.Dense(classes)

    def call(self, inputs):
        return self.dense(inputs)


class Trainer:
    def __init__(self, input_shape, classes):
        self.model = self.build_model(input_shape, classes)

    def build_model(self, input_shape, classes):
        model = Net(classes=classes)
        model(keras.Input(shape=input_shape))
        model.compile(optimizer="adam", loss="mse")
        return model


trainer = Trainer((8,), 3)
"""


def test_the_subclass_leaves_the_shape_to_the_builder() -> None:
    out = convert(BUILDER, C)
    assert out == (
        "import keras\nfrom keras import layers\n\n\n"
        '@keras.saving.register_keras_serializable(package="m")\n'
        "class MyModel(keras.Model):\n"
        "    def __init__(self, classes, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.classes = classes\n"
        "        self.dense = layers.Dense(classes)\n\n"
        "    def call(self, inputs, training=None):\n"
        "        return self.dense(inputs)\n\n"
        "    def get_config(self):\n"
        '        return {**super().get_config(), "classes": self.classes}\n\n\n'
        "def build_model(input_shape, classes):\n"
        "    model = MyModel(classes=classes)\n"
        "    model(keras.Input(shape=input_shape))\n"
        "    return model\n\n\n"
        "model = build_model((8,), 3)\n"
    ), out
    # The way back writes the model in the builder again, which has the shape.
    assert convert(out, F) == BUILDER.replace("keras.Model(inputs, outputs)", "keras.Model(inputs=inputs, outputs=outputs)")


def test_a_method_building_the_subclass_passes_its_shape_to_the_model_written_where_the_class_is() -> None:
    out = convert(METHOD, F)
    assert out.startswith(
        "import keras\nfrom keras import layers\n\n\n"
        "def Net(input_shape, classes, **kwargs):\n"
        "    inputs = keras.Input(shape=input_shape)\n"
        "    outputs = layers.Dense(classes)(inputs)\n"
        "    return keras.Model(inputs=inputs, outputs=outputs, **kwargs)\n"
    ), out
    assert "        model = Net(input_shape=input_shape, classes=classes)\n        model.compile(" in out, out
    graph_class = convert(METHOD, FS)
    assert "    def __init__(self, input_shape, classes, **kwargs):\n        inputs = keras.Input(shape=input_shape)\n" in graph_class
    assert "        model = Net(input_shape=input_shape, classes=classes)\n        model.compile(" in graph_class


def test_a_use_of_the_class_that_does_not_build_it_on_the_shape_is_refused() -> None:
    made_elsewhere = METHOD + "other = Net(classes=2)\n"
    for target in (F, FS):
        assert refusal(made_elsewhere, target) == [
            f"m.py:5:1: error: `Net` is built on an input shape that reads `input_shape`, a name of the"
            f" function that builds it; a {target} model is written where the class is, at module level,"
            " which cannot read it (hint: pass the shape with --input-shape, or build the model on a"
            " shape the module has)"
        ]


def test_a_function_parameter_hides_the_module_name_the_shape_reads() -> None:
    # ``img_size`` at module level is not the builder's: the class must take the builder's.
    shadowed = METHOD.replace("trainer = Trainer((8,), 3)", "input_shape = (99,)\ntrainer = Trainer((8,), 3)")
    graph_class = convert(shadowed, FS)
    assert "    def __init__(self, input_shape, classes, **kwargs):\n" in graph_class, graph_class
    assert "        model = Net(input_shape=input_shape, classes=classes)\n" in graph_class, graph_class


def test_a_parameter_the_model_code_gives_another_value_stays_the_classs() -> None:
    # chen0040's GAN builders: ``if random_input_dim is None: random_input_dim = 100`` before the
    # model; the build line must read the value that statement gives, which the class computes.
    defaulted = BUILDER.replace("(input_shape, classes)", "(input_shape=None, classes=3)").replace(
        "    inputs = keras.Input(", "    if input_shape is None:\n        input_shape = (8,)\n    inputs = keras.Input("
    )
    out = convert(defaulted, C)
    assert "    def __init__(self, input_shape=None, classes=3, **kwargs):\n" in out, out
    assert convert(out, F).count("keras.Input(shape=input_shape)") == 1


def test_the_line_passing_the_shape_is_laid_out_with_the_files_line_length() -> None:
    from kconvert.convert import convert_source
    from kconvert.types import Converted, Options

    long = METHOD.replace("classes", "number_of_output_classes_to_predict")
    line = "        model = Net(input_shape=input_shape, number_of_output_classes_to_predict=number_of_output_classes_to_predict)\n"
    wide = convert_source(long, FS, Options(line_length=120), "m.py")
    assert isinstance(wide, Converted)
    assert line in wide.source
    # At black's default 88 columns the same call is split.
    assert line not in convert(long, FS)
