"""A sampling layer that calls tf.random.normal with no seed at all."""

import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        return z_mean + tf.exp(0.5 * z_log_var) * tf.random.normal(tf.shape(z_mean))


inputs = keras.Input(shape=(10,))
z_mean = layers.Dense(3)(inputs)
z_log_var = layers.Dense(3)(inputs)
z = Sampling()([z_mean, z_log_var])
encoder = keras.Model(inputs, z)
