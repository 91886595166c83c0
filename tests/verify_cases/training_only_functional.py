"""A custom layer that behaves differently while training, and only then."""

import keras
from keras import layers


class Scale(layers.Layer):
    def call(self, x, training=None):
        return x * 0.5 if training else x


inputs = keras.Input(shape=(6,))
x = layers.Dense(4)(inputs)
x = Scale()(x)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs)
