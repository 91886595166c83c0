"""A builder function whose parameters all have defaults."""

import keras
from keras import layers


def build_model(num_classes=3, hidden=24, input_dim=12):
    inputs = keras.Input(shape=(input_dim,))
    x = layers.Dense(hidden, activation="relu")(inputs)
    outputs = layers.Dense(num_classes)(x)
    return keras.Model(inputs, outputs)
