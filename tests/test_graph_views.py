"""Views of a graph model (``keras.Model(model.inputs, model.get_layer("x").output)``) next to the
model they view: to functional-subclass the view stays as written, with a note, and the file
converts; a subclass has no graph to view, and its refusal names the style that keeps one.
The fixture ``graph_views`` holds the Functional model; these are the Sequential and builder forms
and the view of a model the file does not make. Expected texts are written by hand.
"""

from __future__ import annotations

import textwrap

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Style

from converting import C, convert, refusal

FS = Style.FUNCTIONAL_SUBCLASS

SEQUENTIAL = """\
import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(16, 16, 3)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.Conv2D(16, 3, activation="relu", name="features"),
        layers.GlobalAveragePooling2D(),
    ]
)
probe = keras.Model(model.inputs, model.layers[0].output)
"""


def _converted(text: str, target: Style = FS) -> Converted:
    result = convert_source(textwrap.dedent(text), target, Options(), "m.py")
    assert isinstance(result, Converted), "\n".join(d.render() for d in result.diagnostics)
    return result


def test_a_view_of_a_sequential_model_stays_and_its_layer_position_counts_the_input_layer() -> None:
    result = _converted(SEQUENTIAL)
    assert result.source.endswith(
        "model = MyModel()\n"
        "probe = keras.Model(model.inputs, model.layers[1].output)\n"
    ), result.source
    assert [note.render() for note in result.notes] == [
        "m.py:12:1: note: `probe` is a view of the graph of `model` (`model.inputs`), not a model definition:"
        " it stays as it is and keeps working, since `model` is still a graph as a functional-subclass"
    ]


def test_a_view_of_a_model_a_builder_returns_is_a_view_of_that_model() -> None:
    # captcha_ocr: ``model = build_model()``, then a prediction model over its layers by name.
    source = """\
    import keras
    from keras import layers


    def build_model():
        image = keras.Input(shape=(8,), name="image")
        x = layers.Dense(4, name="dense2")(image)
        model = keras.Model(image, x)
        model.compile(optimizer="adam", loss="mse")
        return model


    model = build_model()
    prediction_model = keras.Model(model.get_layer(name="image").input, model.get_layer(name="dense2").output)
    """
    result = _converted(source)
    assert "class MyModel(keras.Model):" in result.source
    assert result.source.endswith(
        'prediction_model = keras.Model(model.get_layer(name="image").input, model.get_layer(name="dense2").output)\n'
    )
    assert [note.render() for note in result.notes] == [
        "m.py:14:1: note: `prediction_model` is a view of the graph of `model` (`model.get_layer(name=\"image\").input`),"
        " not a model definition: it stays as it is and keeps working, since `model` is still a graph as a"
        " functional-subclass"
    ]
    assert "to-functional-subclass" in refusal(source, C)[0]


def test_a_view_of_a_model_the_file_does_not_make_needs_no_change() -> None:
    # grad_cam, deep_dream: a view over keras.applications or a loaded model, and no model of the file's own.
    source = """\
    import keras

    base_model = keras.applications.MobileNetV2(weights=None)
    features = keras.Model(base_model.input, base_model.layers[-2].output)
    """
    result = _converted(source)
    assert result.source == textwrap.dedent(source)
    assert [note.render() for note in result.notes] == [
        "m.py:4:1: note: `features` is a view of the graph of `base_model` (`base_model.input`), not a model"
        " definition: it views a model this code does not make, so nothing in it needed to change"
    ]


def test_a_view_whose_input_is_rebound_to_another_models_tensor_is_kept_too() -> None:
    # lstm_seq2seq_restore: ``encoder_inputs = model.input[0]`` of a loaded model, then a model on it.
    source = """\
    import keras

    model = keras.models.load_model("s2s.keras")
    encoder_inputs = model.input[0]
    encoder_model = keras.Model(encoder_inputs, model.layers[2].output)
    """
    result = _converted(source)
    assert result.source == textwrap.dedent(source)
    assert [note.render() for note in result.notes] == [
        "m.py:5:1: note: `encoder_model` is a view of the graph of `model` (`model.input`), not a model"
        " definition: it views a model this code does not make, so nothing in it needed to change"
    ]


def test_a_subclass_has_no_graph_to_view_and_the_refusal_names_the_fourth_style() -> None:
    messages = refusal(SEQUENTIAL, C)
    assert messages == [
        "m.py:12:21: error: `model.inputs` needs a graph model: a subclass has no symbolic inputs and outputs"
        " (hint: convert it with `to-functional-subclass` (a class that still builds a graph, so this keeps"
        " working), keep this model Functional, or stop using its graph after building it)",
        "m.py:12:1: error: `probe` is built from another model's tensors (`model.inputs`): it is a view of that"
        " model's graph, which only the Functional API can express (hint: keep `probe` Functional (--model picks"
        " the models to convert); `kconvert to-functional-subclass` keeps this view working: it leaves views as"
        " they are and writes the models they view as classes that still build a graph)",
    ]


