"""Dense, BatchNormalization, ReLU with the second BatchNormalization dropped."""

import keras
from keras import layers

inputs = keras.Input(shape=(20,))
x = layers.Dense(32)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
x = layers.Dense(16)(x)
x = layers.Activation("relu")(x)
outputs = layers.Dense(5, activation="softmax")(x)
model = keras.Model(inputs, outputs)
