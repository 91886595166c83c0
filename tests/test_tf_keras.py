"""Files on ``tf_keras``, the Keras 2 package TensorFlow Hub models need (session 25).

kconvert reads it as a Keras root beside ``keras`` and ``tensorflow.keras`` and writes the file's
own spelling back; a model mixing it with Keras 3 is refused where it does. The golden cases are
``tests/fixtures/tf_keras_*``.
"""

from __future__ import annotations

import pytest

from kconvert.verify import verify_sources
from kconvert.verify.keras2 import CANNOT
from kconvert.verify.report import Verdict
from kconvert.types import Style

from converting import convert, refusal

F, S, C, G = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS, Style.FUNCTIONAL_SUBCLASS


HUB_TUTORIAL = """\
import tensorflow as tf
import tensorflow_hub as hub
import tf_keras as keras

hub_layer = hub.KerasLayer("https://example.org/nnlm", input_shape=[], dtype=tf.string, trainable=True)
print(hub_layer(tf.constant(["a review"])))

model = keras.Sequential()
model.add(hub_layer)
model.add(keras.layers.Dense(16, activation="relu"))
model.add(keras.layers.Dense(1))
"""


def test_the_hub_tutorial_converts_on_tf_keras_with_its_string_input() -> None:
    # It was refused at its import. Keras 2's Sequential gives its input the hub layer's dtype:
    # a float input would fail the layer.
    assert convert(HUB_TUTORIAL, F).splitlines()[7:] == [
        "inputs = keras.Input(shape=[], dtype=tf.string)",
        "x = hub_layer(inputs)",
        'x = keras.layers.Dense(16, activation="relu")(x)',
        "outputs = keras.layers.Dense(1)(x)",
        "model = keras.Model(inputs=inputs, outputs=outputs)",
    ]


def test_a_class_is_registered_through_tf_keras_saving_and_no_keras_import_is_added() -> None:
    source = """\
    from tf_keras.models import Sequential
    from tf_keras.layers import Dense

    model = Sequential()
    model.add(Dense(8, activation="relu", input_dim=4))
    model.add(Dense(1))
    """
    converted = convert(source, C)
    assert converted.splitlines()[:6] == [
        "from tf_keras.models import Model",
        "from tf_keras.layers import Dense, Input",
        "from tf_keras import saving",
        "",
        "",
        '@saving.register_keras_serializable(package="m")',
    ]
    assert "import keras" not in converted


def test_a_model_made_with_tf_keras_but_a_keras_3_layer_is_refused_at_the_layer() -> None:
    source = """\
    import keras
    import tf_keras

    model = tf_keras.Sequential([tf_keras.Input(shape=(4,)), keras.layers.Dense(2)])
    """
    assert refusal(source, F) == [
        "m.py:4:58: error: `keras.layers.Dense` comes from Keras 3, but this model is made with `tf_keras`,"
        " the Keras 2 package: one model cannot mix the two packages"
        " (hint: spell every Keras name of the model from the same package)"
    ]


def test_each_model_of_a_file_importing_both_packages_keeps_to_its_own() -> None:
    source = """\
    import keras
    import tf_keras

    old = tf_keras.Sequential([tf_keras.Input(shape=(4,)), tf_keras.layers.Dense(2)])
    new = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
    """
    assert convert(source, F).splitlines()[3:] == [
        "inputs = tf_keras.Input(shape=(4,))",
        "outputs = tf_keras.layers.Dense(2)(inputs)",
        "old = tf_keras.Model(inputs=inputs, outputs=outputs)",
        "inputs = keras.Input(shape=(4,))",
        "outputs = keras.layers.Dense(2)(inputs)",
        "new = keras.Model(inputs=inputs, outputs=outputs)",
    ]


def test_a_name_bound_to_both_packages_is_refused_where_the_model_reads_it() -> None:
    # A notebook imports `from tensorflow import keras` for its data, then `tf_keras as keras`.
    source = """\
    from tensorflow import keras

    data = keras.utils.to_categorical([1, 2])

    import tf_keras as keras

    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
    """
    (message,) = refusal(source, F)
    assert message.startswith(
        "m.py:7:9: error: `keras` is bound both to `tf_keras` (Keras 2) and to Keras 3 in this file"
    )


def test_tensorflow_functions_stay_as_written_in_a_tf_keras_model() -> None:
    # Keras 2 wraps them in a layer; it has no `keras.ops` for kconvert's twin.
    source = """\
    import tensorflow as tf
    import tf_keras as keras

    inputs = keras.Input(shape=(4,))
    x = tf.reshape(inputs, (-1, 2, 2))
    model = keras.Model(inputs, keras.layers.Flatten()(x))
    """
    assert "        x = tf.reshape(inputs, (-1, 2, 2))" in convert(source, C).splitlines()


def test_a_subclass_built_on_keras_ops_zeros_is_refused_in_tf_keras() -> None:
    source = """\
    import tf_keras as keras

    model = keras.Sequential(
        [keras.Input(batch_shape=(4, 10, 8)), keras.layers.LSTM(16, stateful=True), keras.layers.Dense(1)]
    )
    """
    assert refusal(source, C) == [
        "m.py:3:1: error: the subclass form of this model needs `keras.ops`, which `tf_keras`, the Keras 2"
        " package, does not have (hint: keep this model in its style, or move the file to Keras 3"
        " (`import keras`) to convert it)"
    ]


def test_a_first_layer_dtype_kconvert_cannot_read_is_refused_in_tf_keras() -> None:
    source = """\
    import tf_keras as keras

    policy = keras.mixed_precision.Policy("mixed_float16")
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,), dtype=policy)])
    """
    (message,) = refusal(source, F)
    assert "Keras 2 gives this model's input the first layer's dtype" in message
    assert "`policy`" in message


def test_verifying_a_tf_keras_model_says_it_cannot() -> None:
    # No pair reaches the worker, so no TensorFlow is needed.
    report = verify_sources(HUB_TUTORIAL, convert(HUB_TUTORIAL, F), worker=object())
    (model,) = report.models
    assert model.verdict is Verdict.ERROR
    assert model.reasons == (CANNOT,)


def test_a_layer_only_keras_2_has_is_known_in_a_tf_keras_model() -> None:
    source = """\
    import tf_keras as keras

    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.LocallyConnected2D(4, 3)])
    """
    assert "outputs = keras.layers.LocallyConnected2D(4, 3)(inputs)" in convert(source, F).splitlines()
    typo = source.replace("LocallyConnected2D(4, 3)", "Dence(2)")
    assert refusal(typo, F) == [
        "m.py:3:57: error: unknown layer `keras.layers.Dence`: `tf_keras` has no layers.Dence (hint: did you mean `Dense`?)"
    ]


@pytest.mark.parametrize("layer", ["RandomWidth(0.2)", "RandomHeight(0.2)", "ThresholdedReLU(1.0)"])
def test_a_legacy_layer_keras_3_keeps_for_tensorflow_keras_is_known_there_only(layer: str) -> None:
    # Keras 3's `tf.keras` API (keras._tf_keras) keeps these Keras 2 layers; `keras.layers` has none.
    source = f"""\
    from tensorflow import keras
    from tensorflow.keras import layers

    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.{layer}])
    """
    assert f"outputs = layers.{layer}(inputs)" in convert(source, F).splitlines()
    plain = source.replace("from tensorflow import keras\n    from tensorflow.keras", "import keras\n    from keras")
    [line] = refusal(plain, F)
    assert f"unknown layer `layers.{layer.split('(')[0]}`: Keras 3 has no layers." in line
