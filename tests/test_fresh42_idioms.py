"""Idioms of session 42's fresh real-world files (benchmarks/realworld, ``session = "fresh42"``)."""

from __future__ import annotations

import textwrap

from converting import C, F, S, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A script's main() imports Keras only when it runs, and defines the builder it calls below the
# imports, so the builder reads the imported names from main().
BUILDER_IN_MAIN = """\
    def main():
        from tensorflow import keras
        from tensorflow.keras import layers

        def get_model(classes):
            inputs = keras.Input(shape=(16,))
            x = layers.Dense(8, activation="relu")(inputs)
            outputs = layers.Dense(classes)(x)
            return keras.Model(inputs, outputs)

        model = get_model(3)
        model.summary()


    if __name__ == "__main__":
        main()
    """


def test_imports_of_the_function_around_a_builder_are_made_at_module_level_for_a_class() -> None:
    # Was caught by the safety check: "the converted code would read `keras`, which is not defined
    # where it is read": the class went to module level, main()'s imports stayed in main().
    assert convert(BUILDER_IN_MAIN, FS) == textwrap.dedent(
        """\
        from tensorflow import keras
        from tensorflow.keras import Model, layers, utils


        @utils.register_keras_serializable(package="m")
        class MyModel(Model):
            def __init__(self, classes, **kwargs):
                inputs = keras.Input(shape=(16,))
                x = layers.Dense(8, activation="relu")(inputs)
                outputs = layers.Dense(classes)(x)
                super().__init__(inputs=inputs, outputs=outputs, **kwargs)
                self.classes = classes

            def get_config(self):
                return {**super().get_config(), "classes": self.classes}


        def main():
            from tensorflow import keras
            from tensorflow.keras import layers

            def get_model(classes):
                return MyModel(classes=classes)

            model = get_model(3)
            model.summary()


        if __name__ == "__main__":
            main()
        """
    )
    assert "class MyModel(Model):" in convert(BUILDER_IN_MAIN, C)


def test_a_value_of_the_function_around_a_builder_is_refused_with_its_line() -> None:
    # A local of main() the model reads cannot be passed without changing the lines that call the
    # builder: refused where it is bound, not caught by the safety check.
    text = BUILDER_IN_MAIN.replace("import layers\n", "import layers\n        units = 8\n")
    text = text.replace("Dense(8,", "Dense(units,")
    for target in (C, FS):
        assert refusal(text, target)[0].startswith(
            "m.py:4:5: error: `units`, a local of `main`, is read by the model of `get_model`, a function `main` defines"
        )
    # The graph styles keep the builder where it is, where it reads main()'s names as before.
    assert convert(text, S).count("units") == 2


# A transfer-learning subclass stores a Keras application's preprocessing function on itself and
# calls it first in call().
STORED_FUNCTION = """\
    import tensorflow as tf
    from tensorflow.keras import Model
    from tensorflow.keras.applications.resnet import preprocess_input
    from tensorflow.keras.layers import Dense, GlobalAveragePooling2D


    class Classifier(Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.preprocess = preprocess_input
            self.pool = GlobalAveragePooling2D()
            self.head = Dense(3)

        def call(self, x, training=False):
            x = self.preprocess(x)
            return self.head(self.pool(x))


    model = Classifier()
    model(tf.ones([2, 32, 32, 3]))
    """


def test_a_keras_function_stored_on_a_subclass_is_called_as_a_function_in_a_graph() -> None:
    # Was caught to functional ("reading the converted code back gives a different layer graph"):
    # `self.preprocess` was read as a layer object, which the Functional code calls as a function.
    assert convert(STORED_FUNCTION, F).endswith(
        textwrap.dedent(
            """\
            inputs = tf.keras.Input(shape=(32, 32, 3))
            x = preprocess_input(inputs)
            pool = GlobalAveragePooling2D()(x)
            outputs = Dense(3)(pool)
            model = Model(inputs=inputs, outputs=outputs)
            model(tf.ones([2, 32, 32, 3]))
            """
        )
    )
    assert "x = preprocess_input(inputs)" in convert(STORED_FUNCTION, FS)


def test_a_keras_function_stored_on_a_subclass_is_no_layer_of_a_sequential() -> None:
    # Was written into the Sequential's list of layers, which Keras 3 refuses for a function.
    assert refusal(STORED_FUNCTION, S)[0].startswith(
        "m.py:15:13: error: `x` is computed by `preprocess_input(...)`, a function kconvert does not read as layers"
    )


# A chapter's script tries a residual connection on its own first, then builds the model in the
# same function on new tensors of the same names.
TRIED_FIRST = """\
    from tensorflow import keras
    from tensorflow.keras import layers


    def main():
        # Trying a projection on its own.
        inputs = keras.Input(shape=(16,))
        x = layers.Dense(8)(inputs)

        inputs = keras.Input(shape=(16,))
        x = layers.Dense(8, activation="relu")(inputs)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        model.summary()
    """


def test_a_graph_tried_before_the_model_stays_where_it_is() -> None:
    # Was refused: "`inputs` is an Input that is not among the model's inputs" (line 7): the tried
    # lines bind `inputs` and `x`, which the model's own lines bind again before reading them, but
    # were taken as statements preparing the model's arguments.
    assert convert(TRIED_FIRST, S).endswith(
        textwrap.dedent(
            """\
            def main():
                # Trying a projection on its own.
                inputs = keras.Input(shape=(16,))
                x = layers.Dense(8)(inputs)

                model = keras.Sequential(
                    [
                        keras.Input(shape=(16,)),
                        layers.Dense(8, activation="relu"),
                        layers.Dense(1),
                    ]
                )
                model.summary()
            """
        )
    )
    assert "    x = layers.Dense(8)(inputs)\n\n    model = MyModel()\n" in convert(TRIED_FIRST, FS)


def test_a_value_the_tried_graph_and_the_model_both_read_is_passed_to_the_class() -> None:
    text = TRIED_FIRST.replace("        # Trying a projection on its own.\n", "        width = 8\n")
    text = text.replace("Dense(8", "Dense(width")
    converted = convert(text, FS)
    assert "    x = layers.Dense(width)(inputs)\n\n    model = MyModel(width=width)\n" in converted
    assert '        x = layers.Dense(width, activation="relu")(inputs)\n' in converted


# A GAN script's builder stacks the generator and the discriminator it is given in a Sequential.
STACKED_GIVEN = """\
    from keras.layers import Dense
    from keras.models import Sequential


    def build_generator(zdim):
        model = Sequential()
        model.add(Dense(16, input_dim=zdim))
        model.add(Dense(4))
        return model


    def build_gan(generator, critic):
        model = Sequential()
        model.add(generator)
        model.add(critic)
        return model


    generator = build_generator(8)
    gan = build_gan(generator, Dense(1))
    """


def test_a_model_given_to_a_builder_is_the_attribute_its_parameter_is_kept_in() -> None:
    # Was `self.generator = generator` and `self.generator_layer = generator`, the same object
    # kept twice, called through the second.
    converted = convert(STACKED_GIVEN, C)
    assert textwrap.dedent(
        """\
        class GAN(Model):
            def __init__(self, generator, critic, **kwargs):
                super().__init__(**kwargs)
                self.generator = generator
                self.critic = critic

            def call(self, inputs, training=None):
                x = self.generator(inputs)
                return self.critic(x)
        """
    ) in converted
    assert "_layer" not in converted
