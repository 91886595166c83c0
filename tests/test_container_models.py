"""A training class with no call() that makes its models from its constructor's parameter, after
storing it on itself (the TensorFlow CVAE tutorial, keras.io's NNCLR): each model becomes a class at
module level that takes the parameter, made with `Encoder(latent_dim=latent_dim)`."""

from __future__ import annotations

from converting import C, convert, refusal

SOURCE = '''\
"""An autoencoder whose training class stores its size, then makes its two halves from it."""

import keras
from keras import layers


class AutoEncoder(keras.Model):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = keras.Sequential(
            [
                keras.Input(shape=(16,)),
                layers.Dense(8, activation="relu"),
                layers.Dense(latent_dim),
            ]
        )
        self.decoder = keras.Sequential(
            [keras.Input(shape=(latent_dim,)), layers.Dense(16, activation="sigmoid")]
        )

    def train_step(self, data):
        return {"loss": 0.0}


autoencoder = AutoEncoder(latent_dim=2)
'''

# The decoder has no use for `latent_dim`: only the line building it reads it, in the container.
SUBCLASS = '''\
"""An autoencoder whose training class stores its size, then makes its two halves from it."""

import keras
from keras import layers


@keras.saving.register_keras_serializable(package="m")
class Encoder(keras.Model):
    def __init__(self, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.dense1 = layers.Dense(8, activation="relu")
        self.dense2 = layers.Dense(latent_dim)

    def call(self, inputs, training=None):
        x = self.dense1(inputs)
        return self.dense2(x)

    def get_config(self):
        return {**super().get_config(), "latent_dim": self.latent_dim}


@keras.saving.register_keras_serializable(package="m")
class Decoder(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(16, activation="sigmoid")

    def call(self, inputs, training=None):
        return self.dense(inputs)


class AutoEncoder(keras.Model):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = Encoder(latent_dim=latent_dim)
        self.encoder(keras.Input(shape=(16,)))
        self.decoder = Decoder()
        self.decoder(keras.Input(shape=(latent_dim,)))

    def train_step(self, data):
        return {"loss": 0.0}


autoencoder = AutoEncoder(latent_dim=2)
'''


def test_a_class_target_passes_the_methods_parameter_to_each_model_the_container_makes() -> None:
    # `self.latent_dim = latent_dim` above the models sets the container's attribute: it used to be
    # taken as preparing the model (both name `self`), and the model refused as reading `self`.
    assert convert(SOURCE, C) == SUBCLASS


def test_a_model_that_reads_an_attribute_of_the_container_is_given_the_attribute() -> None:
    # Used to be refused: the class of its own takes `latent_dim`, which the container passes.
    source = SOURCE.replace("layers.Dense(latent_dim),", "layers.Dense(self.latent_dim),")
    assert convert(source, C) == SUBCLASS.replace(
        "self.encoder = Encoder(latent_dim=latent_dim)", "self.encoder = Encoder(latent_dim=self.latent_dim)"
    )
