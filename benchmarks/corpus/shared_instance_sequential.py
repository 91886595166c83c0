"""Like weight-tying snippets from Keras issue threads: the same layer instance listed several times in a Sequential (its weights are shared)."""

import keras
from keras import layers

hidden = layers.Dense(64, activation="relu", name="tied_hidden")

model = keras.Sequential(
    [
        keras.Input(shape=(64,)),
        hidden,
        hidden,
        hidden,
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
