"""Layers that act only while training: Dropout, noise, BatchNormalization."""

import keras
from keras import layers

inputs = keras.Input(shape=(12,))
x = layers.Dense(16)(inputs)
x = layers.BatchNormalization(momentum=0.99)(x)
x = layers.Dropout(0.3)(x)
x = layers.GaussianNoise(0.1)(x)
outputs = layers.Dense(3)(x)
model = keras.Model(inputs, outputs)
