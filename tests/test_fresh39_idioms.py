"""Idioms of session 39's fresh real-world files (benchmarks/realworld, ``session = "fresh39"``)."""

from __future__ import annotations

import textwrap

from converting import F, convert, refusal

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