def test_a_tensor_of_the_models_code_read_after_it_is_refused_with_the_graph_way_to_reach_it_or_reached() -> None:
    # snatch59's autoencoders: the encoder is made after the autoencoder from its code's tensors.
    source = """\
    import keras
    from keras import layers

    input_img = keras.Input(shape=(8,))
    encoded = layers.Dense(2)(input_img)
    decoded = layers.Dense(8)(encoded)
    autoencoder = keras.Model(input_img, decoded)
    encoder = keras.Model(input_img, encoded)
    """
    # The hint names the very expression that reaches the same tensor in a class that builds the graph.
    assert refusal(source, FS)[0] == (
        "m.py:8:23: error: `input_img` from the model's code is still used here, but the functional-subclass"
        " form has no such variable (hint: `input_img` is the model's input: write `autoencoder.input` here, the"
        " same tensor; or keep this model Functional, or stop using its tensors after building it)"
    )
    through_input = source.replace("\n    encoder = keras.Model(input_img,", "\n    encoder = keras.Model(autoencoder.input,")
    assert refusal(through_input, FS)[0] == (
        "m.py:8:42: error: `encoded` from the model's code is still used here, but the functional-subclass"
        " form has no such variable (hint: give the layer that makes `encoded` a name= and write"
        " `autoencoder.get_layer(NAME).output` here; or keep this model Functional, or stop using its tensors"
        " after building it)"
    )
    named = through_input.replace("layers.Dense(2)", 'layers.Dense(2, name="enc")')
    # With a name, there is a way to every tensor read: kconvert writes it (rewrite/tensor_reaches.py),
    # the same as the encoder written so, a view of the autoencoder's graph, which the class still builds.
    fixed = named.replace("autoencoder.input, encoded)", 'autoencoder.input, autoencoder.get_layer("enc").output)')
    assert convert(named, FS) == convert(fixed, FS)
    assert convert(fixed, FS).endswith(
        "\n\nautoencoder = Autoencoder()\n"
        'encoder = keras.Model(autoencoder.input, autoencoder.get_layer("enc").output)\n'
    )
    # A name the model's code binds twice: the hint does not guess which of its tensors is meant.
    rebound = named.replace(
        'encoded = layers.Dense(2, name="enc")(input_img)',
        'encoded = layers.Dense(4, name="a")(input_img)\n    encoded = layers.Dense(2, name="enc")(encoded)',
    )
    assert "(hint: reach it through the model's graph (`autoencoder.input`" in refusal(rebound, FS)[0]


def test_a_builders_model_kept_on_self_is_read_as_that_model() -> None:
    # keras.io's NNCLR: a training container holds `self.encoder = encoder()` and reads its
    # `output_shape`, which a subclass does not have (the file failed there, verified sample seed 25).
    source = """\
    import keras
    from keras import layers


    def encoder():
        return keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)], name="encoder")


    class Container(keras.Model):
        def __init__(self):
            super().__init__()
            self.encoder = encoder()
            self.width = self.encoder.output_shape[1]

        def train_step(self, data):
            return self.encoder(data)
    """
    assert refusal(source, C)[0] == (
        "m.py:13:22: error: `self.encoder.output_shape` needs a graph model: a subclass has no symbolic inputs"
        " and outputs (hint: convert it with `to-functional-subclass` (a class that still builds a graph, so"
        " this keeps working), keep this model Functional, or stop using its graph after building it)"
    )
    # Read in another method of the class, and in a function's body, alike.
    in_method = source.replace("self.width = self.encoder.output_shape[1]", "pass").replace(
        "return self.encoder(data)", "return self.encoder.input"
    )
    assert "m.py:16:16: error: `self.encoder.input` needs a graph model" in refusal(in_method, C)[0]
    in_function = source.split("\n    class ")[0] + "\n    def width():\n        model = encoder()\n        return model.output_shape[1]\n"
    assert "m.py:11:12: error: `model.output_shape` needs a graph model" in refusal(in_function, C)[0]
    # A use a subclass has too converts.
    plain = source.replace("self.width = self.encoder.output_shape[1]", "self.width = 4")
    assert "class Encoder(keras.Model):" in convert(plain, C)


OUTPUT_NAMES = """\
import keras
from keras import layers

inputs = keras.Input(shape=(4,))
price = layers.Dense(1, name="price")(inputs)
model = keras.Model(inputs, price)
predictions = dict(zip(model.output_names, [model.predict(x)]))
"""


def test_output_names_only_a_functional_model_has_keeps_it_a_graph() -> None:
    # Keras 3 sets `output_names` in Functional.__init__: a Sequential model and a subclass have none.
    for target, which in ((Style.SEQUENTIAL, "a Sequential model"), (C, "a subclass")):
        assert refusal(OUTPUT_NAMES, target) == [
            "m.py:7:24: error: `model.output_names` lists the names of a Functional model's output layers;"
            f" {which} has no `output_names` in Keras 3 (hint: convert it with `to-functional-subclass` (a"
            " class that still builds the graph), or keep this model functional)"
        ]
    out = convert(OUTPUT_NAMES, FS)
    assert "class MyModel(keras.Model):\n" in out
    assert out.endswith("model = MyModel()\npredictions = dict(zip(model.output_names, [model.predict(x)]))\n")
