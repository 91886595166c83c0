"""A residual block, Functional API."""

import keras
from keras import layers

inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation="relu")(inputs)
y = layers.Dense(64)(x)
y = layers.Add()([x, y])
outputs = layers.Dense(10)(y)
model = keras.Model(inputs, outputs)
