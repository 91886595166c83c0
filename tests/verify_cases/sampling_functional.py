"""A VAE-style encoder whose sampling layer draws noise from its own seeded generator."""

import keras
from keras import layers, ops


class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


inputs = keras.Input(shape=(16,))
x = layers.Dense(8, activation="relu")(inputs)
z_mean = layers.Dense(2)(x)
z_log_var = layers.Dense(2)(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(inputs, [z_mean, z_log_var, z])
