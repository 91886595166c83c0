"""Idioms of session 38's fresh real-world files (benchmarks/realworld, ``session = "fresh38"``)."""

from __future__ import annotations

import textwrap

import pytest

from converting import C, F, S, convert, refusal

from kconvert.types import Style

FS = Style.FUNCTIONAL_SUBCLASS

# A tutorial script copies its model through the model's config with Keras' own class:
# `tf.keras.Model.from_config` reads a graph's config, which only the Functional model gives.
REBUILT = """\
    import tensorflow as tf

    inputs = tf.keras.Input((4,))
    outputs = tf.keras.layers.Dense(3)(inputs)
    model = tf.keras.Model(inputs, outputs)
    config = model.get_config()
    copy = tf.keras.Model.from_config(config)
    """


@pytest.mark.parametrize("target", [S, C, FS])
def test_a_config_made_a_model_again_by_a_keras_class_is_refused_in_another_style(target: Style) -> None:
    # Was exit 0: to Sequential, `Model.from_config` of a Sequential's config raises a ValueError; to
    # a class, it makes an empty `Model` of the class's constructor arguments.
    (message,) = refusal(REBUILT, target)
    assert message.startswith(
        "m.py:6:10: error: `model.get_config()` is read where the file makes a model of a config with a Keras"
        " class's `from_config`, which reads it as a functional model's"
    )
    assert "(hint: make the copy with `type(model).from_config(...)` or `keras.models.clone_model(model)`" in message


def test_a_config_made_a_model_again_by_the_models_own_class_still_converts() -> None:
    own = REBUILT.replace("tf.keras.Model.from_config(config)", "type(model).from_config(config)")
    assert "copy = type(model).from_config(config)\n" in convert(own, C)
    # Nor is a config that nothing makes a model of again a reason to refuse.
    printed = REBUILT.replace("copy = tf.keras.Model.from_config(config)", "print(config)")
    assert "print(config)\n" in convert(printed, S)


def test_a_config_made_a_model_again_stays_as_it_is_in_its_own_style() -> None:
    assert convert(REBUILT, F) == textwrap.dedent(REBUILT)
