"""A Sequential block nested in a Functional model."""

import keras
from keras import layers

block = keras.Sequential([layers.Dense(8), layers.Dropout(0.2), layers.Dense(8)], name="block")

inputs = keras.Input(shape=(5,))
x = block(inputs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
