"""The same encoder, subclassed: built by a call, so its generator has been used once more."""

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


class Encoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.mean = layers.Dense(2)
        self.log_var = layers.Dense(2)
        self.sampling = Sampling()

    def call(self, inputs):
        x = self.hidden(inputs)
        z_mean = self.mean(x)
        z_log_var = self.log_var(x)
        return z_mean, z_log_var, self.sampling([z_mean, z_log_var])


encoder = Encoder()
encoder(keras.ops.zeros((3, 16)))
