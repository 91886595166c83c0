"""Statements among a Sequential model's layers (issue 9, third pass).

Each case is a small model of our own with the idea of a public file from the
real-code measure: Géron's notebook compiles one model and then defines a
builder with a ``model`` of its own; the DCGAN tutorial checks
``model.output_shape`` after each stage.  Expected outputs are written by hand.
"""

from __future__ import annotations

import textwrap

from kconvert.types import Style

from converting import convert, refusal

F, S, C = Style.FUNCTIONAL, Style.SEQUENTIAL, Style.SUBCLASS


def test_a_later_function_with_a_model_of_its_own_is_no_late_add() -> None:
    source = """\
    import keras

    model = keras.Sequential([keras.layers.Dense(3, input_shape=[8])])
    model.compile(loss="mse")


    def build_model():
        model = keras.Sequential()
        model.add(keras.layers.Dense(2, input_shape=[4]))
        return model
    """
    assert convert(source, F) == textwrap.dedent(
        """\
        import keras

        inputs = keras.Input(shape=[8])
        outputs = keras.layers.Dense(3)(inputs)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.compile(loss="mse")


        def build_model():
            inputs = keras.Input(shape=[4])
            outputs = keras.layers.Dense(2)(inputs)
            model = keras.Model(inputs=inputs, outputs=outputs)
            return model
        """
    )


def test_a_later_function_that_adds_to_the_module_model_is_a_late_add() -> None:
    source = """\
    import keras

    model = keras.Sequential([keras.layers.Dense(3, input_shape=[8])])
    model.compile(loss="mse")


    def grow():
        model.add(keras.layers.Dense(2))
    """
    assert refusal(source, F)[0].startswith(
        'm.py:4:1: error: `model.compile(loss="mse")` reads `model` while its layers are being added'
    )


DCGAN = """\
import keras
from keras import layers


def make_generator_model():
    model = keras.Sequential()
    model.add(layers.Dense(2 * 2 * 4, input_shape=(8,)))
    model.add(layers.Reshape((2, 2, 4)))
    assert model.output_shape == (None, 2, 2, 4)
    for _ in range(2):
        model.add(layers.UpSampling2D())
        print("stage", model.output_shape[1:])
    model.add(layers.Conv2D(1, 3, padding="same"))
    assert model.output_shape == (None, 8, 8, 1)
    return model
"""


def test_the_output_shape_between_adds_is_the_last_tensors_shape() -> None:
    # In a loop too; the check after the last add reads the model, and stays after it.
    assert convert(DCGAN, F) == textwrap.dedent(
        """\
        import keras
        from keras import layers


        def make_generator_model():
            inputs = keras.Input(shape=(8,))
            x = layers.Dense(2 * 2 * 4)(inputs)
            x = layers.Reshape((2, 2, 4))(x)
            assert x.shape == (None, 2, 2, 4)
            for _ in range(2):
                x = layers.UpSampling2D()(x)
                print("stage", x.shape[1:])
            outputs = layers.Conv2D(1, 3, padding="same")(x)
            model = keras.Model(inputs=inputs, outputs=outputs)
            assert model.output_shape == (None, 8, 8, 1)
            return model
        """
    )


def test_shape_checks_come_back_as_the_output_shape_between_adds() -> None:
    assert convert(convert(DCGAN, F), S) == textwrap.dedent(
        """\
        import keras
        from keras import layers


        def make_generator_model():
            model = keras.Sequential()
            model.add(keras.Input(shape=(8,)))
            model.add(layers.Dense(2 * 2 * 4))
            model.add(layers.Reshape((2, 2, 4)))
            assert model.output_shape == (None, 2, 2, 4)
            for _ in range(2):
                model.add(layers.UpSampling2D())
                print("stage", model.output_shape[1:])
            model.add(layers.Conv2D(1, 3, padding="same"))
            assert model.output_shape == (None, 8, 8, 1)
            return model
        """
    )


def test_a_shape_check_in_a_subclass_would_see_the_batch_size() -> None:
    # (The check after the model is refused on its own: a subclass has no `output_shape`.)
    source = DCGAN.replace("    assert model.output_shape == (None, 8, 8, 1)\n", "")
    assert refusal(source, C) == [
        "m.py:9:5: error: this statement reads the shape of a tensor while the model is built"
        " (`model.output_shape`, `x.shape`); in a subclass's call() that shape has the batch's real"
        " size, not None (hint: keep this model Sequential or Functional (or functional-subclass),"
        " read only the axes after the batch (`x.shape[1:]`), or remove the check)"
    ]


def test_a_shape_check_of_an_earlier_tensor_has_no_sequential_spelling() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    x = layers.Dense(8)(inputs)
    assert inputs.shape == (None, 4)
    outputs = layers.Dense(2)(x)
    model = keras.Model(inputs, outputs)
    """
    assert refusal(source, S) == [
        "m.py:6:1: error: this statement reads the shape of a tensor other than the last layer's"
        " output; a Sequential model only tells its current `output_shape`"
        " (hint: keep this model in the Functional API, or convert it to a subclass)"
    ]


def test_a_statement_reading_tensor_values_is_still_refused() -> None:
    source = """\
    import keras
    from keras import layers

    inputs = keras.Input(shape=(4,))
    x = layers.Dense(8)(inputs)
    print(x)
    outputs = layers.Dense(2)(x)
    model = keras.Model(inputs, outputs)
    """
    assert refusal(source, S)[0].startswith("m.py:6:1: error: `print(x)` uses a tensor but is not part")


def test_the_output_shape_before_any_layer_is_refused() -> None:
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential()
    assert model.output_shape is None
    model.add(layers.Dense(2, input_shape=(4,)))
    """
    assert refusal(source, F)[0].startswith(
        "m.py:5:1: error: `assert model.output_shape is None` reads the output shape of a model with no layer yet"
    )


def test_a_print_of_the_output_shape_between_adds_prints_it_there() -> None:
    # Run after the model, it would print the last layer's shape; `model.summary()` still moves there.
    source = """\
    import keras
    from keras import layers

    model = keras.Sequential()
    model.add(layers.Dense(8, input_shape=(4,)))
    print(model.output_shape)
    model.summary()
    model.add(layers.Dense(2))
    """
    assert convert(source, F) == textwrap.dedent(
        """\
        import keras
        from keras import layers

        inputs = keras.Input(shape=(4,))
        x = layers.Dense(8)(inputs)
        print(x.shape)
        outputs = layers.Dense(2)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.summary()
        """
    )


def test_a_shape_member_a_tuple_has_not_is_refused_for_sequential() -> None:
    source = """\
    import tensorflow as tf

    inputs = tf.keras.Input(shape=(4,))
    x = tf.keras.layers.Dense(8)(inputs)
    assert x.shape.rank == 2
    outputs = tf.keras.layers.Dense(2)(x)
    model = tf.keras.Model(inputs, outputs)
    """
    assert refusal(source, S) == [
        "m.py:5:1: error: this statement reads `.shape.rank` of a tensor; a Sequential model's `output_shape`"
        " is a plain tuple, without it (hint: read the shape as a tuple (`len(x.shape)`, `x.shape[-1]`), or"
        " keep the Functional API)"
    ]
