"""A model made of other models, converted: the inner models are paired and compared inside it.

The Keras ACGAN's ``combined`` calls a generator whose builder makes its Sequential body first.
Converted to a subclass, the generator makes that body first in ``__init__`` too, so its weights
come in another order than the graph's (which lists them in call order); and the module-level
``generator`` the combined model called is made inside the combined class. The verifier paired
nested models by their weights in order and copied them so, and looked for ``generator`` at
module level: DIFFERENT and ERROR for an equivalent conversion.
"""

from __future__ import annotations

import textwrap

import pytest

from kconvert.convert import convert_source
from kconvert.types import Converted, Options, Style
from kconvert.verify import Verdict, Worker, verify_sources

pytestmark = pytest.mark.tensorflow

GAN = textwrap.dedent("""
    import keras
    from keras import layers


    def build_generator(num_classes, latent_size):
        cnn = keras.Sequential([
            layers.Dense(64, activation="relu"),
            layers.Dense(16, activation="tanh"),
        ])
        latent = keras.Input(shape=(latent_size,))
        image_class = keras.Input(shape=(1,), dtype="int32")
        cls = layers.Flatten()(layers.Embedding(num_classes, latent_size)(image_class))
        fake = cnn(layers.Multiply()([latent, cls]))
        return keras.Model(inputs=[latent, image_class], outputs=[fake])


    def build_discriminator():
        inp = keras.Input(shape=(16,))
        x = layers.Dense(8, activation="relu")(inp)
        return keras.Model(inp, [layers.Dense(1)(x), layers.Dense(3)(x)])


    generator = build_generator(10, 8)
    discriminator = build_discriminator()
    latent = keras.Input(shape=(8,))
    image_class = keras.Input(shape=(1,), dtype="int32")
    fake = generator([latent, image_class])
    discriminator.trainable = False
    fake, aux = discriminator(fake)
    combined = keras.Model([latent, image_class], [fake, aux])
""")


def test_inner_models_converted_to_classes_are_compared_inside_the_outer_one() -> None:
    converted = convert_source(GAN, Style.SUBCLASS, Options(), "gan.py")
    assert isinstance(converted, Converted), converted
    assert "        self.generator = build_generator(10, 8)\n" in converted.source
    with Worker() as worker:
        same = verify_sources(GAN, converted.source, worker=worker)
        # One activation changed inside the generator's body: still found, inside.
        wrong = verify_sources(GAN, converted.source.replace('Dense(64, activation="relu")', 'Dense(64, activation="elu")'), worker=worker)
    assert same.verdict is Verdict.EQUIVALENT, same.render()
    assert [model.name for model in same.models] == ["combined"]
    assert wrong.verdict is Verdict.DIFFERENT, wrong.render()
