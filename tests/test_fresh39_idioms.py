"""Idioms of session 39's fresh real-world files (benchmarks/realworld, ``session = "fresh39"``)."""

from __future__ import annotations

import textwrap

from converting import F, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A training script star-imports Keras 2's internal layers module, then `tensorflow.keras.layers`
# below it: Python binds `Dense` again at the second import, so the model's layers are Keras 3's.
STARRED_TWICE = """\
    from tensorflow.python.keras.layers import *
    from tensorflow.keras.models import Sequential
    from tensorflow.keras.layers import *

    model = Sequential()
    model.add(Dense(8, activation="relu", input_shape=(4,)))
    model.add(Dense(2))
    """


def test_a_name_two_star_imports_bind_is_the_later_ones() -> None:
    # Was refused: "`tensorflow.python.keras.layers.Dense` is a Keras 2 internal path".
    assert convert(STARRED_TWICE, F) == textwrap.dedent(
        """\
        from tensorflow.python.keras.layers import *
        from tensorflow.keras.models import Model
        from tensorflow.keras.layers import *

        inputs = Input(shape=(4,))
        x = Dense(8, activation="relu")(inputs)
        outputs = Dense(2)(x)
        model = Model(inputs=inputs, outputs=outputs)
        """
    )


def test_a_keras_2_star_import_below_the_keras_one_is_still_refused() -> None:
    swapped = STARRED_TWICE.replace("tensorflow.python.keras.layers import", "SWAP").replace(
        "tensorflow.keras.layers import", "tensorflow.python.keras.layers import"
    ).replace("SWAP", "tensorflow.keras.layers import")
    (message,) = refusal(swapped, F)
    assert message.startswith(
        "m.py:6:11: error: `tensorflow.python.keras.layers.Dense` is a Keras 2 internal path that Keras 3 does not have"
    )


# An RL agent's actor builds itself in its constructor, on a batch axis put before the observation
# shape it is given: `self.build(input_shape=(None,) + obs_shape)`.
BUILT_ON_ITS_ARGUMENT = """\
    import keras


    class Actor(keras.Model):
        def __init__(self, obs_shape, n_actions):
            super().__init__()
            self.hidden = keras.layers.Dense(16, activation="relu")
            self.head = keras.layers.Dense(n_actions)
            self.build(input_shape=(None,) + obs_shape)

        def call(self, inputs):
            return self.head(self.hidden(inputs))


    actor = Actor((4,), 2)
    """


def test_a_subclass_built_on_its_arguments_shape_is_given_that_shape() -> None:
    # Was refused: "this model has no input shape", to Functional and to functional-subclass.
    assert convert(BUILT_ON_ITS_ARGUMENT, F) == textwrap.dedent(
        """\
        import keras


        def Actor(obs_shape, n_actions):
            inputs = keras.Input(shape=obs_shape)
            hidden = keras.layers.Dense(16, activation="relu")(inputs)
            outputs = keras.layers.Dense(n_actions)(hidden)
            model = keras.Model(inputs=inputs, outputs=outputs)
            model.build(input_shape=(None,) + obs_shape)
            return model


        actor = Actor((4,), 2)
        """
    )
    assert "        inputs = keras.Input(shape=obs_shape)\n" in convert(BUILT_ON_ITS_ARGUMENT, FS)


def test_a_subclass_built_on_a_literal_shape_by_keyword_is_given_it() -> None:
    literal = BUILT_ON_ITS_ARGUMENT.replace("(None,) + obs_shape", "(None, 4)")
    assert "    inputs = keras.Input(shape=(4,))\n" in convert(literal, F)


def test_a_shape_added_to_something_else_than_the_batch_is_no_input_shape() -> None:
    # `(None, 2) + rest` or `(8,) + shape` are not read: only a lone batch axis goes before the shape.
    for built in ("(None, 2) + obs_shape", "(8,) + obs_shape"):
        (message, *_) = refusal(BUILT_ON_ITS_ARGUMENT.replace("(None,) + obs_shape", built), F)
        assert "error: this model has no input shape" in message
