"""Dense, BatchNormalization, ReLU, Functional API."""

import keras
from keras import layers

inputs = keras.Input(shape=(20,))
x = inputs
for width in [32, 16]:
    x = layers.Dense(width)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
outputs = layers.Dense(5, activation="softmax")(x)
model = keras.Model(inputs, outputs)
