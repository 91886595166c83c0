"""A model over a pretrained Keras application is compared without downloading its weights."""

from __future__ import annotations

import textwrap

from kconvert.verify import Verdict, Worker, verify_sources

ORIGINAL = textwrap.dedent("""
    import keras

    base = keras.applications.MobileNetV3Small(
        input_shape=(32, 32, 3), include_top=False, weights="imagenet", minimalistic=True
    )
    base.trainable = False
    model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2)])
""")
CONVERTED = textwrap.dedent("""
    import keras

    base = keras.applications.MobileNetV3Small(
        input_shape=(32, 32, 3), include_top=False, weights="imagenet", minimalistic=True
    )
    base.trainable = False
    inputs = keras.Input(shape=(32, 32, 3))
    x = base(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense({units})(x))
""")


def test_pretrained_weights_are_left_unloaded_and_said() -> None:
    with Worker() as worker:
        same = verify_sources(ORIGINAL, CONVERTED.format(units=2), worker=worker)
        wrong = verify_sources(ORIGINAL, CONVERTED.format(units=3), worker=worker)
    assert same.verdict is Verdict.EQUIVALENT, same.render()
    assert wrong.verdict is Verdict.DIFFERENT, wrong.render()
    assert same.notes == (
        "<original>:5: pretrained weights not loaded (weights=None): the verifier sets "
        "every weight itself, so they change nothing it compares",
        "<converted>:5: pretrained weights not loaded (weights=None): the verifier sets "
        "every weight itself, so they change nothing it compares",
    )
    assert same.notes[0] in same.render(width=200)
