"""Idioms of session 40's fresh real-world files (benchmarks/realworld, ``session = "fresh40"``)."""

from __future__ import annotations

import textwrap

from converting import F, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A text classifier's call() first checks the rank of what it is given, and says what it got
# with `str.format` on the tensor's shape.
RANK_CHECK = """\
    from tensorflow import keras


    class Classifier(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(8, activation="relu")
            self.head = keras.layers.Dense(2)

        def call(self, inputs):
            if len(inputs.shape) != 2:
                raise ValueError("rank 2 expected, not {}".format(inputs.shape))
            x = self.hidden(inputs)
            return self.head(x)


    model = Classifier()
    model.build((None, 6))
    """


def test_a_check_whose_message_formats_a_shape_is_kept_as_a_check() -> None:
    # Was refused: "this `if` calls layers but binds no tensor": `"...".format(inputs.shape)` was
    # read as the call of a layer from outside the model.
    assert convert(RANK_CHECK, F) == textwrap.dedent(
        """\
        from tensorflow import keras

        inputs = keras.Input(shape=(6,))
        if len(inputs.shape) != 2:
            raise ValueError("rank 2 expected, not {}".format(inputs.shape))
        x = keras.layers.Dense(8, activation="relu")(inputs)
        outputs = keras.layers.Dense(2)(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        """
    )


def test_a_string_method_on_a_tensor_between_layers_is_still_no_layer() -> None:
    # The same call outside a check, where its value would be a tensor's: still a function (a
    # str), so the line is code the graph cannot hold, not a layer call kconvert would move.
    text = RANK_CHECK.replace(
        'if len(inputs.shape) != 2:\n                raise ValueError("rank 2 expected, not {}".format(inputs.shape))',
        'label = "{}".format(inputs)',
    )
    assert 'label = "{}".format(inputs)' in text
    assert refusal(text, F) == [
        "m.py:11:17: error: `label` is computed among the model's statements but the model does not use it"
        " (hint: move unrelated code after the model, or add the tensor to the outputs)"
    ]
