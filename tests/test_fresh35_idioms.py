"""Idioms of session 35's fresh real-world files (benchmarks/realworld, ``session = "fresh35"``)."""

from __future__ import annotations

from converting import C, F, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS
S = Style.SEQUENTIAL

# A Keras 3 physics repository's subclasses build themselves at the end of `__init__` on an Input of
# the shape their constructor is given.
SELF_BUILT = """\
    import keras


    class Net(keras.Model):
        def __init__(self, input_shape, name="net", **kwargs):
            super().__init__(name=name, **kwargs)
            self.shape_given = input_shape
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.out = keras.layers.Dense(2)
            {setup}

        def call(self, x):
            return self.out(self.hidden(x))
    """


def test_a_subclass_that_calls_itself_on_an_input_in_init_has_that_input() -> None:
    # Was refused as "this model has no input shape, and kconvert does not run code to find one".
    converted = convert(SELF_BUILT.format(setup="self.call(keras.Input(shape=input_shape))"), F)
    assert converted == (
        "import keras\n"
        "\n"
        "\n"
        "def Net(input_shape, **kwargs):\n"
        "    x = keras.Input(shape=input_shape)\n"
        '    hidden = keras.layers.Dense(8, activation="relu")(x)\n'
        "    outputs = keras.layers.Dense(2)(hidden)\n"
        '    model = keras.Model(inputs=x, outputs=outputs, name="net", **kwargs)\n'
        "    model.call(keras.Input(shape=input_shape))\n"
        "    return model\n"
    )
    graph_class = convert(SELF_BUILT.format(setup="self(keras.Input(shape=input_shape))"), FS)
    assert "        x = keras.Input(shape=input_shape)\n" in graph_class


def test_a_subclass_that_builds_itself_in_init_has_that_input() -> None:
    converted = convert(SELF_BUILT.format(setup="self.build((None, 3, input_shape))"), F)
    assert "    x = keras.Input(shape=(3, input_shape))\n" in converted


def test_a_setup_call_on_something_else_gives_no_input() -> None:
    # `self.call(x)` on data of the file, not an Input: the class still says no shape.
    (message,) = refusal(SELF_BUILT.format(setup="self.call(input_shape)"), F)
    assert "this model has no input shape" in message


NAMED = """\
    import keras


    class Net(keras.Model):
        def __init__(self, width, name="net", **kwargs):
            super().__init__(name=name, **kwargs)
            self.first = keras.layers.Dense(width)
            self.second = keras.layers.Dense(2)

        def call(self, inputs):
            return self.second(self.first(inputs))


    model = Net(4, {name})
    model.build((None, 4))
    print(model.name)
    """


def test_a_model_named_by_its_caller_keeps_its_name_parameter() -> None:
    # The builder dropped `name` for its default, so `Net(4, name="other")` gave `keras.Model(...,
    # name="net", **kwargs)` a second `name`: a TypeError where the file made its model.
    converted = convert(NAMED.format(name='name="other"'), F)
    assert converted.startswith(
        "import keras\n"
        "\n"
        "\n"
        'def Net(width, name="net", **kwargs):\n'
        "    inputs = keras.Input(shape=(4,))\n"
    )
    assert "    return keras.Model(inputs=inputs, outputs=outputs, name=name, **kwargs)\n" in converted
    assert 'model = Net(4, name="other")\n' in converted
    sequential = convert(NAMED.format(name='name="other"'), S)
    assert "        name=name,\n        **kwargs\n" in sequential


def test_a_model_the_file_does_not_name_still_takes_its_default_name() -> None:
    converted = convert(NAMED.format(name="").replace("Net(4, )", "Net(4)"), F)
    assert 'def Net(width, **kwargs):\n' in converted
    assert 'name="net", **kwargs)\n' in converted


PIX2PIX = """\
    from keras.layers import Concatenate, Conv2D
    from keras.models import Input, Model


    def define_discriminator(image_shape):
        in_src = Input(shape=image_shape)
        in_target = Input(shape=image_shape)
        merged = Concatenate()([in_src, in_target])
        out = Conv2D(1, 4, padding="same")(merged)
        return Model([in_src, in_target], out)


    model = define_discriminator((32, 32, 3))
    """


def test_keras_2s_input_from_keras_models_is_an_input() -> None:
    # Keras 2 exported Input from `keras.models` too; it was "the model input `in_src` is not made by
    # `keras.Input(...)` in this block".
    converted = convert(PIX2PIX, C)
    assert "class Discriminator(Model):\n" in converted
    assert "        in_src, in_target = inputs\n" in converted
    assert "    model([Input(shape=image_shape), Input(shape=image_shape)])\n" in converted
    graph_class = convert(PIX2PIX, FS)
    # The file's own spelling of Input is kept.
    assert "        in_src = Input(shape=image_shape)\n" in graph_class
    assert "from keras.models import Input, Model\n" in graph_class


def test_a_model_a_function_makes_with_its_own_name_parameter_becomes_that_functions_code() -> None:
    # The function passes its `name` on: the class's default name left the builder without that
    # parameter, so the class stayed a builder called by the function with a second `name` (a
    # TypeError); now the function's own code builds the model, reading its own `name`.
    text = """\
        import keras


        class Net(keras.Model):
            def __init__(self, units, name="net", **kwargs):
                super().__init__(name=name, **kwargs)
                self.hidden = keras.layers.Dense(units)
                self.out = keras.layers.Dense(1)

            def call(self, inputs):
                return self.out(self.hidden(inputs))


        def build_net(units, name="net"):
            model = Net(units=units, name=name)
            model(keras.Input(shape=(3,)))
            return model
        """
    assert convert(text, F) == (
        "import keras\n"
        "\n"
        "\n"
        'def build_net(units, name="net"):\n'
        "    inputs = keras.Input(shape=(3,))\n"
        "    hidden = keras.layers.Dense(units)(inputs)\n"
        "    outputs = keras.layers.Dense(1)(hidden)\n"
        "    return keras.Model(inputs=inputs, outputs=outputs, name=name)\n"
    )


# An autoencoder script names the encoder's last tensor as it names the model made of it.
NAMED_AS_ITS_TENSOR = """\
    import keras
    from keras.layers import Dense

    inputs = keras.Input(shape=(8,))
    encoder = Dense(4, activation="relu")(inputs)
    encoder = Dense(2)(encoder)
    encoder = keras.Model(inputs, encoder, name="encoder")

    codes = encoder(keras.Input(shape=(8,)))
    """


def test_the_models_own_name_read_after_it_is_the_model_not_a_tensor_of_its_code() -> None:
    # Was refused as "`encoder` from the model's code is still used here, but the sequential form
    # has no such variable": after the model's line `encoder` is the model, which each form binds.
    assert convert(NAMED_AS_ITS_TENSOR, S) == (
        "import keras\n"
        "from keras.layers import Dense\n"
        "\n"
        "encoder = keras.Sequential(\n"
        "    [\n"
        "        keras.Input(shape=(8,)),\n"
        '        Dense(4, activation="relu"),\n'
        "        Dense(2),\n"
        "    ],\n"
        '    name="encoder",\n'
        ")\n"
        "\n"
        "codes = encoder(keras.Input(shape=(8,)))\n"
    )
    assert "\nencoder = Encoder()\n\ncodes = encoder(keras.Input(shape=(8,)))\n" in convert(NAMED_AS_ITS_TENSOR, FS)


def test_a_tensor_of_the_models_code_read_after_it_is_still_refused() -> None:
    (message,) = refusal(NAMED_AS_ITS_TENSOR + "print(inputs)\n", S)
    assert "`inputs` from the model's code is still used here" in message
