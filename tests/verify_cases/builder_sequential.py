"""The builder's model at its default arguments, Sequential."""

import keras
from keras import layers

model = keras.Sequential(
    [keras.Input(shape=(12,)), layers.Dense(24, activation="relu"), layers.Dense(3)]
)
