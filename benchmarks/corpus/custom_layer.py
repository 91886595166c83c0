"""Like keras.io 'Making new layers and models via subclassing': a `Linear` layer with add_weight defined in the same file and stacked in a model."""

import keras
from keras import layers, ops


class Linear(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.b = self.add_weight(
            shape=(self.units,), initializer="zeros", trainable=True
        )

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


inputs = keras.Input(shape=(784,))
x = Linear(64)(inputs)
x = layers.Activation("relu")(x)
x = ActivityRegularizationLayer(1e-2)(x)
x = Linear(32)(x)
x = layers.Activation("relu")(x)
outputs = Linear(10)(x)
model = keras.Model(inputs, outputs, name="mlp_with_custom_layers")
