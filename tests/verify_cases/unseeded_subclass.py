"""The same encoder subclassed, sampling inline in call(), still without a seed."""

import keras
from keras import layers, ops


class Encoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.mean = layers.Dense(2)
        self.log_var = layers.Dense(2)

    def call(self, inputs):
        x = self.hidden(inputs)
        z_mean = self.mean(x)
        z_log_var = self.log_var(x)
        epsilon = keras.random.normal(shape=ops.shape(z_mean))
        return z_mean, z_log_var, z_mean + ops.exp(0.5 * z_log_var) * epsilon


encoder = Encoder()
encoder(keras.ops.zeros((3, 16)))
