"""A VAE encoder whose sampling draws from Keras' global generator (no seed)."""

import keras
from keras import layers, ops


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(shape=ops.shape(z_mean))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


inputs = keras.Input(shape=(16,))
x = layers.Dense(8, activation="relu")(inputs)
z_mean = layers.Dense(2)(x)
z_log_var = layers.Dense(2)(x)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(inputs, [z_mean, z_log_var, z])
